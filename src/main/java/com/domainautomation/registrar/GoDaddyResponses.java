package com.domainautomation.registrar;

import com.domainautomation.queue.QueueConstants;
import com.domainautomation.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Reads GoDaddy answers by HTTP status and error {@code code} (never by message text): 2xx is success; 429 and 5xx
 * are {@link RegistrarUnavailableException} (retried, 429 after {@code retryAfterSec}); other 4xx are
 * {@link RegistrarRejectedException}. The body becomes a Map.
 */
public class GoDaddyResponses {

    /** Inside the circuit breaker: 429 and 5xx are failures it counts; every other answer is judged afterwards. */
    public void failIfUnavailable(Exchange exchange) {
        int status = status(exchange);
        if (status == 429 || status >= 500) {
            requireSuccess(exchange);
        }
    }

    public void requireSuccess(Exchange exchange) {
        int status = status(exchange);
        String text = exchange.getMessage().getBody(String.class);
        Map<String, Object> body = parse(text);
        if (status >= 200 && status < 300) {
            exchange.getMessage().setBody(body);
            return;
        }
        String code = String.valueOf(body.getOrDefault("code", "HTTP_" + status));
        String message = String.valueOf(body.getOrDefault("message", text == null ? "" : abbreviate(text)));
        if (status == 429 || status >= 500) {
            Integer retryAfter = body.get("retryAfterSec") instanceof Number n ? n.intValue() : null;
            if (retryAfter != null) {
                exchange.setProperty(QueueConstants.JOB_RETRY_DELAY, retryAfter * 1000L); // GoDaddy said when
            }
            throw new RegistrarUnavailableException(status, code + " " + message, retryAfter);
        }
        List<String> fields = new ArrayList<>();
        if (body.get("fields") instanceof List<?> list) {
            for (Object field : list) {
                if (field instanceof Map<?, ?> f && f.get("path") != null) {
                    fields.add(f.get("path") + (f.get("message") != null ? " " + f.get("message") : ""));
                }
            }
        }
        throw new RegistrarRejectedException(status, code, message, fields);
    }

    /** For lookups: 404 means "not in our account" and leaves a null body; anything else as {@link #requireSuccess}. */
    public void domainOrNull(Exchange exchange) {
        if (status(exchange) == 404) {
            exchange.getMessage().setBody(null);
            return;
        }
        requireSuccess(exchange);
    }

    /** For a type+name lookup: 404 means "no such records", an empty list. */
    public void recordsOrEmpty(Exchange exchange) {
        if (status(exchange) == 404) {
            exchange.getMessage().setBody(java.util.List.of());
            return;
        }
        requireSuccessList(exchange);
    }

    /** Like {@link #requireSuccess}, for answers that are JSON arrays (DNS records). */
    public void requireSuccessList(Exchange exchange) {
        int status = status(exchange);
        String text = exchange.getMessage().getBody(String.class);
        if (status >= 200 && status < 300) {
            exchange.getMessage().setBody(text == null || text.isBlank() ? java.util.List.of() : Json.readList(text));
            return;
        }
        requireSuccess(exchange);
    }

    private static int status(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw new RegistrarUnavailableException(0, "no HTTP status in the answer", null);
        }
        return status;
    }

    private static Map<String, Object> parse(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            return Json.readMap(text);
        } catch (IllegalArgumentException e) {
            return Map.of(); // not JSON (a proxy's error page): judged by status alone
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
