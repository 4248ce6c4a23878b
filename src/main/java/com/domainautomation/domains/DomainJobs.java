package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutService;
import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobLog;
import com.domainautomation.queue.JobPutBackException;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every domain worker does around its registrar calls, in one place: take the domain's lease (or put the job
 * back, its attempt kept), release it, and settle the outcome: the charge's ledger outcome or a refund, the activity
 * entry, and the owner's email (returned as the job to queue). A new worker calls these instead of copying them.
 */
public class DomainJobs {
    private static final Logger LOG = LoggerFactory.getLogger(DomainJobs.class);
    /** How long a job waits before it looks again at a domain another job holds. */
    static final long BUSY_RETRY_MILLIS = 1000;

    /** The leases a domain has: work of different kinds may run side by side, one job of each kind at a time. */
    public enum Lease {
        /** registration and transfer */
        WORK("leaseUntil", "leaseJob", Domain::leaseUntil, Domain::leaseJob),
        RENEWAL("renewLeaseUntil", "renewLeaseJob", Domain::renewLeaseUntil, Domain::renewLeaseJob),
        DNS("dnsLeaseUntil", "dnsLeaseJob", Domain::dnsLeaseUntil, Domain::dnsLeaseJob);

        /** The stored fields. */
        final String until;

        final String holder;
        /** The same, read from a domain. */
        final Function<Domain, Instant> untilOf;

        final Function<Domain, String> holderOf;

        Lease(String until, String holder, Function<Domain, Instant> untilOf, Function<Domain, String> holderOf) {
            this.until = until;
            this.holder = holder;
            this.untilOf = untilOf;
            this.holderOf = holderOf;
        }
    }

    /** The paid work a domain job settles: its activity action, its ledger outcome and refund wording. */
    public enum Work {
        REGISTRATION("register", "registered", "registration", "Registered"),
        RENEWAL("renew", "renewed", "renewal", "Renewed"),
        TRANSFER("transfer", "transferred", "transfer", "Transferred");

        final String action;
        final String outcome;
        final String noun;
        final String done;

        Work(String action, String outcome, String noun, String done) {
            this.action = action;
            this.outcome = outcome;
            this.noun = noun;
            this.done = done;
        }
    }

    private final Db db;
    private final CheckoutService checkout;
    private final WalletLedger ledger;
    private final ActivityLog activity;
    private final AppClock clock;
    private final Duration leaseLength;

    /** {@code leaseLength}: how long a job holds a domain's lease before another may take it (a dead job's). */
    public DomainJobs(
            Db db,
            CheckoutService checkout,
            WalletLedger ledger,
            ActivityLog activity,
            AppClock clock,
            Duration leaseLength) {
        this.db = db;
        this.checkout = checkout;
        this.ledger = ledger;
        this.activity = activity;
        this.clock = clock;
        this.leaseLength = leaseLength;
    }

    /** The store, for the worker's own reads and writes. */
    public Db db() {
        return db;
    }

    public AppClock clock() {
        return clock;
    }

    /**
     * Takes the domain's lease for {@code holder} (a job id; the same job may take its own lease back) when the domain
     * matches {@code condition}: the leased domain, or null when the domain cannot be leased for another reason than a
     * holder (it is gone, or no longer matches). Another live holder: the job is put back, its attempt kept.
     */
    public Domain lease(String domainId, Bson condition, Lease lease, String holder) {
        Domain leased = tryLease(domainId, condition, lease, holder, leaseLength);
        if (leased != null) {
            JobLog.domain(leased.name(), leased.orderId(), leased.clientId());
        }
        if (leased == null
                && db.get(Db.DOMAINS).find(and(eq("_id", domainId), condition)).first() != null) {
            throw new JobPutBackException("another job is working on domain " + domainId, BUSY_RETRY_MILLIS);
        }
        return leased;
    }

    /** The lease, or null when the domain does not match or another holder has it (for callers that skip instead). */
    public Domain tryLease(String domainId, Bson condition, Lease lease, String holder, Duration length) {
        Date now = Date.from(clock.now());
        return Domain.of(db.get(Db.DOMAINS)
                .findOneAndUpdate(
                        and(
                                eq("_id", domainId),
                                condition,
                                or(eq(lease.until, null), lt(lease.until, now), eq(lease.holder, holder))),
                        Updates.combine(
                                Updates.set(lease.until, Date.from(clock.now().plus(length))),
                                Updates.set(lease.holder, holder)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
    }

    public void release(String domainId, Lease lease) {
        db.get(Db.DOMAINS).updateOne(eq("_id", domainId), Updates.set(lease.until, null));
    }

    /**
     * The last write of a settled domain job: the domain, if still pending, gets {@code changes}, its work lease
     * handed back and {@code updatedAt}. A no-op for a domain another writer settled first.
     */
    public void settlePending(String domainId, Bson... changes) {
        List<Bson> all = new ArrayList<>(List.of(changes));
        all.add(Updates.set(Lease.WORK.until, null));
        all.add(Updates.set("updatedAt", Date.from(clock.now())));
        db.get(Db.DOMAINS).updateOne(and(eq("_id", domainId), eq("status", Domain.PENDING)), Updates.combine(all));
    }

    /** A settled domain job whose domain is now ours: active, with its dates ({@link #settlePending}). */
    public void settleActive(String domainId, Instant registeredAt, Instant expiresAt, Bson... more) {
        List<Bson> changes = new ArrayList<>(List.of(
                Updates.set("status", Domain.ACTIVE),
                Updates.set("registeredAt", Date.from(registeredAt)),
                Updates.set("expiresAt", Date.from(expiresAt))));
        changes.addAll(List.of(more));
        settlePending(domainId, changes.toArray(Bson[]::new));
    }

    /** The domain as it is now; null when it is gone or {@code domainId} is null. */
    public Domain find(String domainId) {
        Domain domain = domainId == null
                ? null
                : Domain.of(db.get(Db.DOMAINS).find(eq("_id", domainId)).first());
        if (domain != null) {
            JobLog.domain(domain.name(), domain.orderId(), domain.clientId());
        }
        return domain;
    }

    /** True when a job other than {@code holder} holds the domain's lease now. */
    public boolean heldByAnother(Domain domain, Lease lease, String holder) {
        Instant until = lease.untilOf.apply(domain);
        return until != null && until.isAfter(clock.now()) && !holder.equals(lease.holderOf.apply(domain));
    }

    /** A step done (no charge settled by it): its activity entry. */
    public void recorded(Domain domain, JobContext job, String action) {
        activity.record(domain, job.ref(), action, "success", null, job.elapsedMillis());
    }

    /**
     * A success: the charge {@code chargeKey} gets its outcome (once per {@code reference}: the domain's or the
     * renewal's id), the activity entry is written, and the owner's email is returned ({@code
     * email:<type>:<reference>}).
     */
    public JobRequest succeeded(
            Domain domain,
            JobContext job,
            Work work,
            String reference,
            String chargeKey,
            String emailType,
            Map<String, Object> emailData) {
        ledger.record(
                domain.clientId(),
                work.outcome + ":" + reference,
                work.noun,
                chargeKey,
                work.done + " " + domain.name());
        activity.record(domain, job.ref(), work.action, "success", null, job.elapsedMillis());
        return email(emailType, domain, reference, emailData);
    }

    /** {@link #succeeded} for a domain bought with an order (registration, transfer): the order's charge settled. */
    public JobRequest orderSucceeded(
            Domain domain, JobContext job, Work work, String emailType, Map<String, Object> emailData) {
        return succeeded(
                domain, job, work, domain.id(), CheckoutService.chargeKey(domain.orderId()), emailType, emailData);
    }

    /** {@link #refunded} for a domain bought with an order: its price refunded and its name freed for others. */
    public JobRequest orderRefunded(
            Domain domain, JobContext job, Work work, String reason, String emailType, Map<String, Object> emailData) {
        checkout.releaseName(domain.name(), domain.orderId());
        return refunded(domain, job, work, reason, domain.id(), domain.price(), emailType, emailData);
    }

    /**
     * A failure of paid work: the price refunded (once per {@code reference}), the activity entry with the reason,
     * and the owner's email (its data gets {@code reason} and {@code refund}) returned as the job to queue. The caller
     * writes the failed status after the email is queued, so a crash in between repeats all of it.
     */
    public JobRequest refunded(
            Domain domain,
            JobContext job,
            Work work,
            String reason,
            String reference,
            long amount,
            String emailType,
            Map<String, Object> emailData) {
        WalletLedger.Posting refund = ledger.post(
                domain.clientId(),
                "refund:" + reference,
                amount,
                "refund",
                reference,
                "Refund: " + work.noun + " of " + domain.name() + " failed");
        LOG.warn(
                "The {} of {} failed: {}; refunded {} ({})",
                work.noun,
                domain.name(),
                reason,
                Money.format(amount),
                refund.status());
        emailData.put("refund", Money.format(amount));
        return failed(domain, job, work.action, reason, emailType, reference, emailData);
    }

    /** A failure without money (DNS): the activity entry, and the owner's email ({@code email:<type>:<key>}). */
    public JobRequest failed(
            Domain domain,
            JobContext job,
            String action,
            String reason,
            String emailType,
            String emailKey,
            Map<String, Object> emailData) {
        activity.record(domain, job.ref(), action, "failure", reason, job.elapsedMillis());
        emailData.put("reason", reason);
        return email(emailType, domain, emailKey, emailData);
    }

    /** The owner's email about the domain as a job: {@code email:<type>:<key>} dedupes it. */
    public static JobRequest email(String type, Domain domain, String key, Map<String, Object> data) {
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("type", type);
        email.put("clientId", domain.clientId());
        email.put("domainId", domain.id());
        email.put("data", data);
        return JobRequest.of(email, "email:" + type + ":" + key)
                .about(domain.name(), domain.orderId(), domain.clientId());
    }
}
