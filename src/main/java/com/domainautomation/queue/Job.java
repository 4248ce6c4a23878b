package com.domainautomation.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One unit of work in a queue: a stable id (used for dedupe and in the failed set), the JSON body,
 * the attempt it is on (1 for the first delivery) and when it was first enqueued.
 */
public record Job(String id, String body, int attempt, long enqueuedAt) {

    static final String F_ID = "id";
    static final String F_BODY = "body";
    static final String F_ATTEMPT = "attempt";
    static final String F_ENQUEUED = "enq";

    Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(F_ID, id);
        fields.put(F_BODY, body);
        fields.put(F_ATTEMPT, Integer.toString(attempt));
        fields.put(F_ENQUEUED, Long.toString(enqueuedAt));
        return fields;
    }

    static Job fromFields(Map<String, String> fields) {
        return new Job(
                fields.get(F_ID),
                fields.getOrDefault(F_BODY, "{}"),
                Integer.parseInt(fields.getOrDefault(F_ATTEMPT, "1")),
                Long.parseLong(fields.getOrDefault(F_ENQUEUED, "0")));
    }

    Job nextAttempt() {
        return new Job(id, body, attempt + 1, enqueuedAt);
    }
}
