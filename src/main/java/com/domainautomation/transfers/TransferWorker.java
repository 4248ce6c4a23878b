package com.domainautomation.transfers;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.domains.Jobs;
import com.domainautomation.domains.RegistrarStatus;
import com.domainautomation.queue.QueueConstants;
import com.domainautomation.registrar.RegistrarRejectedException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.RetryableException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the transfer route. A job is either the transfer request ({@code action: request}: POST
 * /v1/domains/{domain}/transfer, not idempotent, so a retry first asks whether the transfer is already known) or a
 * status check ({@code action: check}: GET /v1/domains/{domain}, status read by prefix family). While the transfer is
 * pending, each check queues the next one after {@code checkInterval}.
 */
public class TransferWorker {
    public static final String STEP = "transferStep";
    private static final Logger LOG = LoggerFactory.getLogger(TransferWorker.class);

    private final Db db;
    private final WalletLedger ledger;
    private final ActivityLog activity;
    private final AppClock clock;
    private final Duration lease;
    private final Duration checkInterval;

    public TransferWorker(
            Db db, WalletLedger ledger, ActivityLog activity, AppClock clock, Duration lease, Duration checkInterval) {
        this.db = db;
        this.ledger = ledger;
        this.activity = activity;
        this.clock = clock;
        this.lease = lease;
        this.checkInterval = checkInterval;
    }

    public void begin(Exchange exchange) {
        exchange.setProperty("startedAt", System.currentTimeMillis());
        Map<?, ?> job = exchange.getMessage().getBody(Map.class);
        Document domain = db.get(Db.DOMAINS)
                .find(eq("_id", String.valueOf(job.get("domainId"))))
                .first();
        if (domain == null
                || !DomainRecords.PENDING.equals(domain.getString("status"))
                || domain.getString("transferStatus") == null) {
            exchange.setProperty(STEP, "skip");
            return;
        }
        String jobId = String.valueOf(exchange.getProperty(QueueConstants.JOB_ID));
        Date now = Date.from(clock.now());
        Document leased = db.get(Db.DOMAINS)
                .findOneAndUpdate(
                        and(
                                eq("_id", domain.getString("_id")),
                                or(eq("leaseUntil", null), lt("leaseUntil", now), eq("leaseJob", jobId))),
                        Updates.combine(
                                Updates.set("leaseUntil", Date.from(clock.now().plus(lease))),
                                Updates.set("leaseJob", jobId)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (leased == null) {
            exchange.setProperty(QueueConstants.JOB_RETRY_KEEP_ATTEMPT, true);
            exchange.setProperty(QueueConstants.JOB_RETRY_DELAY, 1000L);
            throw new RetryableException("another job is working on the transfer of " + domain.getString("name"));
        }
        exchange.setProperty("domain", leased);
        boolean request = "request".equals(job.get("action"));
        if (request && !"requested".equals(leased.getString("transferStatus"))) {
            exchange.setProperty(STEP, "skip"); // the request was made already
        } else if (request) {
            exchange.setProperty(STEP, leased.getInteger("transferAttempts", 0) > 0 ? "reconcile" : "request");
        } else if (checkedWithin(leased, checkInterval.dividedBy(2))) {
            // another chain of checks (e.g. one the transfer-status cron queued) looked a moment ago: this one ends
            db.get(Db.DOMAINS).updateOne(eq("_id", leased.getString("_id")), Updates.set("leaseUntil", null));
            exchange.setProperty(STEP, "skip");
        } else {
            exchange.setProperty(STEP, "check");
        }
    }

    private boolean checkedWithin(Document domain, Duration recently) {
        Date last = domain.getDate("transferLastChecked");
        return last != null && last.toInstant().isAfter(clock.now().minus(recently));
    }

    /** Before retrying a request: if GoDaddy knows the domain in our account, the request went through. */
    public void reconciled(Exchange exchange) {
        Map<?, ?> details = exchange.getMessage().getBody(Map.class);
        exchange.setProperty(
                STEP,
                details != null && RegistrarStatus.owned(String.valueOf(details.get("status")))
                        ? "requested"
                        : "request");
    }

    public void recordAttempt(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        db.get(Db.DOMAINS).updateOne(eq("_id", domain.getString("_id")), Updates.inc("transferAttempts", 1));
    }

    /** The registrar took the request: pending now (the auth code is no longer kept); the body is the first check job. */
    public void requested(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.getString("_id")),
                        Updates.combine(
                                Updates.set("transferStatus", "pending"),
                                Updates.unset("authCode"),
                                Updates.set("leaseUntil", null),
                                Updates.set("updatedAt", Date.from(clock.now()))));
        activity.record(domain, Jobs.jobRef(exchange), "transfer-request", "success", null, Jobs.elapsed(exchange));
        nextCheck(exchange, domain);
    }

    /**
     * After GET /v1/domains/{domain}: ACTIVE → complete; FAILED/CANCELLED/… → failed; anything else (PENDING*, AWAITING*,
     * or not visible yet) → still pending, next check queued. For a final state the body becomes the owner's email.
     */
    public void checked(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        Map<?, ?> details = exchange.getMessage().getBody(Map.class);
        String status =
                details == null ? "" : String.valueOf(details.get("status")).toUpperCase(Locale.ROOT);
        Date now = Date.from(clock.now());
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.getString("_id")),
                        Updates.combine(
                                Updates.set("transferLastChecked", now),
                                Updates.set("registrarStatus", status),
                                Updates.set("leaseUntil", null)));
        if (status.startsWith("ACTIVE")) {
            Instant expires = instant(details.get("expires"));
            exchange.setProperty(
                    "expiresAt",
                    expires != null
                            ? expires
                            : clock.now().atZone(ZoneOffset.UTC).plusYears(1).toInstant());
            ledger.record(
                    domain.getString("userId"),
                    "transferred:" + domain.getString("_id"),
                    "transfer",
                    "charge:" + domain.getString("orderId"),
                    "Transferred " + domain.getString("name"));
            activity.record(domain, Jobs.jobRef(exchange), "transfer", "success", null, Jobs.elapsed(exchange));
            Map<String, Object> data = Jobs.emailData(domain);
            data.put(
                    "expiresAt",
                    exchange.getProperty("expiresAt", Instant.class).toString().substring(0, 10));
            Jobs.setEmail(exchange, "domain-transfer-complete", domain, data);
            exchange.setProperty(STEP, "complete");
        } else if (!status.isEmpty() && !RegistrarStatus.owned(status)) {
            fail(exchange, domain, "the registrar reports " + status);
        } else if (!status.isEmpty() && !status.equals(domain.getString("registrarStatus"))) {
            // a new registrar status while pending: the owner hears of it, and the checks go on
            Map<String, Object> data = Jobs.emailData(domain);
            data.put("status", status);
            data.put("statusText", TransferStatusText.describe(status));
            Jobs.setEmail(exchange, "domain-transfer-update", domain, data);
            exchange.getMessage()
                    .setHeader(
                            QueueConstants.HEADER_JOB_ID,
                            "email:domain-transfer-update:" + domain.getString("_id") + ":" + status);
            exchange.setProperty(STEP, "update");
        } else {
            exchange.setProperty(STEP, "pending");
            nextCheck(exchange, domain);
        }
    }

    /** After the status-change email is queued: the next check. */
    public void next(Exchange exchange) {
        nextCheck(exchange, exchange.getProperty("domain", Document.class));
    }

    /** Dead-letter steps of a request the registrar refused (e.g. a wrong auth code) or never answered. */
    public void giveUp(Exchange exchange) {
        Map<?, ?> job = exchange.getMessage().getBody(Map.class);
        Document domain = db.get(Db.DOMAINS)
                .find(eq("_id", String.valueOf(job.get("domainId"))))
                .first();
        if (domain == null || !DomainRecords.PENDING.equals(domain.getString("status"))) {
            exchange.setProperty(STEP, "skip");
            return;
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause instanceof RegistrarRejectedException rejected
                ? "the registrar refused the transfer (" + rejected.code() + "): "
                        + rejected.getMessage().substring(rejected.code().length() + 2)
                : "the registrar could not be reached (" + (cause == null ? "unknown" : cause.getMessage()) + ")";
        fail(exchange, domain, reason);
    }

    /** Final states: write the domain (after the email is queued). */
    public void settle(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        Date now = Date.from(clock.now());
        if ("complete".equals(exchange.getProperty(STEP))) {
            db.get(Db.DOMAINS)
                    .updateOne(
                            and(eq("_id", domain.getString("_id")), eq("status", DomainRecords.PENDING)),
                            Updates.combine(
                                    Updates.set("status", DomainRecords.ACTIVE),
                                    Updates.set("transferStatus", "completed"),
                                    Updates.set("transferNeedsAttention", false),
                                    Updates.set("registeredAt", now),
                                    Updates.set(
                                            "expiresAt", Date.from(exchange.getProperty("expiresAt", Instant.class))),
                                    Updates.unset("authCode"),
                                    Updates.set("updatedAt", now)));
            LOG.info("Transfer of {} complete", domain.getString("name"));
        } else {
            db.get(Db.DOMAINS)
                    .updateOne(
                            and(eq("_id", domain.getString("_id")), eq("status", DomainRecords.PENDING)),
                            Updates.combine(
                                    Updates.set("status", DomainRecords.FAILED),
                                    Updates.set("transferStatus", "failed"),
                                    Updates.set(
                                            "transferFailureReason",
                                            exchange.getProperty("failureReason", String.class)),
                                    Updates.unset("authCode"),
                                    Updates.set("leaseUntil", null),
                                    Updates.set("updatedAt", now)));
        }
    }

    /**
     * A transfer that failed: refund (once per domain), free the name, log it; the body becomes the owner's
     * {@code domain-transfer-failed} email. {@link #settle} writes the domain after the email is queued.
     */
    public void fail(Exchange exchange, Document domain, String reason) {
        exchange.setProperty("domain", domain);
        exchange.setProperty("failureReason", reason);
        ledger.post(
                domain.getString("userId"),
                "refund:" + domain.getString("_id"),
                domain.getLong("price"),
                "refund",
                domain.getString("_id"),
                "Refund: transfer of " + domain.getString("name") + " failed");
        db.get(Db.DOMAIN_CLAIMS)
                .deleteOne(and(eq("_id", domain.getString("name")), eq("orderId", domain.getString("orderId"))));
        activity.record(domain, Jobs.jobRef(exchange), "transfer", "failure", reason, Jobs.elapsed(exchange));
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("reason", reason);
        data.put("refund", Money.format(domain.getLong("price")));
        Jobs.setEmail(exchange, "domain-transfer-failed", domain, data);
        exchange.setProperty(STEP, "failed");
        LOG.warn("Transfer of {} failed: {}; refunded", domain.getString("name"), reason);
    }

    private void nextCheck(Exchange exchange, Document domain) {
        exchange.getMessage().setBody(Map.of("domainId", domain.getString("_id"), "action", "check"));
        exchange.getMessage()
                .setHeader(
                        QueueConstants.HEADER_JOB_ID,
                        "transfer-check:" + domain.getString("_id") + ":"
                                + clock.now().toEpochMilli());
        exchange.getMessage().setHeader(QueueConstants.HEADER_JOB_DELAY, checkInterval.toMillis());
    }

    private static Instant instant(Object value) {
        try {
            return value == null ? null : Instant.parse(value.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
