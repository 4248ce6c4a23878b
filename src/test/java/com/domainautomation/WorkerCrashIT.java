package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.activeDetails;
import static com.domainautomation.testing.GoDaddyMock.detailsOf;
import static com.domainautomation.testing.GoDaddyMock.json;
import static com.domainautomation.testing.GoDaddyMock.purchaseOf;
import static com.domainautomation.testing.GoDaddyMock.purchaseResponse;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.ChildApp;
import com.domainautomation.testing.TestApp;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker process killed with SIGKILL in the middle of a purchase: the job is redelivered to another worker after
 * the visibility timeout, which finds the domain already bought and completes the job once, without a second purchase.
 */
class WorkerCrashIT extends AppTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("roles", "api");
    }

    @Test
    void a_worker_killed_mid_purchase_is_redelivered_and_completes_once() throws Exception {
        godaddy.stub(purchaseOf("crash-example.com")
                .inScenario("crash")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, purchaseResponse()).withFixedDelay(60_000))
                .willSetStateTo("bought"));
        godaddy.stub(detailsOf("crash-example.com")
                .inScenario("crash")
                .whenScenarioStateIs("bought")
                .willReturn(json(200, activeDetails("crash-example.com", Instant.parse("2027-11-25T10:00:00Z")))));
        Client client = newClient("50.00");
        assertEquals(202, checkout(client, cart("crash-example.com")).status());

        Process worker =
                ChildApp.start(app.settings(), Map.of("ROLES", "workers")).process();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> godaddy.purchases("crash-example.com") == 1);
        } finally {
            worker.destroyForcibly(); // SIGKILL: no shutdown hook, no ack, the job stays in the pending list
            worker.waitFor();
        }
        assertEquals("pending", domain(client, "crash-example.com").get("status"));

        // A second worker (in this JVM) takes the job over once its lease has run out.
        Map<String, String> settings = new HashMap<>(app.settings());
        settings.put("roles", "api,workers,cron");
        settings.put("http.port", Integer.toString(TestApp.freePort()));
        settings.put("management.port", Integer.toString(TestApp.freePort()));
        settings.put("queue.visibility-timeout-ms", "1500");
        app.close();
        app = TestApp.start(settings);

        awaitStatus(client, "crash-example.com", "active");
        assertEquals(1, godaddy.purchases("crash-example.com"), "never bought twice");
        assertEquals("Your domain crash-example.com is registered", awaitEmails(1)[0].getSubject());
        assertEquals("37.01", balance(client));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> mail.getReceivedMessages().length == 1);
    }
}
