package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.activeDetails;
import static com.domainautomation.testing.GoDaddyMock.detailsOf;
import static com.domainautomation.testing.GoDaddyMock.json;
import static com.domainautomation.testing.GoDaddyMock.purchaseOf;
import static com.domainautomation.testing.GoDaddyMock.purchaseResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Json;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.GoDaddyMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checkout -> durable queue -> GoDaddy (WireMock) -> email (GreenMail), through the real app. */
class RegistrationFlowIT extends AppTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("registrar.response-timeout-ms", "1500");
        settings.put("queue.registration.max-attempts", "3");
        settings.put("mail.admin", "ops@example.com");
        settings.put("mail.link-domain", "https://panel.example.com/domains/{domain}");
    }

    @Test
    void registers_a_paid_domain_and_emails_the_owner() throws Exception {
        godaddy.purchaseSucceeds("ada-example.com");
        Client client = newClient("50.00");

        ApiClient.Response checkout = checkout(client, cart("ada-example.com"));
        assertEquals(202, checkout.status(), checkout.text());
        Map<?, ?> order = (Map<?, ?>) checkout.map().get("order");
        assertEquals("paid", order.get("status"));
        assertEquals("12.99", order.get("total"));
        assertEquals("12.99", ((Map<?, ?>) checkout.map().get("invoice")).get("total"));
        assertEquals(
                "pending",
                ((List<Map<?, ?>>) checkout.map().get("domains")).get(0).get("status"));
        assertEquals("37.01", balance(client));

        Map<String, Object> domain = awaitStatus(client, "ada-example.com", "active");
        assertNotNull(domain.get("registeredAt"));
        Instant expires = Instant.parse((String) domain.get("expiresAt"));
        assertTrue(expires.isAfter(Instant.now().plus(364, ChronoUnit.DAYS)), "expires a year from now: " + expires);

        MimeMessage email = awaitEmails(1)[0];
        assertEquals("Your domain ada-example.com is registered", email.getSubject());
        assertEquals("ada@example.com", email.getAllRecipients()[0].toString());
        Multipart parts = (Multipart) email.getContent();
        assertEquals(2, parts.getCount(), "plain text and HTML");
        String text = partOfType(parts, "text/plain");
        String html = partOfType(parts, "text/html");
        assertTrue(text.contains("Your domain ada-example.com has been registered successfully."), text);
        assertTrue(
                html.contains("linear-gradient")
                        && html.contains("class=\"button\" href=\"https://panel.example.com/domains/ada-example.com\""),
                "the seed's look: gradient header, button to the reseller's panel");

        assertEquals(1, godaddy.purchases("ada-example.com"));
        Map<String, Object> sent = Json.readMap(godaddy.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(GoDaddyMock.PURCHASE))
                .findFirst()
                .orElseThrow()
                .getRequest()
                .getBodyAsString());
        assertEquals(Boolean.FALSE, sent.get("renewAuto"), "our wallet owns renewals");
        assertEquals(1, sent.get("period"));
        Map<?, ?> consent = (Map<?, ?>) sent.get("consent");
        assertEquals(List.of("DNRA"), consent.get("agreementKeys"));
        assertEquals("127.0.0.1", consent.get("agreedBy"));
        assertEquals("Ada", ((Map<?, ?>) sent.get("contactRegistrant")).get("nameFirst"));
        assertEquals(1, app.api().get("/api/invoices", client.token()).list().size());
        List<String> types = app.api().get("/api/transactions", client.token()).list().stream()
                .map(t -> (String) t.get("type"))
                .toList();
        assertTrue(types.containsAll(List.of("credit", "charge", "registration")), types.toString());
        List<Map<String, Object>> history =
                app.api().get("/api/domains/ada-example.com/activity", client.token()).list().stream()
                        .filter(e -> "register".equals(e.get("action")))
                        .toList();
        assertEquals(1, history.size(), history.toString());
        assertEquals("success", history.get(0).get("result"));
    }

    @Test
    void refunds_and_emails_when_the_registrar_refuses_the_domain() throws Exception {
        godaddy.purchaseRefused("taken-example.com");
        Client client = newClient("50.00");

        assertEquals(202, checkout(client, cart("taken-example.com")).status());
        Map<String, Object> domain = awaitStatus(client, "taken-example.com", "failed");
        assertTrue(((String) domain.get("failureReason")).contains("UNAVAILABLE_DOMAIN"), domain.toString());
        assertEquals("50.00", balance(client), "the price is back in the wallet");

        MimeMessage email = emailWithSubject("We could not register taken-example.com");
        String text = partOfType((Multipart) email.getContent(), "text/plain");
        assertTrue(text.contains("Refunded to your wallet: 12.99 USD"), text);
        assertEquals(1, godaddy.purchases("taken-example.com"));
        List<String> types = app.api().get("/api/transactions", client.token()).list().stream()
                .map(t -> (String) t.get("type"))
                .toList();
        assertTrue(types.contains("refund"), types.toString());
        ApiClient.Response activity = app.api()
                .get(
                        "/api/admin/activity?domain=taken-example.com&limit=5",
                        com.domainautomation.testing.TestApp.ADMIN_TOKEN);
        assertEquals(200, activity.status(), activity.text());
        Map<String, Object> registration = activity.list().stream()
                .filter(e -> "register".equals(e.get("action")))
                .findFirst()
                .orElseThrow();
        assertEquals("failure", registration.get("result"));
        assertTrue(((String) registration.get("error")).contains("UNAVAILABLE_DOMAIN"));
        assertEquals(
                400,
                app.api()
                        .get("/api/admin/activity?limit=0", com.domainautomation.testing.TestApp.ADMIN_TOKEN)
                        .status());
        assertEquals(
                404,
                app.api()
                        .get(
                                "/api/domains/taken-example.com/activity",
                                newClient(null).token())
                        .status(),
                "not yours");
    }

    @Test
    void retries_a_registrar_503_and_buys_exactly_once() {
        godaddy.stub(purchaseOf("retry-example.com")
                .inScenario("503")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"try later\"}"))
                .willSetStateTo("up"));
        godaddy.stub(purchaseOf("retry-example.com")
                .inScenario("503")
                .whenScenarioStateIs("up")
                .willReturn(json(200, purchaseResponse())));
        godaddy.notOwned("retry-example.com");
        Client client = newClient("50.00");

        assertEquals(202, checkout(client, cart("retry-example.com")).status());
        awaitStatus(client, "retry-example.com", "active");

        assertEquals(2, godaddy.purchases("retry-example.com"), "one refused with 503, one that bought it");
        assertEquals(1, godaddy.lookups("retry-example.com"), "asked whether it was already ours before retrying");
        assertEquals("37.01", balance(client));
        assertEquals(1, awaitEmails(1).length);
    }

    @Test
    void reconciles_a_timed_out_purchase_that_did_happen_and_never_buys_twice() {
        // GoDaddy bought it, but its answer came after our timeout: the retry must find it ours, not buy again.
        godaddy.stub(purchaseOf("slow-example.com")
                .inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, purchaseResponse()).withFixedDelay(3000))
                .willSetStateTo("bought"));
        godaddy.stub(purchaseOf("slow-example.com")
                .inScenario("slow")
                .whenScenarioStateIs("bought")
                .willReturn(json(422, "{\"code\":\"UNAVAILABLE_DOMAIN\",\"message\":\"already registered\"}")));
        godaddy.stub(detailsOf("slow-example.com")
                .inScenario("slow")
                .whenScenarioStateIs("bought")
                .willReturn(json(200, activeDetails("slow-example.com", Instant.parse("2027-11-25T10:00:00Z")))));
        Client client = newClient("50.00");

        assertEquals(202, checkout(client, cart("slow-example.com")).status());
        Map<String, Object> domain = awaitStatus(client, "slow-example.com", "active");

        assertEquals(1, godaddy.purchases("slow-example.com"), "bought once");
        assertEquals("2027-11-25T10:00:00Z", domain.get("expiresAt"), "expiry as the registrar reports it");
        assertEquals("37.01", balance(client), "charged once, not refunded");
    }

    @Test
    void gives_up_after_the_last_attempt_then_refunds_and_emails() throws Exception {
        godaddy.stub(purchaseOf("down-example.com")
                .willReturn(json(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"down\"}")));
        godaddy.notOwned("down-example.com");
        Client client = newClient("50.00");

        assertEquals(202, checkout(client, cart("down-example.com")).status());
        Map<String, Object> domain = awaitStatus(client, "down-example.com", "failed");
        assertTrue(((String) domain.get("failureReason")).contains("could not be reached"), domain.toString());
        assertEquals(3, godaddy.purchases("down-example.com"), "max-attempts");
        assertEquals("50.00", balance(client));
        emailWithSubject("We could not register down-example.com");
        MimeMessage notice = emailWithSubject(
                "[Domain Automation] domain-registration job failed: registration:" + domain.get("id"));
        assertEquals("ops@example.com", notice.getAllRecipients()[0].toString());
        assertTrue(partOfType((Multipart) notice.getContent(), "text/plain").contains("registrar answered 503"));
        Map<String, String> failedJobs = app.app()
                .context()
                .getRegistry()
                .lookupByNameAndType("redisqueue", com.domainautomation.queue.RedisQueueComponent.class)
                .queue("domain-registration")
                .failedJobs();
        assertEquals(1, failedJobs.size(), "the job is kept in the failed set");
        assertTrue(failedJobs.values().iterator().next().contains("registrar answered 503"), failedJobs.toString());
    }

    private MimeMessage emailWithSubject(String subject) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> java.util.Arrays.stream(mail.getReceivedMessages())
                        .anyMatch(m -> subject.equals(subjectOf(m))));
        return java.util.Arrays.stream(mail.getReceivedMessages())
                .filter(m -> subject.equals(subjectOf(m)))
                .findFirst()
                .orElseThrow();
    }

    private static String subjectOf(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String partOfType(Multipart parts, String type) throws Exception {
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType(type)) {
                return part.getContent().toString();
            }
        }
        throw new AssertionError("no " + type + " part");
    }
}
