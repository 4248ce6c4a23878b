package com.domainautomation.registrar;

import com.domainautomation.support.RetryableException;

/** The registrar answered 429 or 5xx: try again later (after {@code retryAfterSeconds} when it said so). */
public class RegistrarUnavailableException extends RetryableException {
    private final int status;
    private final Integer retryAfterSeconds;

    public RegistrarUnavailableException(int status, String message, Integer retryAfterSeconds) {
        super("registrar answered " + status + ": " + message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public Long retryAfterMillis() {
        return retryAfterSeconds == null ? null : retryAfterSeconds * 1000L; // GoDaddy said when
    }
}
