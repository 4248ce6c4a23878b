package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Per-client request budgets, counted in Redis across instances: over one, a 429 with Retry-After and the JSON error. */
class RateLimitIT extends AppTestSupport {
    private static final int WRITES = 30;

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("roles", "api");
        settings.put("ratelimit.client-writes-per-minute", Integer.toString(WRITES));
        settings.put("ratelimit.client-reads-per-minute", "600");
    }

    @Test
    void a_client_over_its_write_budget_gets_429_on_every_instance_while_reads_and_other_clients_go_on()
            throws Exception {
        Client ada = newClient("10.00");
        Client bob = newClient("10.00");
        for (int i = 0; i < WRITES; i++) {
            assertEquals(400, invalidCheckout(app, ada).status(), "write " + (i + 1) + " is within the budget");
        }
        ApiClient.Response refused = invalidCheckout(app, ada);
        assertEquals(429, refused.status(), refused.text());
        assertEquals("rate_limited", refused.map().get("error"));
        assertTrue(refused.map().keySet().containsAll(List.of("error", "message", "details")), refused.text());
        assertEquals("application/json", refused.headers().get("content-type"));
        long retryAfter = Long.parseLong(refused.headers().get("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "one write refills every 2 s: Retry-After " + retryAfter);

        assertEquals(200, app.api().get("/api/wallet", ada.token()).status(), "reads have their own budget");
        assertEquals(400, invalidCheckout(app, bob).status(), "another client has its own budget");

        Map<String, String> second = new HashMap<>(app.settings());
        second.put("http.port", Integer.toString(TestApp.freePort()));
        second.put("management.port", Integer.toString(TestApp.freePort()));
        second.put("data.dir", TestApp.tempDir().toString());
        long refusedAt = System.nanoTime();
        try (TestApp other = TestApp.start(second)) {
            // the budget refilled one write per 2 s while the other instance started: only those go through there
            double refilled = (System.nanoTime() - refusedAt) / 2e9;
            int allowed = 0;
            while (invalidCheckout(other, ada).status() == 400 && allowed <= WRITES) {
                allowed++;
            }
            assertTrue(
                    allowed <= Math.ceil(refilled) + 1,
                    "the budget is shared by every instance: " + allowed + " writes went through on the other after "
                            + refilled * 2 + " s");
        }

        // the budget is spent again (the other instance's last write was refused): one write refills in 2 s
        LockSupport.parkNanos(Duration.ofMillis(2_200).toNanos());
        assertEquals(400, invalidCheckout(app, ada).status(), "after Retry-After the next write goes through");
        assertEquals(429, invalidCheckout(app, ada).status(), "and only one: the budget refills evenly");
        assertEquals("10.00", balance(ada));
    }

    private static ApiClient.Response invalidCheckout(TestApp instance, Client client) {
        return instance.api().post("/api/cart/checkout", client.token(), Map.of());
    }
}
