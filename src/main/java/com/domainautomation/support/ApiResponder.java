package com.domainautomation.support;

import com.domainautomation.clients.AuditLog;
import com.mongodb.MongoException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.Map;
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

    private final AuditLog audit;
    private final Db db;

    public ApiResponder(AuditLog audit, Db db) {
        this.audit = audit;
        this.db = db;
    }

    /** The answer, sent once what it reports is durable; an admin's change is in the audit log before it is sent. */
    public void respond(Exchange exchange) {
        Integer status = exchange.getProperty("responseStatus", Integer.class);
        audit.record(exchange, status == null ? 200 : status);
        db.awaitDurable();
        write(exchange, status == null ? 200 : status, exchange.getMessage().getBody());
    }

    public void error(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException api = toApiException(error);
        if (api.status() >= 500) {
            LOG.error("API request failed: {}", error == null ? "unknown" : error.toString(), error);
        }
        try {
            audit.record(exchange, api.status());
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
