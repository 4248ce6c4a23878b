package com.domainautomation.config;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.health.HealthCheck;

/**
 * The management port's door: every request under {@code /observe} needs a credential (the admin token or
 * {@code MANAGEMENT_TOKEN}, as {@code Authorization: Bearer <token>} or as the password of HTTP Basic, which is what
 * Hawtio's connect form sends), except the three health paths and the queue console ({@link QueueConsole}: its
 * files hold no data and its calls are checked by the admin API). Without a credential those answer only
 * {@code {"status":"UP"|"DOWN"}} (200 or 503), never the checks' details; {@code /health/live} and {@code
 * /health/ready} answer so to every caller (they are this app's own sets of checks), while a credentialed {@code
 * /health} gets Camel's answer with the details. It runs before any of the management server's handlers, from the
 * moment the port listens.
 */
final class ManagementGuard implements AuthenticationHandler {
    static final String PREFIX = "/observe";

    /** The health checks an anonymous caller may learn the overall state of. */
    record HealthProbes(
            Supplier<Collection<HealthCheck.Result>> all,
            Supplier<Collection<HealthCheck.Result>> live,
            Supplier<Collection<HealthCheck.Result>> ready) {}

    private final Predicate<String> validToken;
    private final HealthProbes health;

    ManagementGuard(Predicate<String> validToken, HealthProbes health) {
        this.validToken = validToken;
        this.health = health;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            ctx.next(); // nothing is served there (404)
            return;
        }
        if (QueueConsole.isConsolePath(path)) {
            ctx.next(); // the console's files hold no data, and its calls carry their token to the API, which checks it
            return;
        }
        // liveness and readiness are answered here for every caller (they are not Camel's own sets of checks);
        // /health with its details is Camel's, for a credentialed caller
        boolean ownProbe = path.equals(PREFIX + "/health/live") || path.equals(PREFIX + "/health/ready");
        if (!ownProbe && credentialed(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next();
            return;
        }
        Supplier<Collection<HealthCheck.Result>> probe =
                switch (path) {
                    case PREFIX + "/health" -> health.all();
                    case PREFIX + "/health/live" -> health.live();
                    case PREFIX + "/health/ready" -> health.ready();
                    default -> null;
                };
        if (probe != null
                && (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD)) {
            // the checks may block (Redis, MongoDB): off the event loop
            ctx.vertx()
                    .<Boolean>executeBlocking(
                            () -> probe.get().stream().allMatch(r -> r.getState() == HealthCheck.State.UP), false)
                    .onComplete(up -> answer(
                            ctx.response(),
                            up.succeeded() && up.result() ? 200 : 503,
                            new JsonObject().put("status", up.succeeded() && up.result() ? "UP" : "DOWN")));
            return;
        }
        HttpServerResponse response = ctx.response();
        response.headers().add("WWW-Authenticate", "Bearer realm=\"management\"");
        response.headers().add("WWW-Authenticate", "Basic realm=\"management\", charset=\"UTF-8\"");
        answer(
                response,
                401,
                new JsonObject()
                        .put("error", "unauthorized")
                        .put(
                                "message",
                                "The management port needs the admin token or MANAGEMENT_TOKEN: Authorization: Bearer <token>, "
                                        + "or HTTP Basic with the token as the password")
                        .put("details", new JsonArray()));
    }

    private boolean credentialed(String header) {
        if (header == null) {
            return false;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return check(header.substring(7).trim());
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon >= 0 && check(pair.substring(colon + 1)); // any user name: the token is the password
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    private boolean check(String token) {
        return !token.isEmpty() && token.length() <= 512 && validToken.test(token);
    }

    /** Puts the guard in front of every handler of the management server; call it before the server starts. */
    void install(ManagementHttpServer server) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath("/*");
        entry.setAuthenticationProviderFactory(vertx -> null); // the guard checks the tokens itself
        ManagementGuard guard = this;
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                return guard;
            }
        });
        AuthenticationConfig config = new AuthenticationConfig(List.of(entry));
        config.setEnabled(true);
        server.getConfiguration().setAuthenticationConfig(config);
    }

    /** The JSON error body every surface answers ({@code error}, {@code message}, {@code details}). */
    static void error(HttpServerResponse response, int status, String code, String message) {
        if (!response.ended()) {
            answer(
                    response,
                    status,
                    new JsonObject().put("error", code).put("message", message).put("details", new JsonArray()));
        }
    }

    private static void answer(HttpServerResponse response, int status, JsonObject body) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }
}
