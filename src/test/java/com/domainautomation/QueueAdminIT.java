package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.queue.JobRequest;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API over the queues: counts, failed jobs with their history, retry and delete. */
class QueueAdminIT extends AppTestSupport {

    @Test
    void a_paused_queue_takes_no_job_until_it_is_resumed() {
        Client client = newClient(null);
        try {
            pauseAndResume(client);
        } finally {
            // the pause is a Redis key, shared with the other tests: never leave it behind
            app.api().post("/api/admin/queues/email-notification/resume", TestApp.ADMIN_TOKEN, Map.of());
        }
    }

    private void pauseAndResume(Client client) {
        ApiClient.Response paused =
                app.api().post("/api/admin/queues/email-notification/pause", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(200, paused.status(), paused.text());
        assertEquals(true, paused.map().get("paused"));
        assertEquals(true, queueStats("email-notification").get("paused"), "the queue list says so too");

        queueRegisteredEmail(client, "p.com");
        // well past the consumers' look at the pause (every 0.5 s): nothing is taken
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(4))
                .until(() -> mail.getReceivedMessages().length == 0);
        assertEquals(
                1,
                ((Number) queueStats("email-notification").get("waiting")).intValue(),
                queueStats("email-notification").toString());

        ApiClient.Response resumed =
                app.api().post("/api/admin/queues/email-notification/resume", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(200, resumed.status(), resumed.text());
        assertEquals(false, resumed.map().get("paused"));
        await().atMost(Duration.ofSeconds(10)).until(() -> mail.getReceivedMessages().length == 1);
        assertEquals(
                404,
                app.api()
                        .post("/api/admin/queues/nope/pause", TestApp.ADMIN_TOKEN, Map.of())
                        .status());
        assertEquals(
                401,
                app.api()
                        .post("/api/admin/queues/email-notification/pause", null, Map.of())
                        .status());
    }

    @Test
    void a_delayed_job_can_be_listed_and_run_now_and_all_failed_jobs_retried_at_once() {
        Client client = newClient(null);
        var producer = app.app().context().createProducerTemplate();
        producer.sendBody(
                "redisqueue:email-notification",
                JobRequest.of(
                                Map.of(
                                        "type",
                                        "domain-registered",
                                        "clientId",
                                        client.id(),
                                        "data",
                                        Map.of("domain", "later.com")),
                                "email:later")
                        .delayedBy(3_600_000));
        List<Map<String, Object>> delayed = app.api()
                .get("/api/admin/queues/email-notification/delayed", TestApp.ADMIN_TOKEN)
                .list();
        assertEquals(
                List.of("email:later"), delayed.stream().map(j -> j.get("id")).toList(), delayed.toString());
        assertEquals("later.com", ((Map<?, ?>) ((Map<?, ?>) delayed.get(0).get("body")).get("data")).get("domain"));

        ApiClient.Response promoted = app.api()
                .post(
                        "/api/admin/queues/email-notification/delayed/email:later/promote",
                        TestApp.ADMIN_TOKEN,
                        Map.of());
        assertEquals(202, promoted.status(), promoted.text());
        await().atMost(Duration.ofSeconds(10)).until(() -> mail.getReceivedMessages().length == 1);
        assertEquals(
                404,
                app.api()
                        .post(
                                "/api/admin/queues/email-notification/delayed/email:later/promote",
                                TestApp.ADMIN_TOKEN,
                                Map.of())
                        .status(),
                "no longer delayed");

        // two jobs that fail at once (their client is gone), then both retried with one call
        for (String id : List.of("email:gone-1", "email:gone-2")) {
            producer.sendBodyAndHeader(
                    "redisqueue:email-notification",
                    Map.of("type", "domain-registered", "clientId", "cli_gone", "data", Map.of("domain", "x.com")),
                    "JobId",
                    id);
        }
        awaitFailed(2);
        ApiClient.Response retried =
                app.api().post("/api/admin/queues/email-notification/failed/retry", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(202, retried.status(), retried.text());
        assertEquals(2, ((Number) retried.map().get("retried")).intValue());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Map<String, Object>> failed = app.api()
                    .get("/api/admin/queues/email-notification/failed", TestApp.ADMIN_TOKEN)
                    .list();
            return failed.size() == 2 && failed.stream().allMatch(job -> ((List<?>) job.get("history")).size() == 2);
        });
        for (String id : List.of("email:gone-1", "email:gone-2")) {
            assertEquals(
                    200,
                    delete("/api/admin/queues/email-notification/failed/" + id).status());
        }
    }

    @Test
    void failed_jobs_can_be_listed_retried_and_deleted() {
        // An email for a client that does not exist fails at once, without retries.
        app.app()
                .context()
                .createProducerTemplate()
                .sendBodyAndHeader(
                        "redisqueue:email-notification",
                        Map.of("type", "domain-registered", "clientId", "cli_gone", "data", Map.of("domain", "x.com")),
                        "JobId",
                        "email:test-1");
        ApiClient.Response failed = awaitFailed(1);
        Map<String, Object> job = failed.list().get(0);
        assertEquals("email:test-1", job.get("id"));
        assertTrue(((String) job.get("error")).contains("cli_gone no longer exists"), job.toString());
        assertEquals(1, ((List<?>) job.get("history")).size());
        assertEquals("cli_gone", ((Map<?, ?>) job.get("body")).get("clientId"));

        Map<String, Object> stats = app.api().get("/api/admin/queues", TestApp.ADMIN_TOKEN).list().stream()
                .filter(q -> "email-notification".equals(q.get("queue")))
                .findFirst()
                .orElseThrow();
        assertEquals(1, ((Number) stats.get("failed")).intValue(), stats.toString());
        assertTrue(stats.keySet()
                .containsAll(List.of("waiting", "active", "delayed", "completed", "completedLastMinute")));

        ApiClient.Response retried = app.api()
                .post("/api/admin/queues/email-notification/failed/email:test-1/retry", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(202, retried.status(), retried.text());
        // it fails again (the client is still gone): back in the failed set, with both failures in its history
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Map<String, Object>> jobs = app.api()
                    .get("/api/admin/queues/email-notification/failed", TestApp.ADMIN_TOKEN)
                    .list();
            return jobs.size() == 1 && ((List<?>) jobs.get(0).get("history")).size() == 2;
        });

        assertEquals(
                200,
                delete("/api/admin/queues/email-notification/failed/email:test-1")
                        .status());
        assertTrue(app.api()
                .get("/api/admin/queues/email-notification/failed", TestApp.ADMIN_TOKEN)
                .list()
                .isEmpty());
        assertEquals(
                404,
                delete("/api/admin/queues/email-notification/failed/email:test-1")
                        .status());
        assertEquals(
                404,
                app.api()
                        .get("/api/admin/queues/nope/failed", TestApp.ADMIN_TOKEN)
                        .status());
        assertEquals(
                403, app.api().get("/api/admin/queues", newClient(null).token()).status());
    }

    @Test
    void a_job_id_is_accepted_once_even_after_the_job_completed() {
        var producer = app.app().context().createProducerTemplate();
        Client client = newClient(null);
        Map<String, Object> email =
                Map.of("type", "domain-registered", "clientId", client.id(), "data", Map.of("domain", "once.com"));
        producer.sendBodyAndHeader("redisqueue:email-notification", email, "JobId", "email:once");
        awaitEmails(1);
        producer.sendBodyAndHeader("redisqueue:email-notification", email, "JobId", "email:once");
        producer.sendBodyAndHeader("redisqueue:email-notification", email, "JobId", "email:twice");
        awaitEmails(2);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> mail.getReceivedMessages().length == 2);
    }

    private ApiClient.Response awaitFailed(int count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> app.api()
                                .get("/api/admin/queues/email-notification/failed", TestApp.ADMIN_TOKEN)
                                .list()
                                .size()
                        == count);
        return app.api().get("/api/admin/queues/email-notification/failed", TestApp.ADMIN_TOKEN);
    }

    private ApiClient.Response delete(String path) {
        return app.api()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + app.settings().get("http.port") + path))
                                .DELETE(),
                        TestApp.ADMIN_TOKEN,
                        Map.of());
    }
}
