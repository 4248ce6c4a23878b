package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobPutBackException;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;
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
        WORK("leaseUntil", "leaseJob"),
        RENEWAL("renewLeaseUntil", "renewLeaseJob"),
        DNS("dnsLeaseUntil", "dnsLeaseJob");

        final String until;
        final String holder;

        Lease(String until, String holder) {
            this.until = until;
            this.holder = holder;
        }
    }

    /** A refund of {@code amount} to {@code owner} for {@code reference} (a domain's or a renewal's id), once. */
    public record Refund(String owner, String reference, long amount, String description) {}

    /**
     * The outcome of the charge {@code chargeKey} (see {@link WalletLedger#record}): recorded once under {@code key}
     * with its {@code type} ({@code registration}, {@code renewal}, {@code transfer}).
     */
    public record ChargeOutcome(String owner, String key, String type, String chargeKey, String description) {}

    private final Db db;
    private final WalletLedger ledger;
    private final ActivityLog activity;
    private final AppClock clock;

    public DomainJobs(Db db, WalletLedger ledger, ActivityLog activity, AppClock clock) {
        this.db = db;
        this.ledger = ledger;
        this.activity = activity;
        this.clock = clock;
    }

    /**
     * Takes the domain's lease for {@code holder} (a job id; the same job may take its own lease back) when the domain
     * matches {@code condition}: the leased domain, or null when the domain cannot be leased for another reason than a
     * holder (it is gone, or no longer matches). Another live holder: the job is put back, its attempt kept.
     */
    public Document lease(String domainId, Bson condition, Lease lease, String holder, Duration length) {
        Document leased = tryLease(domainId, condition, lease, holder, length);
        if (leased == null
                && db.get(Db.DOMAINS).find(and(eq("_id", domainId), condition)).first() != null) {
            throw new JobPutBackException("another job is working on domain " + domainId, BUSY_RETRY_MILLIS);
        }
        return leased;
    }

    /** The lease, or null when the domain does not match or another holder has it (for callers that skip instead). */
    public Document tryLease(String domainId, Bson condition, Lease lease, String holder, Duration length) {
        Date now = Date.from(clock.now());
        return db.get(Db.DOMAINS)
                .findOneAndUpdate(
                        and(
                                eq("_id", domainId),
                                condition,
                                or(eq(lease.until, null), lt(lease.until, now), eq(lease.holder, holder))),
                        Updates.combine(
                                Updates.set(lease.until, Date.from(clock.now().plus(length))),
                                Updates.set(lease.holder, holder)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    public void release(String domainId, Lease lease) {
        db.get(Db.DOMAINS).updateOne(eq("_id", domainId), Updates.set(lease.until, null));
    }

    /** True when a job other than {@code holder} holds the domain's lease now. */
    public boolean heldByAnother(Document domain, Lease lease, String holder) {
        Date until = domain.getDate(lease.until);
        return until != null
                && until.toInstant().isAfter(clock.now())
                && !holder.equals(domain.getString(lease.holder));
    }

    /** A step done (no charge settled by it): its activity entry. */
    public void recorded(Document domain, JobContext job, String action) {
        activity.record(domain, job.ref(), action, "success", null, job.elapsedMillis());
    }

    /**
     * A success: the charge gets its outcome (once), the activity entry is written, and the owner's email
     * {@code emailType} is returned with the job id {@code email:<type>:<emailKey>}.
     */
    public JobRequest succeeded(
            Document domain,
            JobContext job,
            String action,
            ChargeOutcome outcome,
            String emailType,
            String emailKey,
            Map<String, Object> emailData) {
        ledger.record(outcome.owner(), outcome.key(), outcome.type(), outcome.chargeKey(), outcome.description());
        activity.record(domain, job.ref(), action, "success", null, job.elapsedMillis());
        return email(emailType, domain, emailKey, emailData);
    }

    /**
     * A failure: the refund (when there is one; once per reference), the activity entry with the reason, and the
     * owner's email {@code emailType} (its data gets {@code reason} and {@code refund}) returned as the job to queue.
     * The caller writes the failed status after the email is queued, so a crash in between repeats all of it.
     */
    public JobRequest failed(
            Document domain,
            JobContext job,
            String action,
            String reason,
            Refund refund,
            String emailType,
            String emailKey,
            Map<String, Object> emailData) {
        if (refund != null) {
            WalletLedger.Posting posting = ledger.post(
                    refund.owner(),
                    "refund:" + refund.reference(),
                    refund.amount(),
                    "refund",
                    refund.reference(),
                    refund.description());
            emailData.put("refund", Money.format(refund.amount()));
            LOG.warn(
                    "{} of {} failed: {}; refunded {} ({})",
                    action,
                    domain.getString("name"),
                    reason,
                    Money.format(refund.amount()),
                    posting.status());
        } else {
            LOG.warn("{} of {} failed: {}", action, domain.getString("name"), reason);
        }
        activity.record(domain, job.ref(), action, "failure", reason, job.elapsedMillis());
        emailData.put("reason", reason);
        return email(emailType, domain, emailKey, emailData);
    }

    /** The owner's email about the domain as a job: {@code email:<type>:<key>} dedupes it. */
    public static JobRequest email(String type, Document domain, String key, Map<String, Object> data) {
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("type", type);
        email.put("clientId", domain.getString("userId"));
        email.put("domainId", domain.getString("_id"));
        email.put("data", data);
        return JobRequest.of(email, "email:" + type + ":" + key);
    }
}
