package com.domainautomation.support;

/** A failure worth trying again later (a dependency is down or busy); the queue retries the job with backoff. */
public class RetryableException extends RuntimeException {
    public RetryableException(String message) {
        super(message);
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** When the other side said when to try again (e.g. a 429's {@code retryAfterSec}), in ms; null: the backoff. */
    public Long retryAfterMillis() {
        return null;
    }
}
