package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management port: loopback by default, health only without a credential, everything else behind a token. */
class ManagementPortIT extends AppTestSupport {
    @TempDir
    Path dir;
    /** An app with Camel's JMX on (the others run without it), for the Jolokia tests. */
    private static TestApp withJmx;

    @AfterAll
    static void stopJmxApp() throws Exception {
        if (withJmx != null) {
            withJmx.close();
        }
    }

    private TestApp jmxApp() throws Exception {
        if (withJmx == null) {
            Map<String, String> settings = new HashMap<>(app.settings());
            settings.put("roles", "api");
            settings.put("http.port", Integer.toString(TestApp.freePort()));
            settings.put("management.port", Integer.toString(TestApp.freePort()));
            settings.put("camel.main.jmx-enabled", "true");
            withJmx = TestApp.start(settings);
        }
        return withJmx;
    }

    private ApiClient management() {
        return new ApiClient("http://127.0.0.1:" + app.settings().get("management.port"));
    }

    @Test
    void listens_on_loopback_by_default() {
        ManagementHttpServer server = app.app().context().hasService(ManagementHttpServer.class);
        assertEquals("127.0.0.1", server.getHost());
    }

    @Test
    void health_answers_anyone_but_only_with_its_status() {
        for (String path : List.of("/observe/health", "/observe/health/live", "/observe/health/ready")) {
            ApiClient.Response health = management().get(path, null);
            assertEquals(200, health.status(), path + ": " + health.text());
            assertEquals(
                    Map.of("status", "UP"), health.map(), path + " tells an anonymous caller nothing but the status");
        }
    }

    @Test
    void everything_else_needs_a_credential() throws Exception {
        Path dump = dir.resolve("dump.hprof");
        String dumpHeap =
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\",\"operation\":\"dumpHeap\",\"arguments\":[\""
                        + dump.toString().replace("\\", "\\\\") + "\",true]}";
        for (String path : List.of(
                "/observe/metrics",
                "/observe/info",
                "/observe/jolokia",
                "/observe/jolokia/version",
                "/observe/jolokia/list",
                "/observe/anything",
                "/observe")) {
            for (String token : new String[] {null, "not-the-admin-token-0123", ""}) {
                ApiClient.Response answer = management().get(path, token);
                assertEquals(401, answer.status(), path + " with " + token + ": " + answer.text());
                assertEquals("unauthorized", answer.map().get("error"), answer.text());
                assertTrue(answer.map().containsKey("details"), answer.text());
            }
        }
        ApiClient.Response exec = management().post("/observe/jolokia", null, dumpHeap);
        assertEquals(401, exec.status(), exec.text());
        assertFalse(Files.exists(dump), "no heap dump was written");
        assertEquals(401, basic("anyone", "wrong-password-0123456789").status());
    }

    @Test
    void the_admin_token_opens_it_as_bearer_or_as_the_basic_password() {
        ApiClient.Response metrics = management().get("/observe/metrics", TestApp.ADMIN_TOKEN);
        assertEquals(200, metrics.status(), metrics.text());
        assertTrue(metrics.text().contains("jvm_"), "Prometheus text");
        ApiClient.Response version = basic("hawtio", TestApp.ADMIN_TOKEN);
        assertEquals(200, version.status(), version.text());
        assertTrue(version.text().contains("\"agent\""), version.text());
        ApiClient.Response health = management().get("/observe/health", TestApp.ADMIN_TOKEN);
        assertEquals(200, health.status(), health.text());
    }

    @Test
    void a_management_token_opens_the_management_port_and_nothing_else() throws Exception {
        String managementToken = "management-token-0123456789";
        Map<String, String> settings = new HashMap<>(app.settings());
        settings.put("roles", "api");
        settings.put("http.port", Integer.toString(TestApp.freePort()));
        settings.put("management.port", Integer.toString(TestApp.freePort()));
        settings.put("management.token", managementToken);
        try (TestApp other = TestApp.start(settings)) {
            ApiClient port = new ApiClient("http://127.0.0.1:" + settings.get("management.port"));
            assertEquals(200, port.get("/observe/metrics", managementToken).status());
            assertEquals(
                    200, port.get("/observe/metrics", TestApp.ADMIN_TOKEN).status(), "the admin token works there too");
            assertEquals(
                    401, other.api().get("/api/admin/queues", managementToken).status(), "not an API credential");
        }
    }

    @Test
    void jolokia_refuses_jvm_diagnostics_attribute_writes_and_anything_but_the_console_operations() throws Exception {
        Path dump = dir.resolve("dump.hprof");
        Map<String, Object> dumpHeap = Map.of(
                "type",
                "exec",
                "mbean",
                "com.sun.management:type=HotSpotDiagnostic",
                "operation",
                "dumpHeap",
                "arguments",
                List.of(dump.toString(), true));
        assertEquals(403, jolokia(dumpHeap).get("status"), "dumpHeap");
        assertFalse(Files.exists(dump), "no heap dump was written");
        for (Map<String, Object> refused : List.of(
                Map.<String, Object>of(
                        "type",
                        "exec",
                        "mbean",
                        "com.sun.management:type=DiagnosticCommand",
                        "operation",
                        "vmSystemProperties()"),
                Map.<String, Object>of(
                        "type",
                        "exec",
                        "mbean",
                        "com.sun.management:type=DiagnosticCommand",
                        "operation",
                        "jvmtiAgentLoad",
                        "arguments",
                        List.of(List.of("/tmp/agent.so"))),
                Map.<String, Object>of(
                        "type",
                        "read",
                        "mbean",
                        "com.sun.management:type=HotSpotDiagnostic",
                        "attribute",
                        "DiagnosticOptions"),
                Map.<String, Object>of(
                        "type",
                        "exec",
                        "mbean",
                        "jdk.management.jfr:type=FlightRecorder",
                        "operation",
                        "newRecording()"),
                Map.<String, Object>of(
                        "type",
                        "exec",
                        "mbean",
                        "java.util.logging:type=Logging",
                        "operation",
                        "setLoggerLevel",
                        "arguments",
                        List.of("", "OFF")),
                Map.<String, Object>of(
                        "type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose", "value", true),
                Map.<String, Object>of("type", "exec", "mbean", "java.lang:type=Memory", "operation", "gc()"),
                Map.<String, Object>of(
                        "type", "read", "mbean", "java.lang:type=Runtime", "attribute", "SystemProperties"),
                Map.<String, Object>of("type", "exec", "mbean", contextMBean(), "operation", "stop()"),
                Map.<String, Object>of(
                        "type",
                        "exec",
                        "mbean",
                        contextMBean(),
                        "operation",
                        "sendBody(java.lang.String,java.lang.Object)",
                        "arguments",
                        List.of("direct:checkout-api", "{}")),
                Map.<String, Object>of(
                        "type",
                        "write",
                        "mbean",
                        routeMBean("admin-api-activity"),
                        "attribute",
                        "TracingPattern",
                        "value",
                        "*"))) {
            Map<String, Object> answer = jolokia(refused);
            assertEquals(403, answer.get("status"), refused + " -> " + answer);
        }
        assertEquals(
                200,
                jolokia(Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage"))
                        .get("status"));
    }

    @Test
    void a_console_lists_every_route_and_stops_and_starts_one_as_hawtio_does() throws Exception {
        assertEquals(200, jolokia(Map.of("type", "version")).get("status"));
        Map<String, Object> found = jolokia(Map.of("type", "search", "mbean", "org.apache.camel:type=routes,*"));
        assertEquals(200, found.get("status"), found.toString());
        List<?> routes = (List<?>) found.get("value");
        assertEquals(jmxApp().app().context().getRoutes().size(), routes.size(), "every route is listed");
        assertEquals(
                200,
                jolokia(Map.of("type", "list", "path", "org.apache.camel", "config", Map.of("maxDepth", 2)))
                        .get("status"));
        Map<String, Object> states = jolokia(Map.of(
                "type", "read", "mbean", "org.apache.camel:type=routes,*", "attribute", List.of("State", "RouteId")));
        assertEquals(200, states.get("status"), states.toString());
        assertEquals(routes.size(), ((Map<?, ?>) states.get("value")).size());

        String route = routeMBean("admin-api-activity");
        assertEquals(
                200,
                jolokia(Map.of("type", "exec", "mbean", route, "operation", "stop()"))
                        .get("status"));
        assertEquals(
                "Stopped",
                jmxApp().app()
                        .context()
                        .getRouteController()
                        .getRouteStatus("admin-api-activity")
                        .name());
        assertEquals(
                200,
                jolokia(Map.of("type", "exec", "mbean", route, "operation", "start()"))
                        .get("status"));
        assertEquals(
                "Started",
                jmxApp().app()
                        .context()
                        .getRouteController()
                        .getRouteStatus("admin-api-activity")
                        .name());
        for (String operation : List.of("dumpRouteAsXml()", "dumpRouteStatsAsXml(boolean,boolean)")) {
            Map<String, Object> dumped = jolokia(Map.of(
                    "type",
                    "exec",
                    "mbean",
                    route,
                    "operation",
                    operation,
                    "arguments",
                    operation.contains("boolean") ? List.of(true, true) : List.of()));
            assertEquals(200, dumped.get("status"), operation + " -> " + dumped);
        }
        Map<String, Object> inflight =
                jolokia(Map.of("type", "exec", "mbean", inflightMBean(), "operation", "browse()"));
        assertEquals(200, inflight.get("status"), inflight.toString());
        // the read-only listings Hawtio 4.2's tabs call (recorded from a real Hawtio session)
        String services =
                "org.apache.camel:context=" + jmxApp().app().context().getManagementName() + ",type=services,name=";
        for (Map<String, Object> listing : List.of(
                Map.<String, Object>of("type", "exec", "mbean", contextMBean(), "operation", "componentNames()"),
                Map.<String, Object>of("type", "exec", "mbean", route, "operation", "isUpdateRouteEnabled()"),
                Map.<String, Object>of(
                        "type", "exec", "mbean", services + "DefaultRestRegistry", "operation", "listRestServices()"),
                Map.<String, Object>of(
                        "type",
                        "exec",
                        "mbean",
                        services + "DefaultAsyncProcessorAwaitManager",
                        "operation",
                        "browse()"))) {
            assertEquals(200, jolokia(listing).get("status"), listing.toString());
        }
        Map<String, Object> threads = Map.of(
                "type",
                "exec",
                "mbean",
                "java.lang:type=Threading",
                "operation",
                "dumpAllThreads(boolean,boolean)",
                "arguments",
                List.of(false, false));
        assertEquals(403, jolokia(threads).get("status"), "a thread dump stays refused");
    }

    @Test
    void what_jolokia_shows_holds_no_secret() throws Exception {
        StringBuilder everything = new StringBuilder();
        for (Map<String, Object> request : List.of(
                Map.<String, Object>of("type", "read", "mbean", "org.apache.camel:*"),
                // the denied attributes (system properties, JVM arguments) left out of the answer
                Map.<String, Object>of("type", "read", "mbean", "java.lang:*", "config", Map.of("ignoreErrors", true)),
                Map.<String, Object>of(
                        "type",
                        "exec",
                        "mbean",
                        contextMBean(),
                        "operation",
                        "dumpRoutesAsXml(boolean,boolean)",
                        "arguments",
                        List.of(true, true)))) {
            Map<String, Object> answer = jolokia(request);
            assertEquals(200, answer.get("status"), request + " -> " + answer);
            everything.append(answer);
        }
        assertTrue(
                everything.toString().contains("registrar-shared-call"), "the dumps and reads were of the real routes");
        for (String secret : List.of(app.settings().get("godaddy.api.secret"), TestApp.ADMIN_TOKEN)) {
            assertFalse(everything.toString().contains(secret), "Jolokia shows " + secret);
        }
    }

    private Map<String, Object> jolokia(Map<String, Object> request) throws Exception {
        ApiClient jmxManagement =
                new ApiClient("http://127.0.0.1:" + jmxApp().settings().get("management.port"));
        ApiClient.Response answer = jmxManagement.post("/observe/jolokia", TestApp.ADMIN_TOKEN, request);
        assertTrue(answer.status() == 200 || answer.status() == 403, answer.status() + " " + answer.text());
        return answer.map();
    }

    private String contextMBean() throws Exception {
        CamelContext context = jmxApp().app().context();
        return "org.apache.camel:context=" + context.getManagementName() + ",type=context,name=\"" + context.getName()
                + "\"";
    }

    private String routeMBean(String routeId) throws Exception {
        return "org.apache.camel:context=" + jmxApp().app().context().getManagementName() + ",type=routes,name=\""
                + routeId + "\"";
    }

    private String inflightMBean() throws Exception {
        return "org.apache.camel:context=" + jmxApp().app().context().getManagementName()
                + ",type=services,name=DefaultInflightRepository";
    }

    private ApiClient.Response basic(String user, String password) {
        String credential =
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return management()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + app.settings().get("management.port") + "/observe/jolokia/version"))
                                .GET(),
                        null,
                        Map.of("Authorization", "Basic " + credential));
    }
}
