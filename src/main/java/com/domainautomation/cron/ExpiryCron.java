package com.domainautomation.cron;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.Pricing;
import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.domains.Jobs;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.Db;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.conversions.Bson;

/**
 * The steps of the domain-expiry cron: find the domains owed a notice ({@link ExpiryRules}), then per domain build
 * the owner's email, and once it is queued record the stage sent (and mark an expired domain). The email job id
 * names the domain, its expiry and the stage, so a run repeated after a crash queues nothing twice.
 */
public class ExpiryCron {
    static final String NOTICE = "expiryNotice";
    private static final List<String> FIELDS = List.of(
            "_id",
            "name",
            "unicodeName",
            Domain.OWNER_FIELD,
            "status",
            "expiresAt",
            ExpiryRules.STAGE_FIELD,
            "autoRenew",
            "registrationPeriod",
            "privacyProtection",
            "price",
            "currency");

    private final Db db;
    private final CronRuns crons;
    private final ExpiryRules rules;
    private final Pricing pricing;
    private final ActivityLog activity;

    public ExpiryCron(Db db, CronRuns crons, ExpiryRules rules, Pricing pricing, ActivityLog activity) {
        this.db = db;
        this.crons = crons;
        this.rules = rules;
        this.pricing = pricing;
        this.activity = activity;
    }

    /** The domains that may be owed a notice, streamed (one query, a batch at a time). */
    public StreamedQuery due(@ExchangeProperty(CronRuns.RUN) CronRun run) {
        return new StreamedQuery(db.get(Db.DOMAINS)
                .find(rules.dueFilter(crons.current(run).asOf()))
                .projection(Projections.include(FIELDS))
                .batchSize(500));
    }

    /** Per domain: the notice it is owed now, or null. */
    public ExpiryRules.Notice notice(@Body Domain domain, @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        return rules.decide(domain.status(), domain.expiresAt(), domain.lastExpiryReminderDays(), run.asOf())
                .orElse(null);
    }

    /** The notice's email to the owner, once per domain, expiry and stage, at the notice's priority. */
    public JobRequest email(@Body Domain domain, @ExchangeProperty(NOTICE) ExpiryRules.Notice notice) {
        Instant expiry = domain.expiresAt();
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("expiresAt", day(expiry));
        String type;
        if (notice.kind() == ExpiryRules.Kind.EXPIRING) {
            type = "domain-expiring";
            data.put("daysLeft", notice.days());
            data.put("renewalPrice", Money.format(renewalPrice(domain)));
        } else {
            type = "domain-expired";
            data.put("expiredAt", day(expiry));
            data.put("renewableUntil", day(expiry.plus(rules.renewalGrace())));
            data.put("reminder", notice.kind() == ExpiryRules.Kind.AFTER_EXPIRY);
            data.put("subjectPrefix", notice.kind() == ExpiryRules.Kind.AFTER_EXPIRY ? "Reminder: " : "");
            data.put("daysSinceExpiry", notice.days());
        }
        return DomainJobs.email(type, domain, domain.id() + ":" + day(expiry) + ":" + notice.stage(), data)
                .withPriority(notice.priority());
    }

    /** After the email is queued: the stage is recorded (an expired domain is marked), only if nothing changed since. */
    public void queued(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty(NOTICE) ExpiryRules.Notice notice,
            @ExchangeProperty(CronRuns.RUN) CronRun run) {
        crons.current(run);
        Date now = Date.from(run.asOf());
        List<Bson> unchanged = new ArrayList<>(List.of(
                eq("_id", domain.id()),
                eq("status", domain.status()),
                eq("expiresAt", Date.from(domain.expiresAt())),
                eq(ExpiryRules.STAGE_FIELD, domain.lastExpiryReminderDays())));
        List<Bson> changes = new ArrayList<>(List.of(
                Updates.set(ExpiryRules.STAGE_FIELD, notice.stage()), Updates.set("lastExpiryReminderAt", now)));
        String outcome;
        if (notice.kind() == ExpiryRules.Kind.EXPIRED) {
            changes.add(Updates.set("status", Domain.EXPIRED));
            changes.add(Updates.set("updatedAt", now));
            outcome = "expired";
        } else if (notice.kind() == ExpiryRules.Kind.AFTER_EXPIRY) {
            outcome = "after-expiry-notice";
        } else {
            outcome = "notice-" + notice.stage() + "d";
        }
        if (db.get(Db.DOMAINS)
                        .updateOne(and(unchanged), Updates.combine(changes))
                        .getModifiedCount()
                == 1) {
            run.queued();
            run.count(outcome);
            activity.record(domain, "cron/domain-expiry", outcome, "success", null, null);
        } else {
            run.count("changed-meanwhile");
        }
    }

    private long renewalPrice(Domain domain) {
        return pricing.renewal(domain.name(), 1)
                .orElseGet(() -> domain.price() / Math.max(1, domain.registrationPeriod()));
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
    }
}
