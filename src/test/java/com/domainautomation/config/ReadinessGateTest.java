package com.domainautomation.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.domainautomation.support.Json;
import com.domainautomation.testing.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Until the app is ready, its API port answers 503 with the JSON error and Retry-After, never 404 for a real path. */
class ReadinessGateTest {
    private final Vertx plain = Vertx.vertx();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final int apiPort = TestApp.freePort();
    private final int otherPort = TestApp.freePort();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() throws Exception {
        plain.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void serve(Vertx vertx, int port) throws Exception {
        Router router = Router.router(vertx);
        router.post("/api/admin/clients")
                .handler(ctx -> ctx.response().setStatusCode(201).end("{}"));
        HttpServer server =
                vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"));
        server.requestHandler(router)
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_api_port_answers_503_until_ready_then_serves() throws Exception {
        Vertx vertx = HttpServerErrors.installingOn(plain, apiPort, ready::get);
        serve(vertx, apiPort);
        serve(vertx, otherPort);

        for (String path : new String[] {"/api/admin/clients", "/api/nothing-here"}) {
            HttpResponse<String> starting = post(apiPort, path);
            assertEquals(503, starting.statusCode(), path + ": " + starting.body());
            assertEquals("2", starting.headers().firstValue("Retry-After").orElse(null));
            assertEquals(
                    "application/json",
                    starting.headers().firstValue("Content-Type").orElse(null));
            Map<String, Object> error = Json.readMap(starting.body());
            assertEquals("not_ready", error.get("error"), starting.body());
        }
        assertEquals(201, post(otherPort, "/api/admin/clients").statusCode(), "only the API port waits");

        ready.set(true);
        assertEquals(201, post(apiPort, "/api/admin/clients").statusCode());
        assertEquals(404, post(apiPort, "/api/nothing-here").statusCode());

        ready.set(false); // stopping
        assertEquals(503, post(apiPort, "/api/admin/clients").statusCode());
    }
}
