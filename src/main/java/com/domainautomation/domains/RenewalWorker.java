package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.queue.QueueConstants;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.RetryableException;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the renewal route. A v1 renewal is not idempotent (a retry could renew, and charge, twice), so before
 * any retry the worker compares the registrar's {@code expires} with the expiry recorded before the first call: if
 * it moved, the renewal happened. One renewal of a domain runs at a time (a lease on the domain).
 */
public class RenewalWorker {
    public static final String STEP = "renewalStep";
    private static final Logger LOG = LoggerFactory.getLogger(RenewalWorker.class);

    private final Db db;
    private final WalletLedger ledger;
    private final ActivityLog activity;
    private final AppClock clock;
    private final Duration lease;
    private final int autoRenewMaxAttempts;
    private final RegistrarLookup registrar = new RegistrarLookup();

    public RenewalWorker(
            Db db,
            WalletLedger ledger,
            ActivityLog activity,
            AppClock clock,
            Duration lease,
            int autoRenewMaxAttempts) {
        this.db = db;
        this.ledger = ledger;
        this.activity = activity;
        this.clock = clock;
        this.lease = lease;
        this.autoRenewMaxAttempts = autoRenewMaxAttempts;
    }

    /** Loads the renewal and its domain, takes the domain's renewal lease; decides: skip, reconcile, or renew. */
    public void begin(Exchange exchange) {
        exchange.setProperty("startedAt", System.currentTimeMillis());
        Document renewal = renewal(exchange);
        if (renewal == null || !"pending".equals(renewal.getString("status"))) {
            exchange.setProperty(STEP, "skip");
            return;
        }
        String jobId = String.valueOf(exchange.getProperty(QueueConstants.JOB_ID));
        Date now = Date.from(clock.now());
        Document domain = db.get(Db.DOMAINS)
                .findOneAndUpdate(
                        and(
                                eq("_id", renewal.getString("domainId")),
                                or(
                                        eq("renewLeaseUntil", null),
                                        lt("renewLeaseUntil", now),
                                        eq("renewLeaseJob", jobId))),
                        Updates.combine(
                                Updates.set(
                                        "renewLeaseUntil", Date.from(clock.now().plus(lease))),
                                Updates.set("renewLeaseJob", jobId)),
                        new com.mongodb.client.model.FindOneAndUpdateOptions()
                                .returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
        if (domain == null) {
            // waiting for another job is not this job's failure: put back, attempt kept
            exchange.setProperty(QueueConstants.JOB_RETRY_KEEP_ATTEMPT, true);
            exchange.setProperty(QueueConstants.JOB_RETRY_DELAY, 1000L);
            throw new RetryableException("another renewal of this domain is running");
        }
        exchange.setProperty("renewal", renewal);
        exchange.setProperty("domain", domain);
        exchange.setProperty(STEP, renewal.getInteger("renewAttempts", 0) > 0 ? "reconcile" : "renew");
    }

    /** After {@code GET /v1/domains/{domain}}: did {@code expires} move past the expiry before our first call? */
    public void reconciled(Exchange exchange) {
        Document renewal = exchange.getProperty("renewal", Document.class);
        Instant registrarExpires = instant(
                exchange.getMessage().getBody(Map.class) == null
                        ? null
                        : exchange.getMessage().getBody(Map.class).get("expires"));
        Date before = renewal.getDate("expiresBeforeCall");
        if (registrarExpires != null && before != null && registrarExpires.isAfter(before.toInstant())) {
            LOG.info(
                    "Renewal of {}: an earlier attempt did renew it (expires {}); not renewing again",
                    renewal.getString("domain"),
                    registrarExpires);
            exchange.setProperty("registrarExpires", registrarExpires);
            exchange.setProperty(STEP, "finish");
        } else {
            exchange.setProperty(STEP, "renew");
        }
    }

    /** Counted before the call, with the expiry as it was: from now on a retry compares before renewing. */
    public void recordAttempt(Exchange exchange) {
        Document renewal = exchange.getProperty("renewal", Document.class);
        Document domain = exchange.getProperty("domain", Document.class);
        db.get(RenewalService.RENEWALS)
                .updateOne(
                        eq("_id", renewal.getString("_id")),
                        renewal.getDate("expiresBeforeCall") == null
                                ? Updates.combine(
                                        Updates.inc("renewAttempts", 1),
                                        Updates.set("expiresBeforeCall", domain.getDate("expiresAt")))
                                : Updates.inc("renewAttempts", 1));
        exchange.getMessage().setBody(Map.of("period", renewal.getInteger("years")));
    }

    /** After the renewal and a fresh look at the domain: record it; the body becomes the owner's email. */
    public void renewed(Exchange exchange) {
        Document renewal = exchange.getProperty("renewal", Document.class);
        Document domain = exchange.getProperty("domain", Document.class);
        Instant fromRegistrar = exchange.getProperty("registrarExpires", Instant.class);
        if (fromRegistrar == null && exchange.getMessage().getBody() instanceof Map<?, ?> details) {
            fromRegistrar = instant(details.get("expires"));
        }
        Instant previous = domain.getDate("expiresAt") == null
                ? clock.now()
                : domain.getDate("expiresAt").toInstant();
        Instant expires = fromRegistrar != null && fromRegistrar.isAfter(previous)
                ? fromRegistrar
                : previous.atZone(ZoneOffset.UTC)
                        .plusYears(renewal.getInteger("years"))
                        .toInstant();
        exchange.setProperty("newExpiresAt", expires);
        ledger.record(
                renewal.getString("clientId"),
                "renewed:" + renewal.getString("_id"),
                "renewal",
                RenewalService.chargeKey(renewal.getString("_id")),
                "Renewed " + renewal.getString("domain"));
        activity.record(domain, Jobs.jobRef(exchange), "renew", "success", null, Jobs.elapsed(exchange));
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("years", renewal.getInteger("years"));
        data.put("previousExpiresAt", previous.toString().substring(0, 10));
        data.put("expiresAt", expires.toString().substring(0, 10));
        data.put("price", Money.format(renewal.getLong("price")));
        Jobs.setEmail(exchange, "domain-renewed", domain, data);
        exchange.getMessage()
                .setHeader(QueueConstants.HEADER_JOB_ID, "email:domain-renewed:" + renewal.getString("_id"));
    }

    public void markRenewed(Exchange exchange) {
        Document renewal = exchange.getProperty("renewal", Document.class);
        Date now = Date.from(clock.now());
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", renewal.getString("domainId")),
                        Updates.combine(
                                Updates.set(
                                        "expiresAt", Date.from(exchange.getProperty("newExpiresAt", Instant.class))),
                                Updates.set("lastRenewalAt", now),
                                Updates.set("status", DomainRecords.ACTIVE),
                                Updates.set("autoRenewAttempts", 0),
                                Updates.unset(
                                        "lastExpiryReminderDays"), // the expiry notices start over for the new expiry
                                Updates.set("renewLeaseUntil", null),
                                Updates.set("updatedAt", now)));
        db.get(RenewalService.RENEWALS)
                .updateOne(
                        eq("_id", renewal.getString("_id")),
                        Updates.combine(Updates.set("status", "done"), Updates.set("doneAt", now)));
        LOG.info("Renewed {} until {}", renewal.getString("domain"), exchange.getProperty("newExpiresAt"));
    }

    /** Dead-letter steps: a last look at the registrar, then either finish (it did renew) or refund and email. */
    public void giveUp(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Document renewal = renewal(exchange);
        if (renewal == null || !"pending".equals(renewal.getString("status"))) {
            exchange.setProperty(STEP, "skip");
            return;
        }
        Document domain = db.get(Db.DOMAINS)
                .find(eq("_id", renewal.getString("domainId")))
                .first();
        exchange.setProperty("renewal", renewal);
        exchange.setProperty("domain", domain);
        exchange.setProperty(STEP, "fail");
        if (renewal.getInteger("renewAttempts", 0) > 0) {
            try {
                exchange.getMessage().setBody(registrar.details(exchange));
                reconciled(exchange);
                if (!"finish".equals(exchange.getProperty(STEP))) {
                    exchange.setProperty(STEP, "fail");
                }
            } catch (Exception e) {
                LOG.warn(
                        "Could not ask the registrar about {} before giving up ({}); refunding",
                        renewal.getString("domain"),
                        e.getMessage());
            }
        }
        if ("fail".equals(exchange.getProperty(STEP))) {
            failed(exchange, renewal, domain, Jobs.reason(cause));
        }
    }

    private void failed(Exchange exchange, Document renewal, Document domain, String reason) {
        String renewalId = renewal.getString("_id");
        ledger.post(
                renewal.getString("clientId"),
                "refund:" + renewalId,
                renewal.getLong("price"),
                "refund",
                renewalId,
                "Refund: renewal of " + renewal.getString("domain") + " failed");
        activity.record(domain, Jobs.jobRef(exchange), "renew", "failure", reason, Jobs.elapsed(exchange));
        db.get(RenewalService.RENEWALS)
                .updateOne(
                        eq("_id", renewalId),
                        Updates.combine(Updates.set("status", "failed"), Updates.set("failureReason", reason)));
        db.get(Db.DOMAINS).updateOne(eq("_id", renewal.getString("domainId")), Updates.set("renewLeaseUntil", null));
        boolean auto = "auto".equals(renewal.getString("source"));
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("reason", reason);
        data.put("refund", Money.format(renewal.getLong("price")));
        data.put(
                "expiresAt",
                domain.getDate("expiresAt") == null
                        ? ""
                        : domain.getDate("expiresAt").toInstant().toString().substring(0, 10));
        String type = auto ? "auto-renew-failed" : "domain-renewal-failed";
        if (auto) {
            // a refused automatic renewal is a failed auto-renew attempt too: counted once, and the last one switches
            // it off
            int attempts = domain.getInteger("autoRenewAttempts", 0);
            Integer autoAttempt = renewal.getInteger("autoAttempt");
            if (autoAttempt != null) {
                DomainRecords.countFailedAutoRenewal(
                        db, domain.getString("_id"), autoAttempt, autoRenewMaxAttempts, Date.from(clock.now()));
                attempts = autoAttempt + 1;
            }
            data.put("attempts", attempts);
            data.put("maxAttempts", autoRenewMaxAttempts);
            data.put("autoRenewDisabled", attempts >= autoRenewMaxAttempts);
            data.put("renewalPrice", Money.format(renewal.getLong("price")));
        }
        Jobs.setEmail(exchange, type, domain, data);
        exchange.getMessage().setHeader(QueueConstants.HEADER_JOB_ID, "email:" + type + ":" + renewalId);
        LOG.warn(
                "Renewal of {} failed: {}; refunded {}",
                renewal.getString("domain"),
                reason,
                Money.format(renewal.getLong("price")));
    }

    private Document renewal(Exchange exchange) {
        Object renewalId = exchange.getMessage().getBody(Map.class).get("renewalId");
        return renewalId == null
                ? null
                : db.get(RenewalService.RENEWALS)
                        .find(eq("_id", renewalId.toString()))
                        .first();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
