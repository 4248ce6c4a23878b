package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.ChildApp;
import com.domainautomation.testing.TestApp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Start-up: health on the management port, roles, and the one-line error for a bad setting. */
class StartupIT extends AppTestSupport {

    @Test
    void health_is_up_when_redis_and_mongodb_answer_and_down_when_redis_does_not() throws Exception {
        ApiClient management =
                new ApiClient("http://127.0.0.1:" + app.settings().get("management.port"));
        ApiClient.Response up = management.get("/observe/health", null);
        assertEquals(200, up.status(), up.text());
        assertEquals("UP", up.map().get("status"));
        assertEquals(404, app.api().get("/observe/health", null).status(), "operations stay off the API port");

        Map<String, String> settings = new HashMap<>(app.settings());
        settings.put("redis.url", "redis://127.0.0.1:" + TestApp.freePort());
        settings.put("roles", "api");
        settings.put("http.port", Integer.toString(TestApp.freePort()));
        settings.put("management.port", Integer.toString(TestApp.freePort()));
        try (TestApp noRedis = TestApp.start(settings)) {
            ApiClient.Response down =
                    new ApiClient("http://127.0.0.1:" + settings.get("management.port")).get("/observe/health", null);
            assertEquals(503, down.status(), down.text());
            assertEquals("DOWN", down.map().get("status"));
            ApiClient noRedisManagement = new ApiClient("http://127.0.0.1:" + settings.get("management.port"));
            assertEquals(
                    503, noRedisManagement.get("/observe/health/ready", null).status(), "not ready without Redis");
            assertEquals(
                    200,
                    noRedisManagement.get("/observe/health/live", null).status(),
                    "but alive: a restart won't help");
        }
    }

    @Test
    void a_stopped_route_makes_the_app_unready_but_not_dead() throws Exception {
        ApiClient management =
                new ApiClient("http://127.0.0.1:" + app.settings().get("management.port"));
        assertEquals(200, management.get("/observe/health/ready", null).status());
        app.app().context().getRouteController().stopRoute("email-queue");
        try {
            ApiClient.Response ready = management.get("/observe/health/ready", TestApp.ADMIN_TOKEN);
            assertEquals(503, ready.status(), ready.text());
            assertEquals(Map.of("status", "DOWN"), ready.map());
            assertEquals(200, management.get("/observe/health/live", null).status(), "a stopped route is not death");
        } finally {
            app.app().context().getRouteController().startRoute("email-queue");
        }
        assertEquals(200, management.get("/observe/health/ready", null).status());
    }

    @Test
    void while_it_starts_the_api_answers_503_with_retry_after_never_404() throws Exception {
        Map<String, String> settings = new HashMap<>(app.settings());
        settings.put("roles", "api");
        settings.put("http.port", Integer.toString(TestApp.freePort()));
        settings.put("management.port", Integer.toString(TestApp.freePort()));
        ApiClient starting = new ApiClient("http://127.0.0.1:" + settings.get("http.port"));
        Map<Integer, Integer> seen = new java.util.TreeMap<>(); // the answers given before the app was ready
        AtomicReference<TestApp> started = new AtomicReference<>();
        Thread start = new Thread(() -> {
            try {
                started.set(TestApp.start(settings));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        start.start();
        try {
            while (started.get() == null && start.isAlive()) {
                ApiClient.Response answer;
                try {
                    answer = starting.post("/api/admin/clients", TestApp.ADMIN_TOKEN, Map.of());
                } catch (RuntimeException notListening) {
                    continue; // the port is not open yet
                }
                if (started.get() != null) {
                    break; // answered after start-up: not part of what is checked here
                }
                seen.merge(answer.status(), 1, Integer::sum);
                if (answer.status() == 503) {
                    assertEquals(
                            "2",
                            answer.headers().get("retry-after"),
                            answer.headers().toString());
                    assertEquals("not_ready", answer.map().get("error"), answer.text());
                }
            }
            start.join(60_000);
            assertNotNull(started.get(), "the app started");
            assertEquals(
                    400,
                    starting.post("/api/admin/clients", TestApp.ADMIN_TOKEN, Map.of())
                            .status());
            System.out.println("Answers while starting, by status: " + seen);
            assertTrue(seen.containsKey(503), "the port was open before the routes were up: " + seen);
            assertFalse(seen.containsKey(404), "a real path answered 404 while starting: " + seen);
        } finally {
            if (started.get() != null) {
                started.get().close();
            }
        }
    }

    @Test
    void roles_select_which_routes_run() throws Exception {
        Map<String, String> settings = new HashMap<>(app.settings());
        settings.put("roles", "workers");
        settings.put("http.port", Integer.toString(TestApp.freePort()));
        settings.put("management.port", Integer.toString(TestApp.freePort()));
        try (TestApp workers = TestApp.start(settings)) {
            var context = workers.app().context();
            assertNotNull(context.getRoute("registration-queue"));
            assertNotNull(context.getRoute("email-queue"));
            assertNull(context.getRoute("checkout-api"), "no API in a workers-only process");
            assertNull(context.getRoute("recovery-cron"));
        }
        assertNotNull(app.app().context().getRoute("checkout-api"));
        assertNotNull(app.app().context().getRoute("recovery-cron"));
    }

    @Test
    void an_invalid_setting_stops_start_up_with_one_line_naming_it() throws Exception {
        ChildApp child = ChildApp.start(Map.of(), Map.of("HTTP_PORT", "eighty"));
        Process process = child.process();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String err = child.log().trim();
        assertEquals(2, process.exitValue());
        assertEquals(
                List.of("Invalid configuration: HTTP_PORT (http.port) = 'eighty' must be a positive whole number"),
                err.lines().toList());
    }
}
