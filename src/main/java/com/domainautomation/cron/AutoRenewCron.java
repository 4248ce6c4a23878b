package com.domainautomation.cron;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.Pricing;
import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.domains.Jobs;
import com.domainautomation.domains.RenewalJob;
import com.domainautomation.domains.RenewalService;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;

/**
 * The steps of the auto-renew cron: for each domain with {@code autoRenew} expiring within a week and fewer than
 * {@code maxAttempts} failed attempts, charge the wallet, write the invoice and queue the renewal job
 * ({@link RenewalService}, so the outbox and the recovery sweeper cover a crash before the job is queued).
 *
 * <p>The renewal id is made of the domain, its expiry and the night: a second run the same night finds the same
 * renewal and charges nothing, and no second renewal starts while one is under way. Short of funds, the owner gets
 * {@code auto-renew-failed} and the attempt count goes up; at {@code maxAttempts} auto-renew is switched off (and the email says so). A renewal the registrar finally
 * refuses is refunded by the renewal worker, which counts the failed attempt the same way.
 */
public class AutoRenewCron {
    static final String OUTCOME = "autoRenewal";

    private final Db db;
    private final CronRuns crons;
    private final RenewalService renewals;
    private final ClientDirectory clients;
    private final Pricing pricing;
    private final ActivityLog activity;
    private final Duration window;
    private final Duration renewalGrace;
    private final int maxAttempts;

    public AutoRenewCron(
            Db db,
            CronRuns crons,
            RenewalService renewals,
            ClientDirectory clients,
            Pricing pricing,
            ActivityLog activity,
            Duration window,
            Duration renewalGrace,
            int maxAttempts) {
        this.db = db;
        this.crons = crons;
        this.renewals = renewals;
        this.clients = clients;
        this.pricing = pricing;
        this.activity = activity;
        this.window = window;
        this.renewalGrace = renewalGrace;
        this.maxAttempts = maxAttempts;
    }

    /** What a run does with one domain: renew it (charged now or earlier), tell the owner funds are short, or nothing. */
    public enum Action {
        NONE,
        RENEW,
        SHORT
    }

    /**
     * The outcome of {@link #charge}: the renewal it is about, whether this run charged it, and for a short wallet the
     * auto-renew attempt it stands for.
     */
    public record AutoRenewal(Action action, Document renewal, boolean charged, int autoAttempt) {
        static final AutoRenewal NOTHING = new AutoRenewal(Action.NONE, null, false, 0);
    }

    /** Domains to renew now: auto-renew on, expiring within the window (or expired and still renewable). */
    public StreamedQuery due(@ExchangeProperty(CronRuns.RUN) CronRun run) {
        Instant now = crons.current(run).asOf();
        return new StreamedQuery(db.get(Db.DOMAINS)
                .find(and(
                        eq("autoRenew", true),
                        in("status", Domain.ACTIVE, Domain.EXPIRED),
                        lte("expiresAt", Date.from(now.plus(window))),
                        gt("expiresAt", Date.from(now.minus(renewalGrace))),
                        lt("autoRenewAttempts", maxAttempts)))
                .batchSize(200));
    }

    /** Per domain: charged (once per domain, expiry and night) for a renewal, or found short of funds. */
    public AutoRenewal charge(@Body Domain domain, @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        int attempt = domain.autoRenewAttempts();
        String renewalId = renewalId(domain, run.asOf());
        if (renewalId == null) {
            run.count("renewal-in-progress");
            return AutoRenewal.NOTHING;
        }
        Document renewal =
                db.get(RenewalService.RENEWALS).find(eq("_id", renewalId)).first();
        boolean created = renewal == null;
        if (created) {
            renewals.create(domain, 1, "auto", renewalId, attempt);
            renewal = db.get(RenewalService.RENEWALS).find(eq("_id", renewalId)).first();
        }
        String status = renewal == null ? "missing" : renewal.getString("status");
        if ("pending".equals(status)) {
            run.count(created ? "charged" : "charged-earlier");
            return new AutoRenewal(Action.RENEW, renewal, created, attempt);
        } else if ("rejected".equals(status)) {
            // the attempt this renewal stands for (a rerun the same night must not count it twice)
            return new AutoRenewal(Action.SHORT, renewal, false, renewal.getInteger("autoAttempt", attempt));
        }
        run.count("renewal-" + status); // charging: the sweeper finishes it; done/failed: nothing left to do
        return AutoRenewal.NOTHING;
    }

    /** The renewal job (its id dedupes it: a rerun queues nothing more). */
    public JobRequest renewalJob(@ExchangeProperty(OUTCOME) AutoRenewal outcome) {
        return RenewalJob.of(outcome.renewal().getString("_id"));
    }

    /** After the renewal job is queued. */
    public void renewalQueued(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty(OUTCOME) AutoRenewal outcome,
            @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        Document renewal = outcome.renewal();
        if (outcome.charged()) {
            run.queued();
            activity.record(
                    domain,
                    "cron/auto-renew",
                    "auto-renew-charged",
                    "success",
                    "charged " + Money.format(renewal.getLong("price")) + " " + renewal.getString("currency")
                            + "; renewal " + renewal.getString("_id") + " queued",
                    null);
        }
    }

    /** Short of funds: the owner's email, which says whether this attempt switches auto-renew off. */
    public JobRequest shortOfFundsEmail(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty(OUTCOME) AutoRenewal outcome) {
        int attempts = outcome.autoAttempt() + 1;
        Document renewal = outcome.renewal();
        Document client = clients.find(domain.clientId());
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("reason", "Insufficient wallet balance");
        data.put("attempts", attempts);
        data.put("maxAttempts", maxAttempts);
        data.put("autoRenewDisabled", attempts >= maxAttempts);
        data.put("balance", client == null ? "0.00" : Money.format(client.getLong("balance")));
        data.put("renewalPrice", Money.format(renewal.getLong("price")));
        data.put("expiresAt", domain.expiresAt().toString().substring(0, 10));
        return DomainJobs.email("auto-renew-failed", domain, renewal.getString("_id"), data);
    }

    /** After the short-of-funds email is queued: the attempt is counted once; at the limit auto-renew goes off. */
    public void shortOfFunds(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty(OUTCOME) AutoRenewal outcome,
            @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        int attempt = outcome.autoAttempt();
        boolean counted =
                DomainRecords.countFailedAutoRenewal(db, domain.id(), attempt, maxAttempts, Date.from(run.asOf()));
        if (counted) {
            run.queued();
            run.count(attempt + 1 >= maxAttempts ? "insufficient-funds-auto-renew-off" : "insufficient-funds");
            activity.record(
                    domain,
                    "cron/auto-renew",
                    "auto-renew",
                    "failure",
                    "Insufficient wallet balance (attempt " + (attempt + 1) + " of " + maxAttempts
                            + (attempt + 1 >= maxAttempts ? "; auto-renew switched off)" : ")"),
                    null);
        }
    }

    /**
     * Tonight's renewal id of the domain: made of the domain, its expiry and the night (UTC date), so a rerun the
     * same night finds the same renewal, and the next night is a new attempt. Null when another renewal of the domain
     * (e.g. one the client asked for, or last night's still under way) is not finished. A renewal cancelled before
     * its charge (a crash) is replaced by the next free id.
     */
    private String renewalId(Domain domain, Instant now) {
        String domainId = domain.id();
        String night = now.toString().substring(0, 10);
        for (int retry = 0; retry < 10; retry++) {
            String id = "ren_"
                    + Ids.sha256(domainId + "|" + domain.expiresAt().toEpochMilli() + "|" + night + "|" + retry)
                            .substring(0, 24);
            if (db.get(RenewalService.RENEWALS)
                            .find(and(eq("domainId", domainId), in("status", "charging", "pending"), ne("_id", id)))
                            .first()
                    != null) {
                return null;
            }
            Document existing =
                    db.get(RenewalService.RENEWALS).find(eq("_id", id)).first();
            if (existing == null || !"cancelled".equals(existing.getString("status"))) {
                return id;
            }
        }
        return null;
    }
}
