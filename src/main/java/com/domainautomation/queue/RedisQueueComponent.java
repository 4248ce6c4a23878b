package com.domainautomation.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code redisqueue:<name>[?options]}: a durable, SEDA-style queue on Redis Streams.
 *
 * <p>Producers add jobs (the body as JSON); consumers run the route for each job with
 * {@code concurrentConsumers} threads and acknowledge only after the route completes. See {@link RedisQueueEndpoint}
 * for the options.
 */
public class RedisQueueComponent extends DefaultComponent {
    private final RedisClient client;
    private final Map<String, RedisJobQueue> queues = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<String, String> shared;
    private long dedupeWindow = java.time.Duration.ofDays(7).toSeconds();
    private final Map<String, Object> endpointDefaults = new ConcurrentHashMap<>();
    private volatile java.time.Duration recordRetention = java.time.Duration.ofDays(30);
    private volatile QueueMetrics metrics;

    /** Where consumers report how long each job took (none: not measured). */
    public void setMetrics(QueueMetrics metrics) {
        this.metrics = metrics;
    }

    QueueMetrics metrics() {
        return metrics;
    }

    public RedisQueueComponent(RedisClient client) {
        this.client = client;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || !remaining.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "redisqueue: queue name must be lower-case letters, digits and dashes: " + remaining);
        }
        RedisQueueEndpoint endpoint = new RedisQueueEndpoint(uri, this, queue(remaining));
        endpoint.setDedupeWindow(dedupeWindow);
        setProperties(endpoint, new java.util.HashMap<>(endpointDefaults));
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * An option every endpoint gets unless its URI sets it (the options all queues share: visibility timeout,
     * deliveries, shutdown timeout, retention), so that a queue route states only what is its own.
     */
    public void setEndpointDefault(String option, Object value) {
        endpointDefaults.put(option, value);
    }

    /** How long every queue keeps a job's searchable record after its last change. */
    public void setRecordRetention(java.time.Duration age) {
        this.recordRetention = age;
        queues.values().forEach(queue -> queue.keepRecordsFor(age));
    }

    /** Default for every endpoint: a producer-given job id is accepted once within this many seconds. */
    public void setDedupeWindow(long seconds) {
        this.dedupeWindow = seconds;
    }

    public RedisJobQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> {
            RedisJobQueue queue = new RedisJobQueue(n, this::sharedConnection);
            queue.keepRecordsFor(recordRetention);
            return queue;
        });
    }

    /** A dedicated connection, for a consumer's blocking reads (they would stall a shared one). */
    StatefulRedisConnection<String, String> newConnection() {
        return client.connect();
    }

    private synchronized StatefulRedisConnection<String, String> sharedConnection() {
        if (shared == null) {
            shared = client.connect();
        }
        return shared;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (shared != null) {
            shared.close();
            shared = null;
        }
        queues.clear();
    }
}
