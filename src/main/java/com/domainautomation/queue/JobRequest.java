package com.domainautomation.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job to send, as a bean returns it: the payload (anything Jackson can write), its id (dedupe; null for a new id), a
 * delay in ms (0: at once), a priority (1 highest to 3; null: 2) and what it is about beyond its payload ({@link
 * JobKeys}: kept in its searchable record, not sent to the worker). A {@code redisqueue:} producer takes a body of
 * this type in place of the {@code JobId}, {@code JobDelay} and {@code JobPriority} headers, and leaves the payload as
 * the body once the job is queued.
 */
public record JobRequest(Object payload, String id, long delayMillis, Integer priority, Map<String, String> keys) {
    public JobRequest {
        keys = keys == null ? Map.of() : Map.copyOf(keys);
    }

    public static JobRequest of(Object payload, String id) {
        return new JobRequest(payload, id, 0, null, Map.of());
    }

    public JobRequest delayedBy(long millis) {
        return new JobRequest(payload, id, millis, priority, keys);
    }

    public JobRequest withPriority(int priority) {
        return new JobRequest(payload, id, delayMillis, priority, keys);
    }

    /** The job is about this domain (its name, order and owner), so a search by any of them finds it while it waits. */
    public JobRequest about(String domain, String orderId, String clientId) {
        Map<String, String> about = new LinkedHashMap<>(keys);
        about.put("domain", domain);
        about.put("orderId", orderId);
        about.put("clientId", clientId);
        about.values().removeIf(v -> v == null);
        return new JobRequest(payload, id, delayMillis, priority, about);
    }
}
