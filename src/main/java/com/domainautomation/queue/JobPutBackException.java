package com.domainautomation.queue;

import com.domainautomation.support.RetryableException;

/**
 * Thrown by a step that cannot run the job yet for a reason that is not the job's fault (another job holds the
 * domain): the queue puts the job back after {@code delayMillis} without using one of its attempts, and it is never
 * dead-lettered for it.
 */
public class JobPutBackException extends RetryableException {
    private final long delayMillis;

    public JobPutBackException(String message, long delayMillis) {
        super(message);
        this.delayMillis = delayMillis;
    }

    public long delayMillis() {
        return delayMillis;
    }
}
