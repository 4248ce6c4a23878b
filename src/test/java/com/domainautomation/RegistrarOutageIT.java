package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.json;
import static com.domainautomation.testing.GoDaddyMock.purchaseResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.registrar.RegistrarBreaker;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.GoDaddyMock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registrar outage opens the circuit breaker; jobs wait without using up their attempts and all complete after. */
class RegistrarOutageIT extends AppTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("registrar.breaker.minimum-calls", "4");
        settings.put("registrar.breaker.window-calls", "4");
        settings.put("registrar.breaker.open-ms", "1500");
        settings.put("queue.registration.max-attempts", "2");
        settings.put("queue.registration.rate-per-minute", "600");
    }

    @Test
    void the_breaker_opens_during_an_outage_and_every_job_completes_after_recovery() {
        // GoDaddy is down: every call answers 503
        godaddy.stub(any(anyUrl()).willReturn(json(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"down\"}")));
        List<String> names = List.of(
                "out1-example.com", "out2-example.com", "out3-example.com", "out4-example.com", "out5-example.com");
        Client client = newClient("100.00");
        assertEquals(202, checkout(client, cart(names.toArray(String[]::new))).status());

        RegistrarBreaker breaker =
                app.app().context().getRegistry().lookupByNameAndType("registrarBreaker", RegistrarBreaker.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> !"CLOSED".equals(breaker.state()));
        // with 2 attempts each and GoDaddy still down, jobs would be dead-lettered if the breaker burned attempts
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> names.stream()
                .allMatch(n -> "pending".equals(domain(client, n).get("status"))));

        godaddy.server().resetMappings(); // GoDaddy is back
        godaddy.stub(post(urlEqualTo(GoDaddyMock.PURCHASE)).willReturn(json(200, purchaseResponse())));
        names.forEach(godaddy::notOwned);
        for (String name : names) {
            awaitStatus(client, name, "active");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "CLOSED".equals(breaker.state()));
        assertEquals(5, awaitEmails(5).length);
        assertEquals("35.05", balance(client), "100.00 - 5 x 12.99, nothing refunded");
        List<Map<String, Object>> events = app
                .api()
                .get("/api/admin/activity?limit=1000", com.domainautomation.testing.TestApp.ADMIN_TOKEN)
                .list()
                .stream()
                .filter(e -> "registrar-breaker".equals(e.get("action")))
                .toList();
        assertEquals("CLOSED", events.get(0).get("result"), "the newest breaker event: " + events);
        assertTrue(events.stream().anyMatch(e -> "OPEN".equals(e.get("result"))), events.toString());
    }
}
