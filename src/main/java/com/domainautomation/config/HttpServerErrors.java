package com.domainautomation.config;

import com.domainautomation.support.ApiException;
import com.domainautomation.support.Json;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The errors the HTTP servers raise themselves, before any route runs, in the API's JSON error shape
 * {@code {error, message, details}}: an unknown path (404), a method a path does not take (405), a body over the
 * server's limit (413), a request line or headers too long for the decoder (414, 431) or a request it cannot decode
 * (400), and a failure no route answered (500).
 *
 * <p>Camel's platform-http creates its Vert.x servers itself (the API's and the management port's) and offers no
 * hook for these answers; both take the {@link Vertx} bound in the registry, so the app binds one that installs the
 * handlers on every server created through it ({@link #installingOn}). Those servers speak HTTP/1.1 (no cleartext
 * HTTP/2 upgrade), with Vert.x's decoder limits: a request line of 4,096 bytes and headers of 8,192 bytes.
 */
public final class HttpServerErrors {
    private record Error(String code, String message) {}

    private static final Map<Integer, Error> ERRORS = Map.ofEntries(
            Map.entry(400, new Error("bad_request", "The request could not be read as HTTP")),
            Map.entry(401, new Error("unauthorized", "A valid credential is required")),
            Map.entry(403, new Error("forbidden", "This credential may not do this")),
            Map.entry(404, new Error("not_found", "There is nothing at this path")),
            Map.entry(405, new Error("method_not_allowed", "This path does not take this method")),
            Map.entry(406, new Error("not_acceptable", "The answer is JSON; the Accept header does not allow it")),
            Map.entry(413, new Error("body_too_large", "The request body is too large")),
            Map.entry(414, new Error("uri_too_long", "The request line (method, path and query) is too long")),
            Map.entry(415, new Error("unsupported_media_type", "The request body's media type is not accepted")),
            Map.entry(431, new Error("headers_too_large", "The request headers are too large")),
            Map.entry(
                    500,
                    new Error("internal_error", "Something went wrong on our side; the request was not completed")),
            Map.entry(501, new Error("not_implemented", "This method is not supported")),
            Map.entry(503, new Error("unavailable", "The service is not available right now; try again shortly")));
    /** What a request to the API port is told while the app is starting or stopping. */
    static final int NOT_READY_RETRY_AFTER_SECONDS = 2;

    /** Seconds without a byte either way after which a connection is closed. */
    static final int IDLE_TIMEOUT_SECONDS = 120;
    /** What a router may answer by itself (401 is the management guard's own answer, already JSON). */
    private static final List<Integer> ROUTER_STATUSES = List.of(400, 403, 404, 405, 406, 413, 415, 500, 501, 503);

    private HttpServerErrors() {}

    /** The JSON error body for {@code status}. */
    public static String body(int status) {
        Error error = ERRORS.getOrDefault(
                status,
                new Error(
                        status >= 500 ? "internal_error" : "bad_request",
                        "The request was refused (HTTP " + status + ")"));
        return Json.write(new ApiException(status, error.code(), error.message(), List.of()).body());
    }

    static String notReadyBody() {
        return Json.write(new ApiException(
                        503, "not_ready", "The service is starting or stopping; try again in a few seconds", List.of())
                .body());
    }

    /**
     * A Vert.x that is {@code vertx} in every way, except that each HTTP server created through it answers its own
     * errors with the JSON body: undecodable requests through its invalid-request handler, and the statuses a router
     * answers by itself ({@link #ROUTER_STATUSES}: unknown path, wrong method, body over the limit, ...) through error
     * handlers on the router it is given.
     */
    public static Vertx installingOn(Vertx vertx) {
        return installingOn(vertx, -1, () -> true);
    }

    /**
     * {@link #installingOn(Vertx)}, and the server on {@code apiPort} answers every request 503 with the JSON error and
     * {@code Retry-After} while {@code ready} is false (the routes are starting, or stopping): a real path never
     * answers 404 because its route is not there yet.
     */
    public static Vertx installingOn(Vertx vertx, int apiPort, BooleanSupplier ready) {
        return (Vertx) Proxy.newProxyInstance(
                HttpServerErrors.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createHttpServer")
                            && args != null
                            && args.length == 1
                            && args[0] instanceof HttpServerOptions options) {
                        // HTTP/1.1 only (h2c off): an HTTP/2 stream's errors would bypass the invalid-request handler.
                        // A connection with no traffic for two minutes is closed (a client that stops mid-request).
                        args = new Object[] {
                            new HttpServerOptions(options)
                                    .setHttp2ClearTextEnabled(false)
                                    .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                        };
                    }
                    Object result = invoke(vertx, method, args);
                    if (result instanceof HttpServer server && method.getName().equals("createHttpServer")) {
                        server.invalidRequestHandler(HttpServerErrors::invalidRequest);
                        return routerErrors(server, apiPort, ready);
                    }
                    return result;
                });
    }

    /**
     * The server as is, but the router it is given gets the JSON error handlers, and in front of every route the
     * readiness gate.
     */
    private static HttpServer routerErrors(HttpServer server, int apiPort, BooleanSupplier ready) {
        return (HttpServer) Proxy.newProxyInstance(
                HttpServerErrors.class.getClassLoader(), new Class<?>[] {HttpServer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("requestHandler")
                            && args != null
                            && args.length == 1
                            && args[0] instanceof Router router) {
                        for (int status : ROUTER_STATUSES) {
                            router.errorHandler(status, context -> answer(context, status));
                        }
                        // by the port the request came in on: a server's options may not name its port (it is
                        // given to listen)
                        router.route().order(Integer.MIN_VALUE).handler(context -> {
                            if (context.request().localAddress().port() != apiPort || ready.getAsBoolean()) {
                                context.next();
                            } else {
                                context.response()
                                        .setStatusCode(503)
                                        .putHeader("Content-Type", "application/json")
                                        .putHeader("Retry-After", Integer.toString(NOT_READY_RETRY_AFTER_SECONDS))
                                        .end(notReadyBody());
                            }
                        });
                    }
                    Object result = invoke(server, method, args);
                    return result == server ? proxy : result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void answer(RoutingContext context, int status) {
        if (context.response().headWritten()) {
            context.response().reset();
            return;
        }
        // a status set by the handler that failed (e.g. 401 from the management guard) wins over the generic one
        int code = context.statusCode() > 0 ? context.statusCode() : status;
        context.response()
                .setStatusCode(code)
                .putHeader("Content-Type", "application/json")
                .end(body(code));
    }

    /** What the HTTP decoder could not take: 414 for a long request line, 431 for long headers, else 400. */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = 400;
        if (cause instanceof TooLongFrameException tooLong) {
            String message = String.valueOf(tooLong.getMessage());
            status = message.startsWith("An HTTP line is larger than")
                    ? 414
                    : message.startsWith("HTTP header is larger than") ? 431 : 400;
        }
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(body(status));
    }
}
