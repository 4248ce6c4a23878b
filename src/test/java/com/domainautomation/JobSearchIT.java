package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Finding jobs by what they are about (the admin API's job search, over each job's record), retrying selected failed
 * jobs, and the viewer token: the admin's reads, none of its changes.
 */
class JobSearchIT extends AppTestSupport {
    @Override
    protected boolean checksApiContract() {
        return true;
    }

    static final String VIEWER_TOKEN = "test-viewer-token-0123456789";

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("viewer.token", VIEWER_TOKEN);
    }

    @Test
    void a_domains_registration_and_email_jobs_are_found_by_its_name_order_client_and_job_id() {
        Client client = newClient("50.00");
        godaddy.purchaseSucceeds("findable.com");
        ApiClient.Response placed = checkout(client, cart("Findable.com"));
        assertEquals(202, placed.status(), placed.text());
        String orderId = (String) ((Map<?, ?>) placed.map().get("order")).get("id");
        awaitStatus(client, "findable.com", "active");
        awaitEmails(1);

        // both jobs completed, found by the domain's name (in any case), newest first
        await().atMost(Duration.ofSeconds(10))
                .until(() -> search("domain=FINDABLE.com").stream().allMatch(j -> "completed".equals(j.get("state")))
                        && search("domain=findable.com").size() == 2);
        List<Map<String, Object>> found = search("domain=findable.com");
        assertEquals(
                List.of("email-notification", "domain-registration"),
                found.stream().map(j -> j.get("queue")).toList(),
                found.toString());
        Map<String, Object> registration = found.get(1);
        assertEquals(1, registration.get("attempts"));
        assertEquals(
                Map.of(
                        "domain",
                        "findable.com",
                        "orderId",
                        orderId,
                        "clientId",
                        client.id(),
                        "domainId",
                        orderId + "-1"),
                registration.get("about"));
        for (String time : List.of("enqueuedAt", "startedAt", "finishedAt")) {
            assertTrue(registration.get(time) instanceof String, time + " in " + registration);
        }
        assertEquals(ids(found), ids(search("orderId=" + orderId)));
        assertEquals(ids(found), ids(search("clientId=" + client.id())));
        String registrationJob = (String) registration.get("id");
        assertEquals(List.of(registrationJob), ids(search("jobId=" + registrationJob)));
        assertEquals(List.of(), search("domain=nobody.com"));
        assertEquals(1, search("clientId=" + client.id() + "&limit=1").size());

        // the viewer reads the same; a client may not
        assertEquals(
                found,
                app.api()
                        .get("/api/admin/jobs?domain=findable.com", VIEWER_TOKEN)
                        .list());
        assertEquals(
                403,
                app.api()
                        .get("/api/admin/jobs?domain=findable.com", client.token())
                        .status());
        assertEquals(
                401, app.api().get("/api/admin/jobs?domain=findable.com", null).status());
    }

    @Test
    void a_search_says_what_is_wrong_with_its_question() {
        for (String query : List.of(
                "",
                "?domain=a.com&orderId=ord_1",
                "?domain=not%20a%20domain",
                "?jobId=%3Cscript%3E",
                "?domain=a.com&x=1")) {
            ApiClient.Response answer = app.api().get("/api/admin/jobs" + query, TestApp.ADMIN_TOKEN);
            assertEquals(400, answer.status(), query + ": " + answer.text());
            assertTrue(answer.map().get("message") instanceof String, answer.text());
        }
    }

    @Test
    void selected_failed_jobs_are_retried_and_the_rest_stay_failed() {
        Client client = newClient(null);
        Document stored =
                app.db().get("clients").find(new Document("_id", client.id())).first();
        app.db().get("clients").deleteOne(new Document("_id", client.id())); // its emails fail: no such client
        var producer = app.app().context().createProducerTemplate();
        for (String id : List.of("email:pick-1", "email:pick-2")) {
            producer.sendBodyAndHeader(
                    "redisqueue:email-notification",
                    Map.of("type", "domain-registered", "clientId", client.id(), "data", Map.of("domain", "p.com")),
                    "JobId",
                    id);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> failedIds().size() == 2);
        app.db().get("clients").insertOne(stored); // back: a retried email now goes out

        ApiClient.Response retried = app.api()
                .post(
                        "/api/admin/queues/email-notification/failed/retry",
                        TestApp.ADMIN_TOKEN,
                        Map.of("ids", List.of("email:pick-1", "email:nope")));
        assertEquals(202, retried.status(), retried.text());
        assertEquals(1, retried.map().get("retried"));
        assertEquals(List.of("email:nope"), retried.map().get("notFailed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> mail.getReceivedMessages().length == 1);
        assertEquals(Set.of("email:pick-2"), failedIds());
        await().atMost(Duration.ofSeconds(10)).until(() -> "completed"
                .equals(search("jobId=email:pick-1").get(0).get("state")));
        assertEquals("failed", search("jobId=email:pick-2").get(0).get("state"));

        for (Object bad : List.of(
                Map.of("ids", List.of()),
                Map.of("ids", "email:pick-2"),
                Map.of("ids", List.of(42)),
                Map.of("ids", List.of("<script>")),
                Map.of("jobs", List.of("x")),
                "{\"ids\": [\"email:pick-2\"", // cut short
                "[\"email:pick-2\"]")) { // not an object
            ApiClient.Response refused =
                    app.api().post("/api/admin/queues/email-notification/failed/retry", TestApp.ADMIN_TOKEN, bad);
            assertEquals(400, refused.status(), bad + ": " + refused.text());
        }
        assertEquals(Set.of("email:pick-2"), failedIds(), "a refused request retried nothing");
    }

    @Test
    void the_viewer_token_reads_every_admin_list_and_changes_nothing() {
        assertEquals(
                Map.of("role", "viewer", "readOnly", true),
                app.api().get("/api/admin/me", VIEWER_TOKEN).map());
        assertEquals(
                Map.of("role", "admin", "readOnly", false),
                app.api().get("/api/admin/me", TestApp.ADMIN_TOKEN).map());
        for (String path : List.of(
                "/api/admin/queues",
                "/api/admin/cron",
                "/api/admin/activity",
                "/api/admin/audit",
                "/api/admin/queues/email-notification/failed",
                "/api/admin/ledger/verify")) {
            ApiClient.Response read = app.api().get(path, VIEWER_TOKEN);
            assertEquals(200, read.status(), path + ": " + read.text());
        }
        for (String path : List.of(
                "/api/admin/queues/email-notification/pause",
                "/api/admin/clients",
                "/api/admin/token",
                "/api/admin/cron/domain-expiry/run",
                "/api/admin/queues/email-notification/failed/retry")) {
            ApiClient.Response refused = app.api().post(path, VIEWER_TOKEN, Map.of());
            assertEquals(403, refused.status(), path + ": " + refused.text());
            assertEquals("read_only", refused.map().get("error"));
        }
        assertEquals(false, queueStats("email-notification").get("paused"), "the refused pause changed nothing");
        assertEquals(403, app.api().get("/api/wallet", VIEWER_TOKEN).status(), "not a client");
    }

    private List<Map<String, Object>> search(String query) {
        ApiClient.Response answer = app.api().get("/api/admin/jobs?" + query, TestApp.ADMIN_TOKEN);
        assertEquals(200, answer.status(), answer.text());
        return answer.list();
    }

    private static List<Object> ids(List<Map<String, Object>> jobs) {
        return jobs.stream().map(j -> j.get("id")).toList();
    }

    private Set<Object> failedIds() {
        return app.api().get("/api/admin/queues/email-notification/failed", TestApp.ADMIN_TOKEN).list().stream()
                .map(j -> j.get("id"))
                .collect(Collectors.toSet());
    }
}
