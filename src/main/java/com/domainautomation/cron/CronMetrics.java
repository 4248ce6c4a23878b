package com.domainautomation.cron;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each cron's last successful run in Prometheus (from the store, so every instance shows the cluster's last run, and
 * read at most every {@link #STALE}): when it finished, how long it took, how many items it saw, and how many of them
 * failed. No run yet: no value (NaN).
 */
public final class CronMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(CronMetrics.class);
    static final Duration STALE = Duration.ofSeconds(15);

    /** The meters hold what they read weakly: kept here, as long as the registry of beans keeps these metrics. */
    private final List<LastSuccess> lastRuns = new ArrayList<>();

    private CronMetrics() {}

    public static CronMetrics bind(MeterRegistry registry, CronRuns runs, Collection<String> crons) {
        CronMetrics metrics = new CronMetrics();
        for (String cron : crons) {
            LastSuccess last = new LastSuccess(runs, cron);
            metrics.lastRuns.add(last);
            gauge(
                    registry,
                    cron,
                    last,
                    "da_cron_last_success_timestamp_seconds",
                    "When its last successful run finished",
                    s -> s.getDate("finishedAt").getTime() / 1000.0);
            gauge(
                    registry,
                    cron,
                    last,
                    "da_cron_last_success_duration_seconds",
                    "How long its last successful run took",
                    s -> s.get("durationMs", Number.class).doubleValue() / 1000.0);
            gauge(
                    registry,
                    cron,
                    last,
                    "da_cron_last_success_items",
                    "Items its last successful run looked at",
                    s -> s.get("seen", Number.class).doubleValue());
            gauge(
                    registry,
                    cron,
                    last,
                    "da_cron_last_success_errors",
                    "Items its last successful run failed on",
                    s -> s.get("errors", Number.class).doubleValue());
        }
        return metrics;
    }

    private static void gauge(
            MeterRegistry registry,
            String cron,
            LastSuccess last,
            String name,
            String description,
            ToDoubleFunction<Document> value) {
        Gauge.builder(name, last, l -> l.value(value))
                .description(description)
                .tag("cron", cron)
                .register(registry);
    }

    private static final class LastSuccess {
        private final CronRuns runs;
        private final String cron;
        private volatile Document summary;
        private volatile long readAt;

        LastSuccess(CronRuns runs, String cron) {
            this.runs = runs;
            this.cron = cron;
        }

        double value(ToDoubleFunction<Document> field) {
            long now = System.nanoTime();
            if (readAt == 0 || now - readAt > STALE.toNanos()) {
                try {
                    summary = runs.lastSuccess(cron);
                } catch (RuntimeException e) {
                    LOG.debug("Cron {}: last run not read for the metrics: {}", cron, e.toString());
                }
                readAt = now;
            }
            Document current = summary;
            if (current == null) {
                return Double.NaN;
            }
            try {
                return field.applyAsDouble(current);
            } catch (RuntimeException e) { // a summary written before this field existed
                return Double.NaN;
            }
        }
    }
}
