package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Json;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.ChildApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LOG_FORMAT=json: one JSON object per line, and a job's lines carry its queue, job id, domain and order as fields. */
class JsonLogsIT extends AppTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("roles", "api"); // the worker is the child process, which logs JSON
    }

    @Test
    void a_registrations_log_lines_carry_the_domain_order_job_and_queue() throws Exception {
        godaddy.purchaseSucceeds("json-example.com");
        Client client = newClient("50.00");
        assertEquals(202, checkout(client, cart("json-example.com")).status());

        ChildApp child = ChildApp.start(app.settings(), Map.of("ROLES", "workers", "LOG_FORMAT", "json"));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> "active"
                    .equals(domain(client, "json-example.com").get("status")));
            await().atMost(Duration.ofSeconds(10)).until(() -> child.log().contains("Registered json-example.com"));
        } finally {
            child.process().destroy();
            assertTrue(child.process().waitFor(60, TimeUnit.SECONDS));
        }

        List<String> lines = child.log().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() > 20, "the child logged: " + lines.size() + " lines");
        for (String line : lines) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "not one JSON object: " + line);
            Json.readMap(line); // throws when it is not JSON
        }
        String orderId = domain(client, "json-example.com").get("orderId").toString();
        Map<String, Object> registered = lines.stream()
                .map(Json::readMap)
                .filter(event ->
                        String.valueOf(event.get("formattedMessage")).startsWith("Registered json-example.com"))
                .findFirst()
                .orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> mdc = (Map<String, Object>) registered.get("mdc");
        assertEquals("domain-registration", mdc.get("queue"), registered.toString());
        assertEquals("json-example.com", mdc.get("domain"), registered.toString());
        assertEquals(orderId, mdc.get("orderId"), registered.toString());
        assertTrue(String.valueOf(mdc.get("jobId")).startsWith("registration:"), registered.toString());
        assertEquals("INFO", registered.get("level"));
    }
}
