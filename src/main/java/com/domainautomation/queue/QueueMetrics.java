package com.domainautomation.queue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queues in Prometheus: jobs per queue and state now ({@code da_queue_jobs}), whether a queue is paused, job
 * outcomes ({@code da_queue_outcomes_total}: counted in Redis, so they do not go down when retention deletes jobs, survive
 * restarts and are the same on every instance), and how long this instance's jobs took ({@code da_job_duration}).
 * Redis is read at most once per {@link #STALE} per queue, however often Prometheus scrapes.
 */
public final class QueueMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);
    static final Duration STALE = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    /** The meters hold what they read weakly: kept here, as long as the component keeps these metrics. */
    private final List<Counts> counts = new ArrayList<>();

    private QueueMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the meters of every queue in {@code names}. */
    public static QueueMetrics bind(MeterRegistry registry, RedisQueueComponent queues, Set<String> names) {
        QueueMetrics metrics = new QueueMetrics(registry);
        for (String name : names) {
            Counts counts = new Counts(queues, name);
            metrics.counts.add(counts);
            for (String state : new String[] {"waiting", "active", "delayed", "failed"}) {
                Gauge.builder("da_queue_jobs", counts, c -> c.get(state))
                        .description("Jobs of the queue in this state now (failed: kept in the failed set)")
                        .tags("queue", name, "state", state)
                        .register(registry);
            }
            Gauge.builder("da_queue_paused", counts, c -> c.get("paused"))
                    .description("1 while the queue is paused (on every instance), else 0")
                    .tag("queue", name)
                    .register(registry);
            Map<String, String> outcomes = Map.of(
                    "completed", "completed",
                    "failed", "failedTotal",
                    "retried", "retriedTotal",
                    "put_back", "putBackTotal");
            outcomes.forEach((outcome, field) -> FunctionCounter.builder(
                            "da_queue_outcomes", counts, (ToDoubleFunction<Counts>) c -> c.get(field))
                    .description("Job outcomes since the queue began (kept in Redis): completed, failed (through the "
                            + "dead-letter channel into the failed set), retried (a failed attempt, tried again "
                            + "later), put_back (back later without using an attempt)")
                    .tags("queue", name, "outcome", outcome)
                    .register(registry));
        }
        return metrics;
    }

    /** A job this instance ran, by how it ended. */
    void jobFinished(String queue, String outcome, long nanos) {
        durations
                .computeIfAbsent(queue + "|" + outcome, key -> Timer.builder("da_job_duration")
                        .description("How long a job's run took on this instance, by its outcome")
                        .tags("queue", queue, "outcome", outcome)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(2))
                        .register(registry))
                .record(Duration.ofNanos(nanos));
    }

    /** A queue's counts as Redis last told them, read again once they are {@link #STALE}. */
    private static final class Counts {
        private final RedisQueueComponent queues;
        private final String name;
        private volatile Map<String, Object> last = Map.of();
        private volatile long readAt;

        Counts(RedisQueueComponent queues, String name) {
            this.queues = queues;
            this.name = name;
        }

        double get(String field) {
            long now = System.nanoTime();
            if (readAt == 0 || now - readAt > STALE.toNanos()) {
                try {
                    last = queues.queue(name).stats();
                } catch (RuntimeException e) {
                    LOG.debug("Queue {}: counts not read for the metrics: {}", name, e.toString());
                }
                readAt = now;
            }
            Object value = last.get(field);
            if (value instanceof Boolean b) {
                return b ? 1 : 0;
            }
            return value instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }
}
