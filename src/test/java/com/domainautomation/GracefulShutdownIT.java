package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.json;
import static com.domainautomation.testing.GoDaddyMock.purchaseOf;
import static com.domainautomation.testing.GoDaddyMock.purchaseResponse;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.ChildApp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM stops a worker process gracefully: it takes no new job, finishes the one in flight, and exits 0. */
class GracefulShutdownIT extends AppTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("roles", "api");
    }

    @Test
    void sigterm_finishes_the_job_in_flight_and_exits_zero() throws Exception {
        godaddy.stub(purchaseOf("graceful-example.com")
                .willReturn(json(200, purchaseResponse()).withFixedDelay(3000)));
        Client client = newClient("50.00");
        assertEquals(202, checkout(client, cart("graceful-example.com")).status());

        ChildApp child = ChildApp.start(app.settings(), Map.of("ROLES", "workers"));
        Process worker = child.process();
        await().atMost(Duration.ofSeconds(60)).until(() -> godaddy.purchases("graceful-example.com") == 1);
        long signalled = System.nanoTime();
        worker.destroy(); // SIGTERM
        assertTrue(worker.waitFor(40, TimeUnit.SECONDS), "the worker stops within its shutdown timeout");
        long tookMs = (System.nanoTime() - signalled) / 1_000_000;

        assertEquals(0, worker.exitValue(), "exit code; log:\n" + child.log());
        assertEquals(
                "active",
                domain(client, "graceful-example.com").get("status"),
                "the job in flight was finished, not dropped");
        assertEquals(1, godaddy.purchases("graceful-example.com"));
        assertTrue(tookMs >= 1000, "it waited for the purchase answer (" + tookMs + " ms)");
    }
}
