package com.domainautomation.queue;

import com.domainautomation.support.ApiException;
import com.domainautomation.support.Json;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
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

    /**
     * Failed jobs of the queue put back as first attempts: the ones a body {@code {"ids": [...]}} names (at most 1,000;
     * an id not failed is listed under {@code notFailed}), or every one without a body (or with {@code {}}); the answer
     * says how many.
     */
    public Map<String, Object> retryAll(Exchange exchange) {
        RedisJobQueue queue = queue(exchange);
        List<String> ids = selectedIds(JsonRequest.of(exchange));
        boolean selected = ids != null;
        if (!selected) {
            ids = List.copyOf(queue.failedJobs().keySet());
        }
        int retried = 0;
        List<String> notFailed = new ArrayList<>();
        for (String jobId : ids) {
            if (queue.retryFailed(jobId)) {
                retried++;
            } else {
                notFailed.add(jobId);
            }
        }
        exchange.setProperty("responseStatus", 202);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue", queue.name());
        answer.put("retried", retried);
        if (selected) {
            answer.put("notFailed", notFailed);
        }
        return answer;
    }

    /** The ids a retry's body names; null for no body or {@code {}} (every failed job). */
    private static List<String> selectedIds(JsonRequest request) {
        if (request.bytes() == null || request.bytes().length == 0) {
            return null;
        }
        String example = "{\"ids\": [\"<jobId>\", ...]}";
        Map<String, Object> body = Requests.jsonObject(request, example);
        Requests.rejectUnknownFields(body, Set.of("ids"));
        if (body.isEmpty()) {
            return null;
        }
        if (!(body.get("ids") instanceof List<?> ids)
                || ids.isEmpty()
                || ids.size() > 1000
                || !ids.stream()
                        .allMatch(id -> id instanceof String text
                                && JOB_ID.matcher(text).matches())) {
            throw ApiException.badRequest(
                    "ids must be a list of 1 to 1,000 job ids, like " + example,
                    List.of(Map.of("field", "ids", "message", "1 to 1,000 job ids")));
        }
        return ids.stream().map(String::valueOf).distinct().toList();
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

    /**
     * {@code ?domain=}, {@code ?orderId=}, {@code ?clientId=} or {@code ?jobId=} (exactly one, with {@code &limit=}):
     * the records of the jobs about it in every queue, newest first, whatever their state and past the queues' own
     * retention.
     */
    public List<Map<String, Object>> search(Exchange exchange) {
        Requests.rejectUnknownQuery(exchange, Set.of("domain", "orderId", "clientId", "jobId", "limit"));
        var message = exchange.getMessage();
        Map<String, String> given = new LinkedHashMap<>();
        for (String key : SEARCH_KEYS) {
            String value = message.getHeader(key, String.class);
            if (value != null && !value.isBlank()) {
                given.put(key, value.trim());
            }
        }
        if (given.size() != 1) {
            throw ApiException.badRequest(
                    "Search by exactly one of domain, orderId, clientId or jobId, e.g. ?domain=example.com",
                    List.of(Map.of("field", "query", "message", "give exactly one of " + SEARCH_KEYS)));
        }
        int limit = Requests.limit(message.getHeader("limit", String.class));
        String key = given.keySet().iterator().next();
        String value = key.equals("jobId")
                ? (JOB_ID.matcher(given.get(key)).matches() ? given.get(key) : null)
                : JobKeys.normalised(key, given.get(key));
        if (value == null) {
            throw ApiException.badRequest(
                    key + " is not one a job can be about (letters, digits and . _ : -; a domain in its ASCII form)",
                    List.of(Map.of("field", key, "message", "not a valid value")));
        }
        List<Map<String, String>> found = new ArrayList<>();
        for (String name : names.stream().sorted().toList()) {
            RedisJobQueue queue = queues.queue(name);
            if (key.equals("jobId")) {
                Map<String, String> record = queue.record(value);
                if (record != null) {
                    found.add(record);
                }
            } else {
                found.addAll(queue.records(key, value, limit));
            }
        }
        return found.stream()
                .sorted(Comparator.comparingLong((Map<String, String> r) -> millis(r.get("enqueuedAt")))
                        .reversed())
                .limit(limit)
                .map(QueueAdmin::recordView)
                .toList();
    }

    private static final List<String> SEARCH_KEYS = List.of("domain", "orderId", "clientId", "jobId");
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,300}");
    private static final List<String> TIMES = List.of("enqueuedAt", "startedAt", "finishedAt", "updatedAt", "runsAt");

    /** A job's record as the API shows it: times as ISO-8601, counts as numbers, what it is about under {@code about}. */
    static Map<String, Object> recordView(Map<String, String> record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", record.get("id"));
        view.put("queue", record.get("queue"));
        view.put("state", record.get("state"));
        view.put("attempts", record.get("attempts") == null ? null : Integer.valueOf(record.get("attempts")));
        view.put("error", record.get("error"));
        for (String time : TIMES) {
            long at = millis(record.get(time));
            view.put(time, at > 0 ? Instant.ofEpochMilli(at).toString() : null);
        }
        Map<String, Object> about = new LinkedHashMap<>();
        for (String key : JobKeys.ALL) {
            if (record.get(key) != null) {
                about.put(key, record.get(key));
            }
        }
        view.put("about", about);
        return view;
    }

    private static long millis(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
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
