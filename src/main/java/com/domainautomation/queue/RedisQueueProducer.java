package com.domainautomation.queue;

import com.domainautomation.support.Ids;
import com.domainautomation.support.Json;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Adds the exchange body (JSON text, or anything Jackson can write) as one job, and returns once Redis has it. Headers:
 * {@code JobId} (dedupe: accepted once per dedupe window), {@code JobDelay} (ms), {@code JobPriority} (1–3). With
 * {@code batch=true} the body is a list and each element is one job. The header {@code JobAccepted} tells whether
 * the job was new (false: a duplicate id). A body of type {@link JobRequest} brings its own id and delay instead.
 */
class RedisQueueProducer extends DefaultProducer {
    private final RedisQueueEndpoint endpoint;

    RedisQueueProducer(RedisQueueEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        var message = exchange.getMessage();
        Integer priority = message.getBody() instanceof JobRequest request && request.priority() != null
                ? request.priority()
                : message.getHeader(QueueConstants.HEADER_JOB_PRIORITY, Integer.class);
        int prio = priority == null ? Job.NORMAL : priority;
        long now = System.currentTimeMillis();
        if (endpoint.isBatch()) {
            List<?> bodies = message.getMandatoryBody(List.class);
            List<Job> jobs = new ArrayList<>(bodies.size());
            Map<Job, Map<String, String>> keys = new IdentityHashMap<>();
            for (Object body : bodies) {
                Job job = new Job(
                        Ids.newId("job"),
                        json(body instanceof JobRequest request ? request.payload() : body),
                        1,
                        now,
                        prio);
                jobs.add(job);
                keys.put(job, body instanceof JobRequest request ? request.keys() : Map.of());
            }
            message.setHeader("JobAccepted", endpoint.getQueue().enqueueAll(jobs, 0, keys::get));
            return;
        }
        String id;
        Long delay;
        Object payload;
        Map<String, String> keys = Map.of();
        if (message.getBody() instanceof JobRequest request) {
            id = request.id();
            delay = request.delayMillis();
            payload = request.payload();
            keys = request.keys();
        } else {
            id = message.getHeader(QueueConstants.HEADER_JOB_ID, String.class);
            delay = message.getHeader(QueueConstants.HEADER_JOB_DELAY, Long.class);
            payload = message.getBody();
        }
        Job job = new Job(id != null ? id : Ids.newId("job"), json(payload), 1, now, prio);
        boolean accepted = endpoint.getQueue()
                .enqueue(job, delay == null ? 0 : delay, id != null ? endpoint.getDedupeWindow() : 0, keys);
        message.setHeader("JobAccepted", accepted);
        if (message.getBody() instanceof JobRequest) {
            message.setBody(payload); // as with the headers: after the producer, the body is what was queued
        }
    }

    private static String json(Object body) {
        return body instanceof String text ? text : Json.write(body);
    }
}
