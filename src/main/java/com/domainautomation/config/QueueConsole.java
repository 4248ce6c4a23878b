package com.domainautomation.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The queue console on the management port, at {@value #PATH}/: three files from the jar ({@code console/}), and the
 * page's calls to the admin API, {@value #PATH}/api/&lt;path&gt;, passed as they are to the API port's {@code
 * /api/admin/<path>} (the same endpoints an operator scripts; the API checks the token, so the admin token may act
 * and the viewer token may only look). The files hold no data, so they are served without a credential: the page
 * asks for the token and sends it with each call.
 */
final class QueueConsole {
    static final String PATH = ManagementGuard.PREFIX + "/console";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");
    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE);
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final int apiPort;
    private volatile HttpClient client;

    /** {@code apiPort}: this instance's API port, or 0 when it serves no API (its calls then answer 503). */
    QueueConsole(int apiPort) {
        this.apiPort = apiPort;
    }

    /** Whether the guard lets a request for this path through without a credential (the files; the API checks). */
    static boolean isConsolePath(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    void install(Router router) {
        router.route(PATH + "/api/*").handler(this::forward);
        router.get(PATH + "*").handler(ctx -> {
            if (ctx.request().path().equals(PATH)) {
                ctx.redirect(PATH + "/"); // the page's relative links need the slash
            } else {
                file(ctx);
            }
        });
    }

    private static void file(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String name = path.length() > PATH.length() ? path.substring(PATH.length() + 1) : "";
        if (name.isEmpty()) {
            name = "index.html";
        }
        String type = FILES.get(name);
        if (type == null) {
            ManagementGuard.error(ctx.response(), 404, "not_found", "There is no console file " + name);
            return;
        }
        byte[] bytes;
        try (InputStream in = QueueConsole.class.getClassLoader().getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IOException("console/" + name + " is missing from the jar");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, type)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(
                        "Content-Security-Policy",
                        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                                + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
                .end(Buffer.buffer(bytes));
    }

    /** Passes the call to the admin API of this instance and its answer back, status, body and all. */
    private void forward(RoutingContext ctx) {
        if (apiPort <= 0) {
            ManagementGuard.error(
                    ctx.response(), 503, "no_api", "This instance serves no API (its roles leave out api)");
            return;
        }
        if (!METHODS.contains(ctx.request().method())) {
            ManagementGuard.error(
                    ctx.response(),
                    405,
                    "method_not_allowed",
                    "The console calls the admin API with GET, POST or DELETE");
            return;
        }
        String uri = ctx.request().uri();
        String rest = uri.startsWith(PATH + "/api/") ? uri.substring((PATH + "/api/").length()) : "";
        String lower = rest.toLowerCase(java.util.Locale.ROOT);
        if (!rest.matches("[a-z].*")
                || lower.contains("..")
                || lower.contains("%2e")
                || lower.contains("%2f")
                || rest.contains("//")
                || rest.contains("\\")) {
            ManagementGuard.error(
                    ctx.response(), 400, "invalid_path", "The console calls the admin API by its plain paths only");
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(ctx.request().method())
                .setHost("127.0.0.1")
                .setPort(apiPort)
                .setURI("/api/admin/" + rest);
        for (CharSequence header : new CharSequence[] {HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE}) {
            String value = ctx.request().getHeader(header);
            if (value != null) {
                options.putHeader(header, value);
            }
        }
        Future<Buffer> body = ctx.body().available()
                ? Future.succeededFuture(
                        ctx.body().buffer() == null
                                ? Buffer.buffer()
                                : ctx.body().buffer())
                : ctx.request().body();
        body.onComplete(read -> {
            if (read.failed() || read.result().length() > MAX_BODY_BYTES) {
                ManagementGuard.error(
                        ctx.response(), 413, "body_too_large", "The request body is larger than " + MAX_BODY_BYTES);
                return;
            }
            client(ctx.vertx())
                    .request(options)
                    .compose(request -> request.send(read.result()))
                    .compose(response -> response.body().map(answer -> {
                        relay(ctx.response(), response, answer);
                        return null;
                    }))
                    .onFailure(e -> ManagementGuard.error(
                            ctx.response(), 502, "api_unreachable", "The admin API did not answer: " + e.getMessage()));
        });
    }

    private static void relay(HttpServerResponse to, HttpClientResponse from, Buffer body) {
        if (to.ended()) {
            return;
        }
        to.setStatusCode(from.statusCode());
        for (CharSequence header :
                new CharSequence[] {HttpHeaders.CONTENT_TYPE, HttpHeaders.RETRY_AFTER, "WWW-Authenticate"}) {
            String value = from.getHeader(header);
            if (value != null) {
                to.putHeader(header, value);
            }
        }
        to.putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body);
    }

    private HttpClient client(Vertx vertx) {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000));
                }
                current = client;
            }
        }
        return current;
    }
}
