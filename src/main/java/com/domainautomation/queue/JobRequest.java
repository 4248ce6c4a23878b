package com.domainautomation.queue;

/**
 * A job to send, as a bean returns it: the payload (anything Jackson can write), its id (dedupe; null for a new id)
 * and a delay in ms (0: at once). A {@code redisqueue:} producer takes a body of this type in place of the {@code JobId}
 * and {@code JobDelay} headers.
 */
public record JobRequest(Object payload, String id, long delayMillis) {
    public static JobRequest of(Object payload, String id) {
        return new JobRequest(payload, id, 0);
    }

    public JobRequest delayedBy(long millis) {
        return new JobRequest(payload, id, millis);
    }
}
