package com.domainautomation.support;

import com.domainautomation.clients.AuditLog;
import com.domainautomation.clients.Authenticator;
import com.domainautomation.clients.Principal;
import com.mongodb.MongoException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every API route: the body as JSON with the status from the exchange property
 * {@code responseStatus} (200 by default); and the one place that turns an exception into the error contract
 * {@code {error, message, details}}.
 */
public class ApiResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ApiResponder.class);

    private final Authenticator auth;
    private final AuditLog audit;
    private final Db db;

    public ApiResponder(Authenticator auth, AuditLog audit, Db db) {
        this.auth = auth;
        this.audit = audit;
        this.db = db;
    }

    /** First step of a client's route: the caller must be a client, within its limits; its id is {@code clientId}. */
    public void client(Exchange exchange) {
        Principal principal = caller(exchange);
        auth.requireClient(principal, exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
        exchange.setProperty("clientId", principal.clientId());
    }

    /** First step of an admin route: the caller must be the admin, within its rate limit. */
    public void admin(Exchange exchange) {
        auth.requireAdmin(caller(exchange), exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
    }

    /** The caller, kept in the property {@code principal} before any refusal, so a refused admin request is audited. */
    private Principal caller(Exchange exchange) {
        Principal principal = auth.authenticate(exchange.getMessage().getHeader("Authorization", String.class));
        exchange.setProperty(Authenticator.PRINCIPAL, principal);
        return principal;
    }

    private void audit(Exchange exchange, int status, Object answer) {
        var message = exchange.getMessage();
        audit.record(
                exchange.getProperty(Authenticator.PRINCIPAL, Principal.class),
                message.getHeader(Exchange.HTTP_METHOD, String.class),
                exchange.getFromRouteId(),
                message.getHeader(Exchange.HTTP_URI, String.class),
                answer,
                status,
                Requests.callerIp(exchange));
    }

    /** The answer, sent once what it reports is durable; an admin's change is in the audit log before it is sent. */
    public void respond(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Integer status = exchange.getProperty("responseStatus", Integer.class);
        if (body instanceof ApiAnswer answer) {
            status = answer.status();
            body = answer.body();
        }
        audit(exchange, status == null ? 200 : status, body);
        db.awaitDurable();
        write(exchange, status == null ? 200 : status, body);
    }

    /** A route step of a GET with query parameters: any other parameter, or one given twice, is a 400. */
    public void onlyQuery(Exchange exchange, String known) {
        Requests.rejectUnknownQuery(exchange, Set.of(known.split("\\s*,\\s*")));
    }

    public void error(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException api = toApiException(error);
        if (api.status() >= 500) {
            LOG.error("API request failed: {}", error == null ? "unknown" : error.toString(), error);
        }
        try {
            audit(exchange, api.status(), null);
        } catch (RuntimeException e) {
            LOG.warn("A refused admin request could not be audited: {}", e.toString());
        }
        try {
            db.awaitDurable(); // what the refusal reports (e.g. nothing charged) is durable before it is sent
        } catch (RuntimeException e) {
            LOG.error("The store could not make a refused request's writes durable: {}", e.toString());
            api = toApiException(e);
        }
        write(exchange, api.status(), api.body());
        if (api.retryAfterSeconds() > 0) {
            exchange.getMessage().setHeader("Retry-After", Long.toString(api.retryAfterSeconds()));
        }
    }

    static ApiException toApiException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof com.domainautomation.registrar.RegistrarRejectedException rejected) {
                return new ApiException(
                        502, "registrar_refused", "The registrar refused the request: " + rejected.getMessage());
            }
            if (t instanceof RetryableException || t instanceof java.io.IOException) {
                return new ApiException(
                        503, "registrar_unavailable", "The registrar is not answering; try again shortly");
            }
            if (t instanceof MongoException || t instanceof RedisException) {
                return new ApiException(
                        503, "dependency_unavailable", "A storage dependency is not answering; try again shortly");
            }
        }
        return new ApiException(
                500, "internal_error", "Something went wrong on our side; the request was not completed", List.of());
    }

    private static void write(Exchange exchange, int status, Object body) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body instanceof String text ? text : Json.write(body == null ? Map.of() : body));
    }
}
