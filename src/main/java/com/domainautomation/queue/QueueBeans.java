package com.domainautomation.queue;

import com.domainautomation.config.Settings;
import com.domainautomation.config.Wiring;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;

/** The queue's beans: the {@code redisqueue:} component with what every queue shares, the throttle, the admin. */
public final class QueueBeans {
    private QueueBeans() {}

    public static void bind(Wiring w) {
        Settings settings = w.settings();
        RedisClient redis = w.get(RedisClient.class);
        RedisQueueComponent queues = new RedisQueueComponent(redis);
        queues.setDedupeWindow(settings.getInt("queue.dedupe-window-seconds"));
        queues.setRecordRetention(java.time.Duration.ofDays(settings.getInt("queue.job-record-retention-days")));
        // what every queue shares; a queue route states only its own options (concurrency, attempts, backoff)
        Map.of(
                        "visibilityTimeout",
                        "queue.visibility-timeout-ms",
                        "maxDeliveries",
                        "queue.max-deliveries",
                        "shutdownTimeout",
                        "queue.shutdown-timeout-ms",
                        "keepCompleted",
                        "queue.keep-completed",
                        "keepCompletedAge",
                        "queue.keep-completed-age-ms",
                        "keepFailed",
                        "queue.keep-failed",
                        "keepFailedAge",
                        "queue.keep-failed-age-ms")
                .forEach((option, key) -> queues.setEndpointDefault(option, settings.get(key)));
        w.bind("redisqueue", queues);
        w.bind(new ClusterThrottle(redis));
        Set<String> names = Set.of(settings.get("queue.names").split("\\s*,\\s*"));
        w.bind(new QueueAdmin(queues, names));
        queues.setMetrics(QueueMetrics.bind(w.get(MeterRegistry.class), queues, names));
    }
}
