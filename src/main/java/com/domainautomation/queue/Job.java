package com.domainautomation.queue;

import java.util.Map;

/**
 * One unit of work in a queue: a stable id (dedupe, failed set), the JSON body, the attempt it is on (1 for the first
 * delivery), when it was first enqueued, and its priority (1 highest … 3 lowest).
 */
public record Job(String id, String body, int attempt, long enqueuedAt, int priority) {
    public static final int HIGHEST = 1;
    public static final int NORMAL = 2;
    public static final int LOWEST = 3;

    public Job {
        if (priority < HIGHEST || priority > LOWEST) {
            throw new IllegalArgumentException("priority must be 1 (highest) to 3 (lowest), was " + priority);
        }
    }

    static Job fromFields(Map<String, ?> fields) {
        return new Job(
                String.valueOf(fields.get("id")),
                fields.get("body") == null ? "{}" : String.valueOf(fields.get("body")),
                Integer.parseInt(String.valueOf(value(fields, "attempt", "1"))),
                Long.parseLong(String.valueOf(value(fields, "enq", "0"))),
                Integer.parseInt(String.valueOf(value(fields, "prio", "2"))));
    }

    private static Object value(Map<String, ?> fields, String key, String fallback) {
        Object value = fields.get(key);
        return value == null ? fallback : value;
    }

    Job nextAttempt() {
        return new Job(id, body, attempt + 1, enqueuedAt, priority);
    }
}
