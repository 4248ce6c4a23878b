package com.domainautomation.transfers;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;

import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.domains.DomainWorker;
import com.domainautomation.domains.Jobs;
import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.registrar.RegistrarRejectedException;
import com.domainautomation.support.Db;
import com.domainautomation.transfers.TransferSteps.Step;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the transfer route ({@code transfer-queue.camel.yaml}); its decisions are in {@link TransferSteps}.
 * While the transfer is pending, each check queues the next one after {@code checkInterval}.
 */
public class TransferWorker extends DomainWorker {
    private static final Logger LOG = LoggerFactory.getLogger(TransferWorker.class);

    private final Duration checkInterval;

    public TransferWorker(DomainJobs jobs, Duration checkInterval) {
        super(jobs);
        this.checkInterval = checkInterval;
    }

    /** The job's domain, leased to it; null when it is not a pending transfer. Another job's lease puts it back. */
    public Domain lease(@Body TransferJob payload, @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        return jobs.lease(
                payload.domainId(),
                and(eq("status", Domain.PENDING), exists("transferStatus")),
                DomainJobs.Lease.WORK,
                job.id());
    }

    /** What this job does now; skipping a domain it holds hands the lease back. */
    public Step firstStep(@Body TransferJob payload, @ExchangeProperty("domain") Domain domain) {
        Step step = domain == null
                ? Step.SKIP
                : TransferSteps.atStart(
                        domain.transferStatus() != null,
                        payload.isRequest(),
                        domain.transferStatus(),
                        domain.transferAttempts(),
                        checkedWithin(domain, checkInterval.dividedBy(2)));
        if (step == Step.SKIP && domain != null) {
            jobs.release(domain.id(), DomainJobs.Lease.WORK);
        }
        return step;
    }

    private boolean checkedWithin(Domain domain, Duration recently) {
        Instant last = domain.transferLastChecked();
        return last != null && last.isAfter(clock.now().minus(recently));
    }

    /** After {@code GET /v1/domains/{domain}}: the body is the registrar's record, or null when it is not ours. */
    public Step reconciled(@Body Map<?, ?> registrarDomain) {
        return TransferSteps.afterReconcile(status(registrarDomain));
    }

    public void recordAttempt(@ExchangeProperty("domain") Domain domain) {
        db.get(Db.DOMAINS).updateOne(eq("_id", domain.id()), Updates.inc("transferAttempts", 1));
    }

    /** The registrar took the request: pending now (the auth code is no longer kept); returns the first check job. */
    public JobRequest requested(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.id()),
                        Updates.combine(
                                Updates.set("transferStatus", "pending"),
                                Updates.unset("authCode"),
                                Updates.set("leaseUntil", null),
                                Updates.set("updatedAt", Date.from(clock.now()))));
        jobs.recorded(domain, job, "transfer-request");
        return nextCheck(domain);
    }

    /** After {@code GET /v1/domains/{domain}}: the look is recorded, the lease handed back; what follows is decided. */
    public Step checked(@Body Map<?, ?> registrarDomain, @ExchangeProperty("domain") Domain domain) {
        String status = status(registrarDomain);
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.id()),
                        Updates.combine(
                                Updates.set("transferLastChecked", Date.from(clock.now())),
                                Updates.set("registrarStatus", status == null ? "" : status),
                                Updates.set("leaseUntil", null)));
        return TransferSteps.afterCheck(status, domain.registrarStatus());
    }

    /** The next status check, an interval from now. */
    public JobRequest nextCheck(@ExchangeProperty("domain") Domain domain) {
        String id = domain.id();
        return JobRequest.of(
                        new TransferJob(id, TransferJob.CHECK),
                        "transfer-check:" + id + ":" + clock.now().toEpochMilli())
                .delayedBy(checkInterval.toMillis());
    }

    /** A new registrar status while pending: the owner's email about it. */
    public JobRequest statusEmail(
            @ExchangeProperty("registrarDomain") Map<?, ?> registrarDomain, @ExchangeProperty("domain") Domain domain) {
        String status = status(registrarDomain);
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("status", status);
        data.put("statusText", TransferStatusText.describe(status));
        return DomainJobs.email("domain-transfer-update", domain, domain.id() + ":" + status, data);
    }

    /** The expiry the registrar reports for the transferred domain (a year from now when it does not say). */
    public Instant transferredExpiry(@ExchangeProperty("registrarDomain") Map<?, ?> registrarDomain) {
        Object expires = registrarDomain == null ? null : registrarDomain.get("expires");
        try {
            return Instant.parse(String.valueOf(expires));
        } catch (RuntimeException e) {
            return clock.now().atZone(ZoneOffset.UTC).plusYears(1).toInstant();
        }
    }

    /** Complete: the charge's outcome and the activity are recorded; returns the owner's email. */
    public JobRequest completed(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty("expiresAt") Instant expiresAt,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("expiresAt", expiresAt.toString().substring(0, 10));
        return jobs.orderSucceeded(domain, job, DomainJobs.Work.TRANSFER, "domain-transfer-complete", data);
    }

    /** After the owner's email is queued: the domain is active. */
    public void markComplete(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty("expiresAt") Instant expiresAt) {
        jobs.settleActive(
                domain.id(),
                clock.now(),
                expiresAt,
                Updates.set("transferStatus", "completed"),
                Updates.set("transferNeedsAttention", false),
                Updates.unset("authCode"));
        LOG.info("Transfer of {} complete", domain.name());
    }

    /** Why a check failed the transfer. */
    public String checkFailure(@ExchangeProperty("registrarDomain") Map<?, ?> registrarDomain) {
        return "the registrar reports " + status(registrarDomain);
    }

    // --- give-up (dead-letter) steps ------------------------------------------------------------------------------

    public Domain domainOf(@Body TransferJob payload) {
        return jobs.find(payload.domainId());
    }

    public Step giveUpStep(@ExchangeProperty("domain") Domain domain) {
        return TransferSteps.atGiveUp(domain != null && domain.pending());
    }

    /** Why a request failed for good: refused (e.g. a wrong auth code), or never answered. */
    public String giveUpReason(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        return cause instanceof RegistrarRejectedException rejected
                ? "the registrar refused the transfer (" + rejected.code() + "): "
                        + rejected.getMessage().substring(rejected.code().length() + 2)
                : "the registrar could not be reached (" + (cause == null ? "unknown" : cause.getMessage()) + ")";
    }

    /**
     * A transfer that failed: refunded (once per domain), the name freed, recorded; returns the owner's
     * {@code domain-transfer-failed} email. {@link #markFailed} writes the domain after the email is queued.
     */
    public JobRequest fail(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty("failureReason") String reason,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        return jobs.orderRefunded(
                domain, job, DomainJobs.Work.TRANSFER, reason, "domain-transfer-failed", Jobs.emailData(domain));
    }

    public void markFailed(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty("failureReason") String reason) {
        jobs.settlePending(
                domain.id(),
                Updates.set("status", Domain.FAILED),
                Updates.set("transferStatus", "failed"),
                Updates.set("transferFailureReason", reason),
                Updates.unset("authCode"));
    }

    private static String status(Map<?, ?> registrarDomain) {
        Object status = registrarDomain == null ? null : registrarDomain.get("status");
        return status == null ? null : status.toString().toUpperCase(Locale.ROOT);
    }
}
