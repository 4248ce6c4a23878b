package com.domainautomation.queue;

import com.domainautomation.support.ApiException;
import com.domainautomation.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.camel.Exchange;

/** Admin endpoints over the queues: counts and throughput, failed jobs, retry and delete, pause and resume. */
public class QueueAdmin {
    private final RedisQueueComponent queues;
    private final Set<String> names;

    public QueueAdmin(RedisQueueComponent queues, Set<String> names) {
        this.queues = queues;
        this.names = Set.copyOf(names);
    }

    public List<Map<String, Object>> list(Exchange exchange) {
        List<Map<String, Object>> stats = new ArrayList<>();
        for (String name : names.stream().sorted().toList()) {
            stats.add(queues.queue(name).stats());
        }
        return stats;
    }

    public List<Map<String, Object>> failed(Exchange exchange) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (String record : queue(exchange).failedJobs().values()) {
            jobs.add(withBodyRead(Json.readMap(record)));
        }
        return jobs;
    }

    public Map<String, Object> retry(Exchange exchange) {
        RedisJobQueue queue = queue(exchange);
        return queued(exchange, "Failed job", queue::retryFailed);
    }

    /** Every failed job of the queue put back as a first attempt; the answer says how many. */
    public Map<String, Object> retryAll(Exchange exchange) {
        RedisJobQueue queue = queue(exchange);
        int retried = 0;
        for (String jobId : queue.failedJobs().keySet()) {
            retried += queue.retryFailed(jobId) ? 1 : 0;
        }
        exchange.setProperty("responseStatus", 202);
        return Map.of("queue", queue.name(), "retried", retried);
    }

    /** The queue's delayed jobs (waiting for a backoff or a later start), soonest first, at most 1,000. */
    public List<Map<String, Object>> delayed(Exchange exchange) {
        return queue(exchange).delayedJobs(1000).stream()
                .map(QueueAdmin::withBodyRead)
                .toList();
    }

    /** Runs a delayed job now. */
    public Map<String, Object> promote(Exchange exchange) {
        RedisJobQueue queue = queue(exchange);
        return queued(exchange, "Delayed job", queue::promote);
    }

    /** The job of the path's {@code jobId} queued again by {@code action} (202), or 404 naming {@code what}. */
    private static Map<String, Object> queued(Exchange exchange, String what, Predicate<String> action) {
        String jobId = exchange.getMessage().getHeader("jobId", String.class);
        if (!action.test(jobId)) {
            throw ApiException.notFound(what + " " + jobId);
        }
        exchange.setProperty("responseStatus", 202);
        return Map.of("jobId", jobId, "status", "queued");
    }

    /** A job as listed: its body (the payload's JSON text) read as an object, or kept as text when it is not one. */
    private static Map<String, Object> withBodyRead(Map<String, Object> record) {
        Map<String, Object> job = new LinkedHashMap<>(record);
        if (job.get("body") instanceof String text) {
            try {
                job.put("body", Json.readMap(text));
            } catch (IllegalArgumentException e) {
                // keep the raw text
            }
        }
        return job;
    }

    /** Pauses the queue on every instance (jobs in flight finish); the answer is the queue's counts. */
    public Map<String, Object> pause(Exchange exchange) {
        RedisJobQueue queue = queue(exchange);
        queue.pause();
        return queue.stats();
    }

    public Map<String, Object> resume(Exchange exchange) {
        RedisJobQueue queue = queue(exchange);
        queue.resume();
        return queue.stats();
    }

    public Map<String, Object> delete(Exchange exchange) {
        String jobId = exchange.getMessage().getHeader("jobId", String.class);
        if (!queue(exchange).deleteFailed(jobId)) {
            throw ApiException.notFound("Failed job " + jobId);
        }
        return Map.of("jobId", jobId, "status", "deleted");
    }

    private RedisJobQueue queue(Exchange exchange) {
        String name = exchange.getMessage().getHeader("queue", String.class);
        if (!names.contains(name)) {
            throw new ApiException(
                    404,
                    "not_found",
                    "There is no queue '" + name + "' (queues: "
                            + String.join(", ", names.stream().sorted().toList()) + ")");
        }
        return queues.queue(name);
    }
}
