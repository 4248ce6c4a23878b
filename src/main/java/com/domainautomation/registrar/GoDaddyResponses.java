package com.domainautomation.registrar;

import com.domainautomation.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Reads GoDaddy answers by HTTP status and error {@code code} (never by message text): 2xx is success; 429 and 5xx
 * are {@link RegistrarUnavailableException} (retried, 429 after {@code retryAfterSec}); other 4xx are
 * {@link RegistrarRejectedException}. Each step returns the answer's body (a Map or a List).
 */
public class GoDaddyResponses {

    /** Inside the circuit breaker: 429 and 5xx are failures it counts; every other answer is judged afterwards. */
    public void failIfUnavailable(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String text) {
        if (status(status) == 429 || status >= 500) {
            requireSuccess(status, text);
        }
    }

    /** The answer's body as a Map when it is a success; a refusal or a failure as its exception. */
    public Map<String, Object> requireSuccess(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String text) {
        int code = status(status);
        Map<String, Object> body = parse(text);
        if (code >= 200 && code < 300) {
            return body;
        }
        String error = String.valueOf(body.getOrDefault("code", "HTTP_" + code));
        String message = String.valueOf(body.getOrDefault("message", text == null ? "" : abbreviate(text)));
        if (code == 429 || code >= 500) {
            Integer retryAfter = body.get("retryAfterSec") instanceof Number n ? n.intValue() : null;
            throw new RegistrarUnavailableException(code, error + " " + message, retryAfter);
        }
        List<String> fields = new ArrayList<>();
        if (body.get("fields") instanceof List<?> list) {
            for (Object field : list) {
                if (field instanceof Map<?, ?> f && f.get("path") != null) {
                    fields.add(f.get("path") + (f.get("message") != null ? " " + f.get("message") : ""));
                }
            }
        }
        throw new RegistrarRejectedException(code, error, message, fields);
    }

    /** For lookups: 404 means "not in our account", null; anything else as {@link #requireSuccess}. */
    public Map<String, Object> domainOrNull(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String text) {
        return status(status) == 404 ? null : requireSuccess(status, text);
    }

    /** For a type+name lookup: 404 means "no such records", an empty list. */
    public List<?> recordsOrEmpty(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String text) {
        return status(status) == 404 ? List.of() : requireSuccessList(status, text);
    }

    /** Like {@link #requireSuccess}, for answers that are JSON arrays (DNS records). */
    public List<?> requireSuccessList(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String text) {
        int code = status(status);
        if (code >= 200 && code < 300) {
            return text == null || text.isBlank() ? List.of() : Json.readList(text);
        }
        requireSuccess(status, text);
        throw new IllegalStateException("unreachable: a failed answer throws");
    }

    private static int status(Integer status) {
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
