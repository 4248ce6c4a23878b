package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutService;
import com.domainautomation.queue.QueueConstants;
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
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the registration route. A purchase at GoDaddy v1 is not idempotent, so the domain keeps a count of
 * purchase attempts: once one may have reached the registrar, every later attempt first asks the registrar whether
 * the domain is already ours ({@code reconcile}) and never buys it twice. Side effects (ledger, activity, email)
 * come before the status change, so a crash in between repeats them instead of losing them.
 */
public class RegistrationWorker {
    public static final String STEP = "registrationStep";
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationWorker.class);

    private final Db db;
    private final WalletLedger ledger;
    private final CheckoutService checkout;
    private final ActivityLog activity;
    private final AppClock clock;
    private final Duration lease;
    private final RegistrarLookup registrar = new RegistrarLookup();

    public RegistrationWorker(
            Db db,
            WalletLedger ledger,
            CheckoutService checkout,
            ActivityLog activity,
            AppClock clock,
            Duration lease) {
        this.db = db;
        this.ledger = ledger;
        this.checkout = checkout;
        this.activity = activity;
        this.clock = clock;
        this.lease = lease;
    }

    /** Loads the domain and takes its lease; decides: skip (settled already), reconcile, or purchase. */
    public void begin(Exchange exchange) {
        exchange.setProperty("startedAt", System.currentTimeMillis());
        Object domainId = exchange.getMessage().getBody(Map.class).get("domainId");
        Document domain = domainId == null
                ? null
                : db.get(Db.DOMAINS).find(eq("_id", domainId.toString())).first();
        if (domain == null || !DomainRecords.PENDING.equals(domain.getString("status"))) {
            LOG.info(
                    "Registration job {}: domain {} is {}; nothing to do",
                    exchange.getProperty(QueueConstants.JOB_ID),
                    domainId,
                    domain == null ? "unknown" : domain.getString("status"));
            exchange.setProperty(STEP, "skip");
            return;
        }
        Date now = Date.from(clock.now());
        // A retry of the same job may take its own lease back; another job for the domain waits for it to expire.
        String jobId = String.valueOf(exchange.getProperty(QueueConstants.JOB_ID));
        Document leased = db.get(Db.DOMAINS)
                .findOneAndUpdate(
                        and(
                                eq("_id", domain.getString("_id")),
                                eq("status", DomainRecords.PENDING),
                                or(eq("leaseUntil", null), lt("leaseUntil", now), eq("leaseJob", jobId))),
                        Updates.combine(
                                Updates.set("leaseUntil", Date.from(clock.now().plus(lease))),
                                Updates.set("leaseJob", jobId)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (leased == null) {
            // waiting for another job is not this job's failure: put back, attempt kept
            exchange.setProperty(QueueConstants.JOB_RETRY_KEEP_ATTEMPT, true);
            exchange.setProperty(QueueConstants.JOB_RETRY_DELAY, 1000L);
            throw new RetryableException("domain " + domain.getString("name") + " is being registered by another job");
        }
        exchange.setProperty("domain", leased);
        exchange.setProperty(STEP, leased.getInteger("purchaseAttempts", 0) > 0 ? "reconcile" : "purchase");
    }

    /**
     * Dead-letter step: loads the domain of the original job; decides whether a last look at the registrar is needed
     * (a purchase may have happened), or the domain belongs to another live job (skip), or it simply failed.
     */
    public void lastCheck(Exchange exchange) {
        exchange.setProperty("failureCause", exchange.getProperty(Exchange.EXCEPTION_CAUGHT));
        Object domainId = exchange.getMessage().getBody(Map.class).get("domainId");
        Document domain = domainId == null
                ? null
                : db.get(Db.DOMAINS).find(eq("_id", domainId.toString())).first();
        exchange.setProperty("domain", domain);
        String jobId = String.valueOf(exchange.getProperty(QueueConstants.JOB_ID));
        if (domain == null || !DomainRecords.PENDING.equals(domain.getString("status"))) {
            exchange.setProperty(STEP, "skip");
        } else if (domain.getDate("leaseUntil") != null
                && domain.getDate("leaseUntil").toInstant().isAfter(clock.now())
                && !jobId.equals(domain.getString("leaseJob"))) {
            exchange.setProperty(STEP, "skip"); // another job is working on it and will settle it
        } else if (domain.getInteger("purchaseAttempts", 0) == 0) {
            exchange.setProperty(STEP, "fail");
        } else {
            askRegistrar(exchange, domain);
        }
    }

    /** The last look before giving up: the registrar's answer decides; no answer means "not bought". */
    private void askRegistrar(Exchange exchange, Document domain) {
        Map<?, ?> details;
        try {
            details = registrar.details(exchange);
        } catch (Exception e) {
            LOG.warn(
                    "Could not ask the registrar about {} before giving up ({}); treating it as not bought",
                    domain.getString("name"),
                    e.getMessage());
            exchange.setProperty(STEP, "fail");
            return;
        }
        exchange.getMessage().setBody(details);
        reconciled(exchange);
        if (!"activate".equals(exchange.getProperty(STEP))) {
            exchange.setProperty(STEP, "fail");
        }
    }

    /** After {@code GET /v1/domains/{domain}}: the body is the registrar's record, or null when it is not ours. */
    public void reconciled(Exchange exchange) {
        Map<?, ?> details = exchange.getMessage().getBody(Map.class);
        Document domain = exchange.getProperty("domain", Document.class);
        if (details != null && RegistrarStatus.owned(String.valueOf(details.get("status")))) {
            LOG.info(
                    "Registration of {}: an earlier attempt did buy it (registrar status {}); not buying again",
                    domain.getString("name"),
                    details.get("status"));
            exchange.setProperty(STEP, "activate");
            exchange.setProperty("registrarExpires", details.get("expires"));
        } else {
            exchange.setProperty(STEP, "purchase");
        }
    }

    /** Counted before the call: from now on a retry reconciles first. */
    public void recordAttempt(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.getString("_id")),
                        Updates.combine(
                                Updates.inc("purchaseAttempts", 1),
                                Updates.set("lastPurchaseAttemptAt", Date.from(clock.now()))));
    }

    /** The domain is ours: record the charge's outcome and the activity; the body becomes the owner's email. */
    public void registered(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        Instant registeredAt = clock.now();
        Instant expiresAt =
                expiry(exchange.getProperty("registrarExpires"), registeredAt, domain.getInteger("registrationPeriod"));
        exchange.setProperty("registeredAt", registeredAt);
        exchange.setProperty("expiresAt", expiresAt);
        ledger.record(
                domain.getString("userId"),
                "registered:" + domain.getString("_id"),
                "registration",
                CheckoutService.chargeKey(domain.getString("orderId")),
                "Registered " + domain.getString("name"));
        activity.record(domain, Jobs.jobRef(exchange), "register", "success", null, Jobs.elapsed(exchange));
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("expiresAt", expiresAt.toString().substring(0, 10));
        data.put("registeredAt", registeredAt.toString().substring(0, 10));
        Jobs.setEmail(exchange, "domain-registered", domain, data);
    }

    public void markActive(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        db.get(Db.DOMAINS)
                .updateOne(
                        and(eq("_id", domain.getString("_id")), eq("status", DomainRecords.PENDING)),
                        Updates.combine(
                                Updates.set("status", DomainRecords.ACTIVE),
                                Updates.set(
                                        "registeredAt", Date.from(exchange.getProperty("registeredAt", Instant.class))),
                                Updates.set("expiresAt", Date.from(exchange.getProperty("expiresAt", Instant.class))),
                                Updates.set("leaseUntil", null),
                                Updates.set("updatedAt", Date.from(clock.now()))));
        LOG.info("Registered {} until {}", domain.getString("name"), exchange.getProperty("expiresAt"));
    }

    /**
     * The registration failed for good (the registrar refused, or gave no answer through every attempt): refund the
     * price to the wallet, free the name, record it; the body becomes the owner's failure email.
     */
    public void failed(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        if (domain == null) {
            Object domainId = exchange.getMessage().getBody(Map.class).get("domainId");
            domain = domainId == null
                    ? null
                    : db.get(Db.DOMAINS).find(eq("_id", domainId.toString())).first();
            exchange.setProperty("domain", domain);
        }
        if (domain == null || !DomainRecords.PENDING.equals(domain.getString("status"))) {
            exchange.setProperty(STEP, "skip");
            return;
        }
        Exception cause = exchange.getProperty("failureCause", Exception.class);
        if (cause == null) {
            cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        }
        String reason = Jobs.reason(cause);
        exchange.setProperty("failureReason", reason);
        String domainId = domain.getString("_id");
        WalletLedger.Posting refund = ledger.post(
                domain.getString("userId"),
                "refund:" + domainId,
                domain.getLong("price"),
                "refund",
                domainId,
                "Refund: registration of " + domain.getString("name") + " failed");
        checkout.releaseName(domain.getString("name"), domain.getString("orderId"));
        activity.record(domain, Jobs.jobRef(exchange), "register", "failure", reason, Jobs.elapsed(exchange));
        LOG.warn(
                "Registration of {} failed: {}; refunded {} ({})",
                domain.getString("name"),
                reason,
                Money.format(domain.getLong("price")),
                refund.status());
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("reason", reason);
        data.put("refund", Money.format(domain.getLong("price")));
        Jobs.setEmail(exchange, "domain-registration-failed", domain, data);
        exchange.setProperty(STEP, "failed");
    }

    public void markFailed(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        db.get(Db.DOMAINS)
                .updateOne(
                        and(eq("_id", domain.getString("_id")), eq("status", DomainRecords.PENDING)),
                        Updates.combine(
                                Updates.set("status", DomainRecords.FAILED),
                                Updates.set("failureReason", exchange.getProperty("failureReason", String.class)),
                                Updates.set("leaseUntil", null),
                                Updates.set("updatedAt", Date.from(clock.now()))));
    }

    static Instant expiry(Object registrarExpires, Instant registeredAt, int years) {
        if (registrarExpires != null) {
            try {
                return Instant.parse(registrarExpires.toString());
            } catch (RuntimeException e) {
                // fall through to our own computation
            }
        }
        return registeredAt.atZone(ZoneOffset.UTC).plusYears(years).toInstant();
    }
}
