package com.domainautomation.queue;

/**
 * A job to send, as a bean returns it: the payload (anything Jackson can write), its id (dedupe; null for a new id), a
 * delay in ms (0: at once) and a priority (1 highest to 3; null: 2). A {@code redisqueue:} producer takes a body of
 * this type in place of the {@code JobId}, {@code JobDelay} and {@code JobPriority} headers, and leaves the payload as
 * the body once the job is queued.
 */
public record JobRequest(Object payload, String id, long delayMillis, Integer priority) {
    public static JobRequest of(Object payload, String id) {
        return new JobRequest(payload, id, 0, null);
    }

    public JobRequest delayedBy(long millis) {
        return new JobRequest(payload, id, millis, priority);
    }

    public JobRequest withPriority(int priority) {
        return new JobRequest(payload, id, delayMillis, priority);
    }
}
