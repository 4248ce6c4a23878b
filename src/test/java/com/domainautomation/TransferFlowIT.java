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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/transfers -> transfer requested at GoDaddy -> status checks -> active, or failed and refunded. */
class TransferFlowIT extends AppTestSupport {
    @Override
    protected boolean checksApiContract() {
        return true;
    }

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("transfer.check-interval-ms", "300");
        settings.put("queue.transfer.rate-per-minute", "600");
        settings.put("queue.transfer.backoff-ms", "100");
        settings.put("queue.transfer.max-attempts", "3");
    }

    @Test
    void a_transfer_is_requested_followed_and_completes() {
        Instant expires = Instant.parse("2027-06-01T00:00:00Z");
        godaddy.stub(
                post(urlEqualTo("/v1/domains/xfer-example.com/transfer")).willReturn(json(200, purchaseResponse())));
        godaddy.stub(detailsOf("xfer-example.com")
                .inScenario("xfer")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(
                        200,
                        activeDetails("xfer-example.com", expires)
                                .replace("\"ACTIVE\"", "\"PENDING_TRANSFER_IN_ACK\"")))
                .willSetStateTo("done"));
        godaddy.stub(detailsOf("xfer-example.com")
                .inScenario("xfer")
                .whenScenarioStateIs("done")
                .willReturn(json(200, activeDetails("xfer-example.com", expires))));
        Client client = newClient("50.00");

        ApiClient.Response response =
                app.api().post("/api/transfers", client.token(), transfer("xfer-example.com", "EPP-123"));

        assertEquals(202, response.status(), response.text());
        assertEquals("requested", response.map().get("transferStatus"));
        assertEquals("37.01", balance(client));
        Map<String, Object> domain = awaitStatus(client, "xfer-example.com", "active");
        assertEquals(expires.toString(), domain.get("expiresAt"));
        assertEquals("completed", domain.get("transferStatus"));
        awaitSubject("The transfer of xfer-example.com: PENDING_TRANSFER_IN_ACK");
        awaitSubject("The transfer of xfer-example.com is complete");
        assertEquals(1, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/xfer-example.com/transfer"))));
        assertTrue(godaddy.lookups("xfer-example.com") >= 2, "checked until complete");
    }

    @Test
    void a_transfer_the_registrar_fails_is_refunded_and_the_owner_emailed() {
        godaddy.stub(
                post(urlEqualTo("/v1/domains/fail-example.com/transfer")).willReturn(json(200, purchaseResponse())));
        godaddy.stub(detailsOf("fail-example.com")
                .willReturn(json(
                        200,
                        activeDetails("fail-example.com", Instant.now())
                                .replace("\"ACTIVE\"", "\"FAILED_TRANSFER_IN_BAD_STATUS\""))));
        Client client = newClient("50.00");

        assertEquals(
                202,
                app.api()
                        .post("/api/transfers", client.token(), transfer("fail-example.com", "EPP-1"))
                        .status());

        Map<String, Object> domain = awaitStatus(client, "fail-example.com", "failed");
        assertTrue(((String) domain.get("transferFailureReason")).contains("FAILED_TRANSFER_IN"), domain.toString());
        assertEquals("50.00", balance(client));
        awaitSubject("The transfer of fail-example.com failed");
    }

    @Test
    void a_refused_request_is_refunded_and_bad_input_is_rejected() {
        godaddy.stub(
                post(urlEqualTo("/v1/domains/refused-example.com/transfer"))
                        .willReturn(
                                json(
                                        422,
                                        "{\"code\":\"INVALID_AUTH_CODE\",\"message\":\"The auth code is not valid\",\"fields\":[{\"path\":\"authCode\",\"code\":\"INVALID\"}]}")));
        Client client = newClient("20.00");

        assertEquals(
                202,
                app.api()
                        .post("/api/transfers", client.token(), transfer("refused-example.com", "wrong"))
                        .status());
        Map<String, Object> domain = awaitStatus(client, "refused-example.com", "failed");
        assertTrue(((String) domain.get("transferFailureReason")).contains("INVALID_AUTH_CODE"), domain.toString());
        assertEquals("20.00", balance(client));
        awaitSubject("The transfer of refused-example.com failed");

        assertEquals(
                400,
                app.api()
                        .post("/api/transfers", client.token(), transfer("other-example.com", ""))
                        .status());
        assertEquals(
                400,
                app.api()
                        .post("/api/transfers", client.token(), transfer("bad..name", "EPP"))
                        .status());
        assertEquals(
                402,
                app.api()
                        .post("/api/transfers", newClient("1.00").token(), transfer("poor-example.com", "EPP"))
                        .status());
    }

    @Test
    void a_request_answered_503_is_asked_about_then_sent_again_and_completes() {
        godaddy.stub(post(urlEqualTo("/v1/domains/again-example.com/transfer"))
                .inScenario("again")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"later\"}"))
                .willSetStateTo("up"));
        godaddy.stub(post(urlEqualTo("/v1/domains/again-example.com/transfer"))
                .inScenario("again")
                .whenScenarioStateIs("up")
                .willReturn(json(200, purchaseResponse()))
                .willSetStateTo("requested"));
        godaddy.stub(detailsOf("again-example.com")
                .inScenario("again")
                .whenScenarioStateIs("up")
                .willReturn(json(404, "{\"code\":\"NOT_FOUND\",\"message\":\"not in this account\"}")));
        godaddy.stub(detailsOf("again-example.com")
                .inScenario("again")
                .whenScenarioStateIs("requested")
                .willReturn(json(200, activeDetails("again-example.com", Instant.parse("2027-01-01T00:00:00Z")))));
        Client client = newClient("50.00");

        assertEquals(
                202,
                app.api()
                        .post("/api/transfers", client.token(), transfer("again-example.com", "EPP-2"))
                        .status());

        awaitStatus(client, "again-example.com", "active");
        assertEquals(
                2,
                godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/again-example.com/transfer"))),
                "503, then the request that went through");
        assertEquals("37.01", balance(client));
    }

    @Test
    void a_request_that_never_gets_through_is_refunded_after_its_attempts() {
        godaddy.stub(post(urlEqualTo("/v1/domains/down-example.com/transfer"))
                .willReturn(json(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"down\"}")));
        godaddy.notOwned("down-example.com");
        Client client = newClient("50.00");

        assertEquals(
                202,
                app.api()
                        .post("/api/transfers", client.token(), transfer("down-example.com", "EPP-3"))
                        .status());

        Map<String, Object> domain = awaitStatus(client, "down-example.com", "failed");
        assertTrue(((String) domain.get("transferFailureReason")).contains("could not be reached"), domain.toString());
        assertEquals(
                3,
                godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/down-example.com/transfer"))),
                "max-attempts");
        assertEquals("50.00", balance(client));
        awaitSubject("The transfer of down-example.com failed");
    }

    private static Map<String, Object> transfer(String domain, String authCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain);
        body.put("authCode", authCode);
        body.put("contact", contact());
        body.put("agreeToTerms", true);
        return body;
    }

    private void awaitSubject(String subject) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Arrays.stream(mail.getReceivedMessages()).anyMatch(m -> {
                    try {
                        return subject.equals(m.getSubject());
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                }));
    }
}
