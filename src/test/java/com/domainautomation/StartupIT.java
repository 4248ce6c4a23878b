package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
