package com.domainautomation.support;

import java.util.List;
import java.util.Map;

/** A request the API refuses, with the HTTP status and the JSON error body the client gets. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<Map<String, Object>> details;
    private long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public ApiException(int status, String code, String message, List<Map<String, Object>> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public static ApiException badRequest(String message, List<Map<String, Object>> details) {
        return new ApiException(400, "validation_failed", message, details);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " was not found");
    }

    /** This error with a {@code Retry-After} header of {@code seconds} (a 429 or 503 the client may retry). */
    public ApiException withRetryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Seconds for the {@code Retry-After} header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Map<String, Object>> details() {
        return details;
    }

    public Map<String, Object> body() {
        return Map.of("error", code, "message", getMessage(), "details", details);
    }
}
