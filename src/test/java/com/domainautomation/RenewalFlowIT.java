package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.activeDetails;
import static com.domainautomation.testing.GoDaddyMock.detailsOf;
import static com.domainautomation.testing.GoDaddyMock.json;
import static com.domainautomation.testing.GoDaddyMock.purchaseResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/domains/{domain}/renew -> wallet charged -> renewal queue -> GoDaddy renew -> new expiry, email. */
class RenewalFlowIT extends AppTestSupport {
    @Override
    protected boolean checksApiContract() {
        return true;
    }

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("registrar.response-timeout-ms", "1500");
        settings.put("queue.renewal.max-attempts", "3");
        settings.put("queue.renewal.backoff-ms", "100");
    }

    @Test
    void renews_an_active_domain_and_emails_the_owner() throws Exception {
        Client client = registered("renew-example.com", "50.00");
        Instant newExpiry = Instant.parse("2028-11-25T10:00:00Z");
        godaddy.stub(renewOf("renew-example.com").willReturn(json(200, purchaseResponse())));
        godaddy.stub(
                detailsOf("renew-example.com").willReturn(json(200, activeDetails("renew-example.com", newExpiry))));

        ApiClient.Response response =
                app.api().post("/api/domains/renew-example.com/renew", client.token(), Map.of("years", 1));

        assertEquals(202, response.status(), response.text());
        assertEquals("12.99", response.map().get("price"));
        assertEquals("24.02", balance(client), "50.00 - 12.99 registration - 12.99 renewal");
        await().atMost(Duration.ofSeconds(20)).until(() -> newExpiry
                .toString()
                .equals(domain(client, "renew-example.com").get("expiresAt")));
        assertNotNull(domain(client, "renew-example.com").get("lastRenewalAt"));
        assertEquals(1, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/renew-example.com/renew"))));
        assertEquals(2, app.api().get("/api/invoices", client.token()).list().size());
        awaitEmails(2);
        assertTrue(List.of(mail.getReceivedMessages()).stream()
                .anyMatch(m -> subject(m).equals("Your domain renew-example.com is renewed")));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> app.api().get("/api/domains/renew-example.com/activity", client.token()).list().stream()
                        .anyMatch(e -> "email domain-renewed".equals(e.get("action"))));
        List<Map<String, Object>> history = app.api()
                .get("/api/domains/renew-example.com/activity", client.token())
                .list();
        assertTrue(
                history.stream().anyMatch(e -> "renew".equals(e.get("action")) && "success".equals(e.get("result"))),
                history.toString());

        assertEquals(
                400,
                app.api()
                        .post("/api/domains/renew-example.com/renew", client.token(), Map.of("years", 11))
                        .status());
        assertEquals(
                402,
                app.api()
                        .post("/api/domains/renew-example.com/renew", client.token(), Map.of("years", 10))
                        .status());
        assertEquals(
                404,
                app.api()
                        .post(
                                "/api/domains/renew-example.com/renew",
                                newClient("50.00").token(),
                                Map.of("years", 1))
                        .status());
        assertEquals("24.02", balance(client));
    }

    @Test
    void a_refused_renewal_is_refunded_and_the_owner_emailed() throws Exception {
        Client client = registered("refused-example.com", "50.00");
        godaddy.stub(
                renewOf("refused-example.com")
                        .willReturn(
                                json(
                                        409,
                                        "{\"code\":\"DOMAIN_STATUS_PROHIBITS_RENEWAL\",\"message\":\"domain status does not allow renewal\"}")));

        assertEquals(
                202,
                app.api()
                        .post("/api/domains/refused-example.com/renew", client.token(), Map.of("years", 1))
                        .status());

        await().atMost(Duration.ofSeconds(20)).until(() -> "37.01".equals(balance(client)));
        awaitEmails(2);
        assertTrue(List.of(mail.getReceivedMessages()).stream()
                .anyMatch(m -> subject(m).equals("We could not renew refused-example.com")));
        assertEquals(1, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/refused-example.com/renew"))));
        assertEquals("active", domain(client, "refused-example.com").get("status"));
    }

    @Test
    void a_renewal_whose_answer_was_lost_is_not_done_twice() {
        Client client = registered("lost-example.com", "50.00");
        Instant renewed = Instant.parse("2029-01-01T00:00:00Z");
        godaddy.stub(renewOf("lost-example.com")
                .inScenario("lost")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, purchaseResponse()).withFixedDelay(3000))
                .willSetStateTo("renewed"));
        godaddy.stub(detailsOf("lost-example.com")
                .inScenario("lost")
                .whenScenarioStateIs("renewed")
                .willReturn(json(200, activeDetails("lost-example.com", renewed))));

        assertEquals(
                202,
                app.api()
                        .post("/api/domains/lost-example.com/renew", client.token(), Map.of("years", 1))
                        .status());

        await().atMost(Duration.ofSeconds(20)).until(() -> renewed.toString()
                .equals(domain(client, "lost-example.com").get("expiresAt")));
        assertEquals(
                1, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/lost-example.com/renew"))), "renewed once");
        assertEquals("24.02", balance(client), "charged once, not refunded");
    }

    @Test
    void a_renewal_the_registrar_never_answers_is_refunded_after_its_attempts() {
        Client client = registered("never-example.com", "50.00");
        godaddy.stub(renewOf("never-example.com")
                .willReturn(json(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"down\"}")));
        godaddy.notOwned("never-example.com");

        assertEquals(
                202,
                app.api()
                        .post("/api/domains/never-example.com/renew", client.token(), Map.of("years", 1))
                        .status());

        await().atMost(Duration.ofSeconds(20)).until(() -> "37.01".equals(balance(client)));
        assertEquals(
                3, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/never-example.com/renew"))), "max-attempts");
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(mail.getReceivedMessages()).stream()
                .anyMatch(m -> subject(m).equals("We could not renew never-example.com")));
    }

    private Client registered(String name, String credit) {
        godaddy.purchaseSucceeds(name);
        Client client = newClient(credit);
        assertEquals(202, checkout(client, cart(name)).status());
        awaitStatus(client, name, "active");
        return client;
    }

    private static MappingBuilder renewOf(String name) {
        return post(urlEqualTo("/v1/domains/" + name + "/renew"));
    }

    private static String subject(jakarta.mail.Message message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
