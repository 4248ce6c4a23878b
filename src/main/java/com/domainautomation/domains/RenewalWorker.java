package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.billing.Money;
import com.domainautomation.domains.RenewalSteps.Step;
import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.registrar.RegistrarLookup;
import com.domainautomation.support.Db;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the renewal route ({@code renewal-queue.camel.yaml}); its decisions are in {@link RenewalSteps}. One
 * renewal of a domain runs at a time (the domain's renewal lease).
 */
public class RenewalWorker extends DomainWorker {
    private static final Logger LOG = LoggerFactory.getLogger(RenewalWorker.class);

    private final RegistrarLookup registrar;
    private final int autoRenewMaxAttempts;

    public RenewalWorker(DomainJobs jobs, RegistrarLookup registrar, int autoRenewMaxAttempts) {
        super(jobs);
        this.registrar = registrar;
        this.autoRenewMaxAttempts = autoRenewMaxAttempts;
    }

    /** The job's renewal; null when there is none. */
    public Document renewalOf(@Body RenewalJob payload) {
        return payload.renewalId() == null
                ? null
                : db.get(RenewalService.RENEWALS)
                        .find(eq("_id", payload.renewalId()))
                        .first();
    }

    /** The renewal's domain with its renewal lease; null when the renewal is settled. Another renewal puts it back. */
    public Domain lease(
            @ExchangeProperty("renewal") Document renewal, @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        if (!pending(renewal)) {
            return null;
        }
        Domain domain = jobs.lease(renewal.getString("domainId"), new Document(), DomainJobs.Lease.RENEWAL, job.id());
        if (domain == null) {
            throw new IllegalStateException("renewal " + renewal.getString("_id") + ": its domain is gone");
        }
        return domain;
    }

    public Step firstStep(@ExchangeProperty("renewal") Document renewal, @ExchangeProperty("domain") Domain domain) {
        return RenewalSteps.atStart(pending(renewal) && domain != null, renewal == null ? 0 : attempts(renewal));
    }

    /** After {@code GET /v1/domains/{domain}}: did {@code expires} move past the expiry before our first call? */
    public Step reconciled(@Body Map<?, ?> registrarDomain, @ExchangeProperty("renewal") Document renewal) {
        Step step =
                RenewalSteps.afterReconcile(expires(registrarDomain), instant(renewal.getDate("expiresBeforeCall")));
        if (step == Step.FINISH) {
            doneEarlier("Renewal", renewal.getString("domain"), "expires " + registrarDomain.get("expires"));
        }
        return step;
    }

    /** Counted before the call, with the expiry as it was; returns the renew call's body (the period). */
    public Map<String, Object> recordAttempt(
            @ExchangeProperty("renewal") Document renewal, @ExchangeProperty("domain") Domain domain) {
        db.get(RenewalService.RENEWALS)
                .updateOne(
                        eq("_id", renewal.getString("_id")),
                        renewal.getDate("expiresBeforeCall") == null
                                ? Updates.combine(
                                        Updates.inc("renewAttempts", 1),
                                        Updates.set("expiresBeforeCall", date(domain.expiresAt())))
                                : Updates.inc("renewAttempts", 1));
        return Map.of("period", renewal.getInteger("years"));
    }

    /** The body is the registrar's record of the renewed domain (or null). */
    public Instant newExpiry(
            @Body Map<?, ?> registrarDomain,
            @ExchangeProperty("renewal") Document renewal,
            @ExchangeProperty("domain") Domain domain) {
        return RenewalSteps.newExpiry(
                expires(registrarDomain), domain.expiresAt(), clock.now(), renewal.getInteger("years"));
    }

    /** Renewed: the charge's outcome and the activity are recorded; returns the owner's email. */
    public JobRequest renewed(
            @ExchangeProperty("renewal") Document renewal,
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty("expiresAt") Instant expiresAt,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        Instant previous = domain.expiresAt() == null ? clock.now() : domain.expiresAt();
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("years", renewal.getInteger("years"));
        data.put("previousExpiresAt", day(previous));
        data.put("expiresAt", day(expiresAt));
        data.put("price", Money.format(renewal.getLong("price")));
        return jobs.succeeded(
                domain,
                job,
                DomainJobs.Work.RENEWAL,
                renewal.getString("_id"),
                RenewalService.chargeKey(renewal.getString("_id")),
                "domain-renewed",
                data);
    }

    public void markRenewed(
            @ExchangeProperty("renewal") Document renewal, @ExchangeProperty("expiresAt") Instant expiresAt) {
        Date now = Date.from(clock.now());
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", renewal.getString("domainId")),
                        Updates.combine(
                                Updates.set("expiresAt", Date.from(expiresAt)),
                                Updates.set("lastRenewalAt", now),
                                Updates.set("status", Domain.ACTIVE),
                                Updates.set("autoRenewAttempts", 0),
                                // the expiry notices start over for the new expiry
                                Updates.unset("lastExpiryReminderDays"),
                                Updates.set("renewLeaseUntil", null),
                                Updates.set("updatedAt", now)));
        db.get(RenewalService.RENEWALS)
                .updateOne(
                        eq("_id", renewal.getString("_id")),
                        Updates.combine(Updates.set("status", "done"), Updates.set("doneAt", now)));
        LOG.info("Renewed {} until {}", renewal.getString("domain"), expiresAt);
    }

    // --- give-up (dead-letter) steps ------------------------------------------------------------------------------

    public Domain domainOf(@ExchangeProperty("renewal") Document renewal) {
        return renewal == null ? null : jobs.find(renewal.getString("domainId"));
    }

    /** The registrar's record when an attempt may have renewed it (null when not asked or it cannot answer). */
    public Map<?, ?> lastLook(
            @ExchangeProperty("renewal") Document renewal, @ExchangeProperty("domain") Domain domain) {
        if (domain == null || !RenewalSteps.needsLastLook(pending(renewal), attempts(renewal))) {
            return null;
        }
        return registrar.detailsOrNull(domain);
    }

    /** The body is the last look's answer. */
    public Step giveUpStep(
            @Body Map<?, ?> registrarDomain,
            @ExchangeProperty("renewal") Document renewal,
            @ExchangeProperty("domain") Domain domain) {
        if (domain == null) {
            return Step.SKIP; // the job fails with its error, for an admin to look at
        }
        return RenewalSteps.atGiveUp(
                pending(renewal),
                expires(registrarDomain),
                renewal == null ? null : instant(renewal.getDate("expiresBeforeCall")));
    }

    /**
     * Failed for good: refunded, recorded, the renewal marked failed (an automatic one also counts as a failed
     * auto-renew attempt); returns the owner's email.
     */
    public JobRequest failed(
            @ExchangeProperty("renewal") Document renewal,
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        String renewalId = renewal.getString("_id");
        String reason = Jobs.reason(cause);
        boolean auto = "auto".equals(renewal.getString("source"));
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("expiresAt", domain.expiresAt() == null ? "" : day(domain.expiresAt()));
        if (auto) {
            // a refused automatic renewal is a failed auto-renew attempt too: counted once, the last one switches it
            // off
            int attempts = domain.autoRenewAttempts();
            Integer autoAttempt = renewal.getInteger("autoAttempt");
            if (autoAttempt != null) {
                DomainRecords.countFailedAutoRenewal(
                        db, domain.id(), autoAttempt, autoRenewMaxAttempts, Date.from(clock.now()));
                attempts = autoAttempt + 1;
            }
            data.put("attempts", attempts);
            data.put("maxAttempts", autoRenewMaxAttempts);
            data.put("autoRenewDisabled", attempts >= autoRenewMaxAttempts);
            data.put("renewalPrice", Money.format(renewal.getLong("price")));
        }
        JobRequest email = jobs.refunded(
                domain,
                job,
                DomainJobs.Work.RENEWAL,
                reason,
                renewalId,
                renewal.getLong("price"),
                auto ? "auto-renew-failed" : "domain-renewal-failed",
                data);
        db.get(RenewalService.RENEWALS)
                .updateOne(
                        eq("_id", renewalId),
                        Updates.combine(Updates.set("status", "failed"), Updates.set("failureReason", reason)));
        jobs.release(renewal.getString("domainId"), DomainJobs.Lease.RENEWAL);
        return email;
    }

    private static boolean pending(Document renewal) {
        return renewal != null && "pending".equals(renewal.getString("status"));
    }

    private static int attempts(Document renewal) {
        return renewal.getInteger("renewAttempts", 0);
    }

    private static Instant expires(Map<?, ?> registrarDomain) {
        Object value = registrarDomain == null ? null : registrarDomain.get("expires");
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
    }
}
