package com.domainautomation.cron;

import com.domainautomation.billing.Pricing;
import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.config.Settings;
import com.domainautomation.config.Wiring;
import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.domains.RenewalService;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.transfers.TransferWorker;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;

/** The crons' beans: the run guard ({@link CronRuns}) and each cron's steps. */
public final class CronBeans {
    private CronBeans() {}

    public static void bind(Wiring w) {
        Settings settings = w.settings();
        Db db = w.get(Db.class);
        ActivityLog activity = w.get(ActivityLog.class);
        Pricing pricing = w.get(Pricing.class);
        List<CronSchedule> schedules =
                Settings.CRONS.stream().map(settings::schedule).toList();
        CronRuns crons = w.bind(new CronRuns(
                db,
                w.get(RedisClient.class),
                w.get(AppClock.class),
                activity,
                schedules,
                Duration.ofMillis(settings.getInt("cron.lock-ms"))));
        w.bind(CronMetrics.bind(w.get(MeterRegistry.class), crons, Settings.CRONS)); // bound: kept alive
        ExpiryRules expiryRules = new ExpiryRules(
                settings.getInt("expiry.after-expiry-notice-days"), settings.getInt("expiry.renewal-grace-days"));
        w.bind(new ExpiryCron(db, crons, expiryRules, pricing, activity));
        w.bind(new AutoRenewCron(
                db,
                crons,
                w.get(RenewalService.class),
                w.get(ClientDirectory.class),
                pricing,
                activity,
                Duration.ofDays(settings.getInt("auto-renew.days-before")),
                expiryRules.renewalGrace(),
                settings.getInt("auto-renew.max-attempts")));
        w.bind(new TransferStatusCron(
                db,
                crons,
                w.get(TransferWorker.class),
                w.get(DomainJobs.class),
                activity,
                Duration.ofMillis(settings.getInt("transfer.check-interval-ms")),
                Duration.ofDays(settings.getInt("transfer.stalled-after-days")),
                Duration.ofDays(settings.getInt("transfer.failed-after-days"))));
    }
}
