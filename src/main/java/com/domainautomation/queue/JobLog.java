package com.domainautomation.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * What the logs of a job's thread say about the work in hand (the logging context, MDC): its queue and job id, and the
 * business keys of its payload; the domain's name and order are added once a step knows them ({@link #domain}). With
 * {@code LOG_FORMAT=json} each is a field of every line, so a search by domain shows its whole story.
 */
public final class JobLog {
    /** Payload fields copied into the context as they are. */
    private static final List<String> KEYS = List.of("domainId", "orderId", "renewalId", "clientId", "type");

    private static final List<String> ALL =
            List.of("queue", "jobId", "domainId", "orderId", "renewalId", "clientId", "type", "domain");

    private JobLog() {}

    static void begin(String queue, String jobId, Map<String, Object> payload) {
        MDC.put("queue", queue);
        MDC.put("jobId", jobId);
        for (String key : KEYS) {
            if (payload.get(key) instanceof String value) {
                MDC.put(key, value);
            }
        }
    }

    /** The domain the job works on (its name, order and owner), once a step has read it. */
    public static void domain(String name, String orderId, String clientId) {
        if (MDC.get("jobId") == null) {
            return; // not a job's thread (an API request, a cron)
        }
        if (name != null) {
            MDC.put("domain", name);
        }
        if (orderId != null) {
            MDC.put("orderId", orderId);
        }
        if (clientId != null) {
            MDC.put("clientId", clientId);
        }
    }

    /** What the job in hand is about, as far as its payload and steps told ({@link JobKeys}). */
    static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : JobKeys.ALL) {
            String value = MDC.get(key);
            if (value != null) {
                keys.put(key, value);
            }
        }
        return keys;
    }

    static void end() {
        ALL.forEach(MDC::remove);
    }
}
