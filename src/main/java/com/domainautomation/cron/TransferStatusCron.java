package com.domainautomation.cron;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.Db;
import com.domainautomation.transfers.TransferJob;
import com.domainautomation.transfers.TransferWorker;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the transfer-status cron, for every transfer still under way: a status check for one not checked
 * within the check interval (the transfer worker's own chain of checks may have broken, e.g. a job lost with its
 * Redis); {@code stalled} with {@code transferNeedsAttention} after {@code stalledAfter}; failed, refunded and
 * emailed after {@code failedAfter}, taking the domain's lease first so that no status check completes it meanwhile.
 */
public class TransferStatusCron {
    static final String REVIEW = "transferReview";
    private static final Logger LOG = LoggerFactory.getLogger(TransferStatusCron.class);
    private static final String LEASE_HOLDER = "cron:transfer-status";

    private final Db db;
    private final CronRuns crons;
    private final TransferWorker transfers;
    private final DomainJobs domainJobs;
    private final ActivityLog activity;
    private final Duration checkInterval;
    private final Duration stalledAfter;
    private final Duration failedAfter;

    public TransferStatusCron(
            Db db,
            CronRuns crons,
            TransferWorker transfers,
            DomainJobs domainJobs,
            ActivityLog activity,
            Duration checkInterval,
            Duration stalledAfter,
            Duration failedAfter) {
        this.db = db;
        this.crons = crons;
        this.transfers = transfers;
        this.domainJobs = domainJobs;
        this.activity = activity;
        this.checkInterval = checkInterval;
        this.stalledAfter = stalledAfter;
        this.failedAfter = failedAfter;
    }

    /** What a run does with one transfer besides flagging it: queue a status check, fail it, or nothing. */
    public enum Action {
        NONE,
        CHECK,
        FAIL
    }

    /**
     * The outcome of {@link #review}: the job to queue (a status check, or the owner's failure email), and for a
     * failure the domain as leased by the cron and the reason.
     */
    public record Review(Action action, JobRequest job, Domain domain, String reason) {
        static final Review NOTHING = new Review(Action.NONE, null, null, null);
    }

    /** Transfers under way: requested (waiting for the request job), pending or stalled at the registrar. */
    public StreamedQuery due(@ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        return new StreamedQuery(db.get(Db.DOMAINS)
                .find(and(eq("status", Domain.PENDING), in("transferStatus", "requested", "pending", "stalled")))
                .batchSize(200));
    }

    /**
     * Per transfer: too old, it fails (refunded now, the owner's email to queue); pending long, it is flagged stalled;
     * not checked within the interval, a status check is due.
     */
    public Review review(@Body Domain domain, @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        Instant now = run.asOf();
        Instant requestedAt = domain.transferRequestedAt();
        Duration age = requestedAt == null ? Duration.ZERO : Duration.between(requestedAt, now);
        String id = domain.id();
        if (age.compareTo(failedAfter) > 0) {
            Domain leased = domainJobs.tryLease(
                    id, eq("status", Domain.PENDING), DomainJobs.Lease.WORK, LEASE_HOLDER, Duration.ofMinutes(10));
            if (leased == null) {
                run.count("busy"); // a status check holds it: next hour
                return Review.NOTHING;
            }
            String reason = "the transfer was still not complete " + failedAfter.toDays()
                    + " days after it was requested; we stopped following it and refunded you";
            return new Review(
                    Action.FAIL,
                    transfers.fail(leased, reason, JobContext.outsideQueue("cron", "transfer-status")),
                    leased,
                    reason);
        }
        if (age.compareTo(stalledAfter) > 0 && !domain.transferNeedsAttention()) {
            List<Bson> changes = new ArrayList<>(List.of(
                    Updates.set("transferNeedsAttention", true),
                    Updates.set("transferStalledAt", Date.from(now)),
                    Updates.set("updatedAt", Date.from(now))));
            if ("pending".equals(domain.transferStatus())) {
                changes.add(Updates.set("transferStatus", "stalled"));
            }
            long updated = db.get(Db.DOMAINS)
                    .updateOne(
                            and(eq("_id", id), eq("status", Domain.PENDING), eq("transferNeedsAttention", false)),
                            Updates.combine(changes))
                    .getModifiedCount();
            if (updated == 1) {
                run.count("stalled");
                activity.record(
                        domain,
                        "cron/transfer-status",
                        "transfer-stalled",
                        "attention",
                        "still pending after " + age.toDays() + " days",
                        null);
                LOG.warn(
                        "Transfer of {} stalled: pending for {} days; it needs attention", domain.name(), age.toDays());
            }
        }
        // never checked yet: its first check is due an interval after the request
        Instant lastLook = domain.transferLastChecked() != null ? domain.transferLastChecked() : requestedAt;
        boolean atRegistrar = !"requested".equals(domain.transferStatus());
        if (atRegistrar && (lastLook == null || lastLook.isBefore(now.minus(checkInterval)))) {
            // one check per look: a rerun before the check has run queues nothing more
            JobRequest check = JobRequest.of(
                    new TransferJob(id, TransferJob.CHECK),
                    "transfer-check:" + id + ":cron-after:" + (lastLook == null ? 0 : lastLook.toEpochMilli()));
            return new Review(Action.CHECK, check, null, null);
        }
        return Review.NOTHING;
    }

    /** After the check job is queued (or found queued already, by a run before this one). */
    public void checkQueued(@Header("JobAccepted") Boolean accepted, @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        if (Boolean.FALSE.equals(accepted)) {
            run.count("check-queued-earlier");
            return;
        }
        run.queued();
        run.count("check-queued");
    }

    /** After the failure email is queued: the domain is written failed and counted. */
    public void failed(@ExchangeProperty(REVIEW) Review review, @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        transfers.markFailed(review.domain(), review.reason());
        run.queued();
        run.count("failed-after-" + failedAfter.toDays() + "-days");
    }
}
