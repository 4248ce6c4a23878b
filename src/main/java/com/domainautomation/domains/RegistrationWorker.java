package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.domains.RegistrationSteps.Step;
import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.registrar.RegistrarLookup;
import com.domainautomation.support.Db;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the registration route ({@code registration-queue.camel.yaml}); its decisions are in
 * {@link RegistrationSteps}. The domain keeps a count of purchase attempts: once one may have reached the registrar,
 * every later attempt asks the registrar first and never buys it twice. Side effects (ledger, activity, email) come
 * before the status change, so a crash in between repeats them instead of losing them.
 */
public class RegistrationWorker extends DomainWorker {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationWorker.class);

    /** When the domain became ours, and until when: computed once, recorded and written with the same values. */
    public record Activation(Instant registeredAt, Instant expiresAt) {}

    private final RegistrarLookup registrar;

    public RegistrationWorker(DomainJobs jobs, RegistrarLookup registrar) {
        super(jobs);
        this.registrar = registrar;
    }

    /** The job's domain, leased to it; null when it is no longer pending. Another job's lease puts this one back. */
    public Domain lease(@Body RegistrationJob payload, @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        String domainId = payload.domainId();
        Domain leased = jobs.lease(domainId, eq("status", Domain.PENDING), DomainJobs.Lease.WORK, job.id());
        if (leased == null) {
            LOG.info("Registration job {}: domain {} is not pending; nothing to do", job.id(), domainId);
        }
        return leased;
    }

    public Step firstStep(@ExchangeProperty("domain") Domain domain) {
        return RegistrationSteps.atStart(domain != null, attempts(domain));
    }

    /** After {@code GET /v1/domains/{domain}}: the body is the registrar's record, or null when it is not ours. */
    public Step reconciled(@Body Map<?, ?> registrarDomain, @ExchangeProperty("domain") Domain domain) {
        Step step = RegistrationSteps.afterReconcile(status(registrarDomain));
        if (step == Step.ACTIVATE) {
            doneEarlier("Registration", domain.name(), "registrar status " + registrarDomain.get("status"));
        }
        return step;
    }

    /** Counted before the call: from now on a retry asks the registrar first. */
    public void recordAttempt(@ExchangeProperty("domain") Domain domain) {
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.id()),
                        Updates.combine(
                                Updates.inc("purchaseAttempts", 1),
                                Updates.set("lastPurchaseAttemptAt", Date.from(clock.now()))));
    }

    /**
     * The registration's dates: the registrar's expiry when a look at the registrar found the domain ours (an earlier
     * attempt bought it), else now + the period (bought by this attempt; a record of a lapsed registration that a look
     * found does not count).
     */
    public Activation activation(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty("registrarDomain") Map<?, ?> registrarDomain) {
        Instant registeredAt = clock.now();
        Object registrarExpires =
                RegistrarStatus.owned(status(registrarDomain)) ? registrarDomain.get("expires") : null;
        return new Activation(registeredAt, expiry(registrarExpires, registeredAt, domain.registrationPeriod()));
    }

    /** The domain is ours: the charge's outcome and the activity are recorded; returns the owner's email. */
    public JobRequest registered(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty("activation") Activation activation,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("expiresAt", day(activation.expiresAt()));
        data.put("registeredAt", day(activation.registeredAt()));
        return jobs.orderSucceeded(domain, job, DomainJobs.Work.REGISTRATION, "domain-registered", data);
    }

    public void markActive(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty("activation") Activation activation) {
        jobs.settleActive(domain.id(), activation.registeredAt(), activation.expiresAt());
        LOG.info("Registered {} until {}", domain.name(), activation.expiresAt());
    }

    // --- give-up (dead-letter) steps ------------------------------------------------------------------------------

    /** The job's domain as it is now (not leased: the job failed for good and only settles it). */
    public Domain domainOf(@Body RegistrationJob payload) {
        return jobs.find(payload.domainId());
    }

    /**
     * The last look before a refund: the registrar's record when an attempt may have bought it (null when none did, or
     * the registrar cannot answer either, which counts as "not bought").
     */
    public Map<?, ?> lastLook(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        if (!RegistrationSteps.needsLastLook(pending(domain), heldByAnother(domain, job), attempts(domain))) {
            return null;
        }
        return registrar.detailsOrNull(domain);
    }

    public Step giveUpStep(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty("registrarDomain") Map<?, ?> registrarDomain,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        return RegistrationSteps.atGiveUp(pending(domain), heldByAnother(domain, job), status(registrarDomain));
    }

    /** Failed for good: the price refunded, the name freed, the failure recorded; returns the owner's email. */
    public JobRequest failed(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        return jobs.orderRefunded(
                domain,
                job,
                DomainJobs.Work.REGISTRATION,
                Jobs.reason(cause),
                "domain-registration-failed",
                Jobs.emailData(domain));
    }

    public void markFailed(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        jobs.settlePending(
                domain.id(), Updates.set("status", Domain.FAILED), Updates.set("failureReason", Jobs.reason(cause)));
    }

    private boolean heldByAnother(Domain domain, JobContext job) {
        return domain != null && jobs.heldByAnother(domain, DomainJobs.Lease.WORK, job.id());
    }

    private static boolean pending(Domain domain) {
        return domain != null && domain.pending();
    }

    private static int attempts(Domain domain) {
        return domain == null ? 0 : domain.purchaseAttempts();
    }

    private static String status(Map<?, ?> registrarDomain) {
        return registrarDomain == null ? null : String.valueOf(registrarDomain.get("status"));
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
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
