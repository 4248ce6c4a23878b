package com.domainautomation.cron;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * One run of a cron: what started it, the instant its date rules use ({@link #asOf}), and its counters. The run
 * summary written at the end is made from it.
 */
public final class CronRun {
    private static final int ERROR_SAMPLES = 20;

    private final String cron;
    private final String trigger;
    private final Instant fireTime;
    private final Instant asOf;
    private final String lockToken;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, AtomicLong> counts = new ConcurrentSkipListMap<>();
    private final List<String> errorSamples = new ArrayList<>();
    private volatile long lockRenewedAt = System.nanoTime();

    CronRun(String cron, String trigger, Instant fireTime, Instant asOf, String lockToken) {
        this.cron = cron;
        this.trigger = trigger;
        this.fireTime = fireTime;
        this.asOf = asOf;
        this.lockToken = lockToken;
    }

    public String cron() {
        return cron;
    }

    /** The one "now" of this run: every date rule of the run compares with it. */
    public Instant asOf() {
        return asOf;
    }

    /** The scheduled fire this run stands for; null for a run an admin asked for. */
    public Instant fireTime() {
        return fireTime;
    }

    public String trigger() {
        return trigger;
    }

    String lockToken() {
        return lockToken;
    }

    long lockRenewedAt() {
        return lockRenewedAt;
    }

    void lockRenewed() {
        lockRenewedAt = System.nanoTime();
    }

    public void seen() {
        seen.incrementAndGet();
    }

    public void queued() {
        queued.incrementAndGet();
    }

    /** Counts an outcome by name (e.g. {@code reminder-7}, {@code expired}); shown in the summary. */
    public void count(String outcome) {
        counts.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    public void error(String what) {
        errors.incrementAndGet();
        synchronized (errorSamples) {
            if (errorSamples.size() < ERROR_SAMPLES) {
                errorSamples.add(what);
            }
        }
    }

    public long errors() {
        return errors.get();
    }

    /** The run summary (for the activity log and the cron's state). */
    Document summary(Instant finishedAt, String result, String failure) {
        Document byOutcome = new Document();
        counts.forEach((k, v) -> byOutcome.append(k, v.get()));
        Document summary = new Document("cron", cron)
                .append("trigger", trigger)
                .append("fireTime", fireTime == null ? null : Date.from(fireTime))
                .append("startedAt", Date.from(asOf)) // also the "now" of every date rule in the run
                .append("finishedAt", Date.from(finishedAt))
                .append("durationMs", (System.nanoTime() - startedNanos) / 1_000_000)
                .append("result", result)
                .append("seen", seen.get())
                .append("queued", queued.get())
                .append("errors", errors.get())
                .append("outcomes", byOutcome);
        synchronized (errorSamples) {
            summary.append("errorSamples", List.copyOf(errorSamples));
        }
        if (failure != null) {
            summary.append("failure", failure);
        }
        return summary;
    }
}
