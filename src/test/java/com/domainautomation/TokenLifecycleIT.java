package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Db;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Client tokens rotate and clients are disabled at once; the admin token rotates without downtime; all of it audited. */
class TokenLifecycleIT extends AppTestSupport {
    @Override
    protected boolean checksApiContract() {
        return true;
    }

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("admin.token-overlap-ms", "3000");
    }

    @Test
    void a_rotated_client_token_replaces_the_old_one_at_once() {
        Client ada = newClient("20.00");
        ApiClient.Response rotated =
                app.api().post("/api/admin/clients/" + ada.id() + "/token", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(201, rotated.status(), rotated.text());
        String token = (String) rotated.map().get("token");

        assertEquals(401, app.api().get("/api/wallet", ada.token()).status(), "the old token stopped working");
        assertEquals("20.00", app.api().get("/api/wallet", token).map().get("balance"));
        assertEquals(
                404,
                app.api()
                        .post("/api/admin/clients/cli_nobody/token", TestApp.ADMIN_TOKEN, Map.of())
                        .status());
        assertEquals(
                403,
                app.api()
                        .post("/api/admin/clients/" + ada.id() + "/token", token, Map.of())
                        .status(),
                "a client cannot");

        assertEquals(
                403,
                app.api()
                        .post("/api/domains/example.com/renew", TestApp.ADMIN_TOKEN, Map.of("years", 1))
                        .status(),
                "the admin token is not a client's");

        List<Map<String, Object>> audit =
                app.api().get("/api/admin/audit", TestApp.ADMIN_TOKEN).list();
        assertTrue(
                audit.stream()
                        .anyMatch(e -> "domains-api-renew".equals(e.get("action"))
                                && e.get("status").equals(403)),
                "an admin request refused on a client endpoint is audited too: " + audit);
        Map<String, Object> entry = audit.stream()
                .filter(e -> "admin-api-client-token".equals(e.get("action"))
                        && e.get("status").equals(201))
                .findFirst()
                .orElseThrow(() -> new AssertionError("audited: " + audit));
        assertEquals("/api/admin/clients/" + ada.id() + "/token", entry.get("path"));
        assertEquals("127.0.0.1", entry.get("callerIp"));
        assertEquals(ada.id(), entry.get("target"));
        assertTrue(
                audit.stream()
                        .anyMatch(e ->
                                "admin-api".equals(e.get("action")) && ada.id().equals(e.get("target"))),
                "the create names the client it made: " + audit);
        assertTrue(
                audit.stream()
                        .anyMatch(e -> "admin-api-client-token".equals(e.get("action"))
                                && e.get("status").equals(404)),
                "refused too");
        assertFalse(
                audit.toString().contains(token)
                        || audit.toString().contains(ada.token())
                        || audit.toString().contains(TestApp.ADMIN_TOKEN),
                "no token in the audit log");
    }

    @Test
    void a_disabled_client_is_refused_while_its_jobs_complete_and_is_let_in_again_when_enabled() {
        godaddy.purchaseSucceeds("disabled-example.com");
        Client ada = newClient("20.00");
        assertEquals(202, checkout(ada, cart("disabled-example.com")).status());
        ApiClient.Response disabled =
                app.api().post("/api/admin/clients/" + ada.id() + "/disable", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(200, disabled.status(), disabled.text());
        assertEquals("disabled", disabled.map().get("status"));

        ApiClient.Response refused = app.api().get("/api/wallet", ada.token());
        assertEquals(403, refused.status(), refused.text());
        assertEquals("client_disabled", refused.map().get("error"));
        assertEquals(403, checkout(ada, cart("disabled-other.com")).status());
        await().atMost(Duration.ofSeconds(30)).until(() -> "active".equals(domainStatus("disabled-example.com")));

        String rotated = (String) app.api()
                .post("/api/admin/clients/" + ada.id() + "/token", TestApp.ADMIN_TOKEN, Map.of())
                .map()
                .get("token");
        assertEquals(
                403,
                app.api().get("/api/wallet", rotated).status(),
                "a new token of a disabled client is disabled too");

        assertEquals(
                "active",
                app.api()
                        .post("/api/admin/clients/" + ada.id() + "/enable", TestApp.ADMIN_TOKEN, Map.of())
                        .map()
                        .get("status"));
        assertEquals("7.01", app.api().get("/api/wallet", rotated).map().get("balance"), "20.00 less the .com price");
        List<Object> actions = app.api().get("/api/admin/audit?limit=10", TestApp.ADMIN_TOKEN).list().stream()
                .map(e -> e.get("action"))
                .toList();
        assertEquals(
                List.of("admin-api-client-enable", "admin-api-client-token", "admin-api-client-disable"),
                actions.subList(0, 3));
    }

    @Test
    void the_admin_token_rotates_without_downtime_and_the_old_one_expires_after_the_overlap() throws Exception {
        ApiClient.Response rotation = app.api().post("/api/admin/token", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(201, rotation.status(), rotation.text());
        String next = (String) rotation.map().get("token");
        assertTrue(next.length() >= 32, next);
        adminToken = next; // for the ledger check after the test

        assertEquals(200, app.api().get("/api/admin/queues", next).status(), "the new token works at once");
        assertEquals(
                200,
                app.api().get("/api/admin/queues", TestApp.ADMIN_TOKEN).status(),
                "the old one during the overlap");
        assertEquals(200, management("/observe/metrics", next), "on the management port too");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        app.api().get("/api/admin/queues", TestApp.ADMIN_TOKEN).status() == 401);
        assertEquals(401, management("/observe/metrics", TestApp.ADMIN_TOKEN));
        assertEquals(200, app.api().get("/api/admin/queues", next).status());

        List<Map<String, Object>> audit =
                app.api().get("/api/admin/audit", next).list();
        assertEquals("admin-api-admin-token", audit.get(0).get("action"));
        assertFalse(audit.toString().contains(next), "the new token is not in the audit log");
        assertEquals(400, app.api().get("/api/admin/audit?limit=0", next).status());
        assertEquals(400, app.api().get("/api/admin/audit?limit=x", next).status());
    }

    private String domainStatus(String name) {
        Document domain =
                app.db().get(Db.DOMAINS).find(new Document("name", name)).first();
        return domain == null ? null : domain.getString("status");
    }

    private int management(String path, String token) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + app.settings().get("management.port") + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return answer.statusCode();
    }
}
