package com.domainautomation.queue;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff: base * 2^(attempt-1), capped, plus up to 20% jitter so retries do not stampede. */
public record Backoff(long baseMillis, long maxMillis) {

    public long delayAfter(int failedAttempt) {
        int exponent = Math.max(0, Math.min(failedAttempt - 1, 30));
        long delay = Math.min(maxMillis, baseMillis * (1L << exponent));
        long jitter = (long) (delay * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Math.min(maxMillis, delay + jitter);
    }
}
