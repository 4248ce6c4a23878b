package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Prometheus metrics on {@code /observe/metrics} after a real flow (a domain bought, its email sent, a cron run, the
 * ledger checked on its schedule): queue counts and outcomes, job durations, registrar calls, the breaker, emails,
 * crons and the ledger; the queue outcome counters survive a restart of the app.
 */
class MetricsIT extends AppTestSupport {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("ledger.check-first-delay-ms", "500");
        settings.put("ledger.check-interval-ms", "1000");
    }

    @Test
    void a_flows_figures_are_scraped_and_the_outcome_counters_outlast_a_restart() throws Exception {
        Client client = newClient("50.00");
        godaddy.purchaseSucceeds("metered.com");
        assertEquals(202, checkout(client, cart("metered.com")).status());
        awaitStatus(client, "metered.com", "active");
        awaitEmails(1);
        ApiClient.Response run = app.api().post("/api/admin/cron/domain-expiry/run", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(202, run.status(), run.text());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> app.api().get("/api/admin/cron", TestApp.ADMIN_TOKEN).list().stream()
                        .anyMatch(c -> "domain-expiry".equals(c.get("name")) && c.get("lastSuccess") != null));

        // the gauges read Redis and the store at most every 5 and 15 s: wait for the figures to show
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, Double> m = scrape(TestApp.ADMIN_TOKEN);
                    assertEquals(
                            1.0,
                            m.get(key(
                                    "da_queue_outcomes_total",
                                    "queue",
                                    "domain-registration",
                                    "outcome",
                                    "completed")));
                    assertEquals(
                            1.0,
                            m.get(key(
                                    "da_queue_outcomes_total", "queue", "email-notification", "outcome", "completed")));
                    assertEquals(
                            0.0,
                            m.get(key("da_queue_outcomes_total", "queue", "domain-registration", "outcome", "failed")));
                    assertEquals(0.0, m.get(key("da_queue_jobs", "queue", "domain-registration", "state", "waiting")));
                    assertEquals(0.0, m.get(key("da_queue_paused", "queue", "email-notification")));
                    // its run looked at no domain (metered.com expires in a year), and said so
                    assertEquals(0.0, m.get(key("da_cron_last_success_items", "cron", "domain-expiry")));
                    assertTrue(m.get(key("da_cron_last_success_timestamp_seconds", "cron", "domain-expiry")) > 1.7e9);
                    assertEquals(1.0, m.get(key("da_ledger_balanced")));
                    assertEquals(1.0, m.get(key("da_ledger_charges_settled")));
                });
        Map<String, Double> m = scrape(TestApp.ADMIN_TOKEN);
        assertEquals(
                1.0,
                m.get(key("da_job_duration_seconds_count", "queue", "domain-registration", "outcome", "completed")));
        assertEquals(
                1.0,
                m.get(key(
                        "da_job_duration_seconds_bucket",
                        "queue",
                        "domain-registration",
                        "outcome",
                        "completed",
                        "le",
                        "+Inf")));
        assertEquals(1.0, m.get(key("da_registrar_calls_seconds_count", "operation", "purchase", "status", "200")));
        assertTrue(m.get(key("da_registrar_calls_seconds_sum", "operation", "purchase", "status", "200")) > 0);
        assertEquals(1.0, m.get(key("da_registrar_breaker_state", "state", "closed")));
        assertEquals(0.0, m.get(key("da_registrar_breaker_state", "state", "open")));
        assertEquals(1.0, m.get(key("da_emails_total", "result", "sent")));
        assertEquals(0.0, m.get(key("da_emails_total", "result", "failed")));
        assertTrue(m.get(key("da_ledger_last_check_timestamp_seconds")) > 1.7e9);
        assertEquals(401, status(null), "no credential, no metrics");

        // a new process on the same Redis: the outcome counters are where they were
        Map<String, String> settings = new HashMap<>(app.settings());
        app.close();
        app = TestApp.start(settings);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(
                        1.0,
                        scrape(TestApp.ADMIN_TOKEN)
                                .get(key(
                                        "da_queue_outcomes_total",
                                        "queue",
                                        "domain-registration",
                                        "outcome",
                                        "completed"))));
    }

    /** The samples of the scrape, by {@link #key}. */
    private Map<String, Double> scrape(String token) throws Exception {
        HttpResponse<String> response = get(token);
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            labels.remove("camelContext");
            samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(4)));
        }
        return samples;
    }

    private static String key(String name, String... labels) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return name + map;
    }

    private int status(String token) throws Exception {
        return get(token).statusCode();
    }

    private HttpResponse<String> get(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.settings().get("management.port") + "/observe/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
