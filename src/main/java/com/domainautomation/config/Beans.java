package com.domainautomation.config;

import com.domainautomation.billing.Pricing;
import com.domainautomation.billing.WalletApi;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutService;
import com.domainautomation.checkout.CheckoutValidator;
import com.domainautomation.clients.AdminApi;
import com.domainautomation.clients.AdminTokens;
import com.domainautomation.clients.AuditLog;
import com.domainautomation.clients.Authenticator;
import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.clients.RateLimits;
import com.domainautomation.cron.AutoRenewCron;
import com.domainautomation.cron.CronRuns;
import com.domainautomation.cron.CronSchedule;
import com.domainautomation.cron.ExpiryCron;
import com.domainautomation.cron.ExpiryRules;
import com.domainautomation.cron.TransferStatusCron;
import com.domainautomation.dns.DnsChanges;
import com.domainautomation.dns.DnsWorker;
import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.domains.DomainsApi;
import com.domainautomation.domains.RegistrationWorker;
import com.domainautomation.domains.RenewalService;
import com.domainautomation.domains.RenewalWorker;
import com.domainautomation.notifications.AdminNotices;
import com.domainautomation.notifications.EmailActivity;
import com.domainautomation.notifications.EmailComposer;
import com.domainautomation.notifications.MailOutbox;
import com.domainautomation.queue.ClusterThrottle;
import com.domainautomation.queue.QueueAdmin;
import com.domainautomation.queue.RedisQueueComponent;
import com.domainautomation.recovery.RecoverySweeper;
import com.domainautomation.registrar.GoDaddyRequests;
import com.domainautomation.registrar.GoDaddyResponses;
import com.domainautomation.registrar.RegistrarBreaker;
import com.domainautomation.registrar.RegistrarCredentials;
import com.domainautomation.registrar.RegistrarLookup;
import com.domainautomation.support.ApiResponder;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.transfers.TransferService;
import com.domainautomation.transfers.TransferWorker;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every bean the routes call, bound by name: each under its class's name in lowerCamel case, so that a route's
 * {@code ref:} names the class to open. The wiring reads the settings; nothing here starts a dependency.
 */
final class Beans {
    private static final Logger LOG = LoggerFactory.getLogger(Beans.class);

    private Beans() {}

    static Authenticator bind(
            Main main,
            Settings settings,
            AppClock clock,
            Db db,
            RedisClient redisClient,
            MailOutbox outbox,
            Deque<AutoCloseable> closeables) {
        String currency = settings.get("pricing.currency");
        Pricing pricing = new Pricing(currency, settings.registrationPrices());
        WalletLedger ledger = new WalletLedger(db, clock, currency);
        ClientDirectory clients = new ClientDirectory(db, clock, currency);
        int sharedEmails = clients.claimExistingEmails();
        if (sharedEmails > 0) {
            LOG.warn(
                    "{} client(s) created before emails were unique share an email with an earlier client; new clients cannot take it",
                    sharedEmails);
        }
        CheckoutService checkout =
                new CheckoutService(db, ledger, new CheckoutValidator(pricing), clock, settings.agreementKeys());
        ActivityLog activity = new ActivityLog(db, clock);
        DomainRecords domains = new DomainRecords(db);
        Duration grace = Duration.ofMillis(settings.getInt("recovery.grace-ms"));

        // One Vert.x for both HTTP servers (API and management), which answers the errors the servers raise
        // themselves (unknown path, wrong method, oversize line, headers or body) with the JSON error body.
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        closeables.push(
                () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        main.bind("vertx", HttpServerErrors.installingOn(vertx));
        int httpPort = settings.getInt("http.port");
        // With the management server on its own port there are two Vert.x servers, and the stock engine can no
        // longer tell which one the API is on (it falls back to 8080): name the API port explicitly.
        main.bind("platform-http-engine", new VertxPlatformHttpEngine() {
            @Override
            public int getServerPort() {
                return httpPort;
            }
        });
        RedisQueueComponent queues = new RedisQueueComponent(redisClient);
        queues.setDedupeWindow(settings.getInt("queue.dedupe-window-seconds"));
        // what every queue shares; a queue route states only its own options (concurrency, attempts, backoff)
        Map.of(
                        "visibilityTimeout",
                        "queue.visibility-timeout-ms",
                        "maxDeliveries",
                        "queue.max-deliveries",
                        "shutdownTimeout",
                        "queue.shutdown-timeout-ms",
                        "keepCompleted",
                        "queue.keep-completed",
                        "keepCompletedAge",
                        "queue.keep-completed-age-ms",
                        "keepFailed",
                        "queue.keep-failed",
                        "keepFailedAge",
                        "queue.keep-failed-age-ms")
                .forEach((option, key) -> queues.setEndpointDefault(option, settings.get(key)));
        main.bind("redisqueue", queues);
        main.bind("clusterThrottle", new ClusterThrottle(redisClient));
        main.bind(
                "queueAdmin",
                new QueueAdmin(queues, Set.of(settings.get("queue.names").split("\\s*,\\s*"))));
        main.bind("appClock", clock);
        main.bind("db", db);
        main.bind("walletLedger", ledger);
        main.bind("clientDirectory", clients);
        AdminTokens adminTokens = new AdminTokens(
                db, clock, settings.get("admin.token"), Duration.ofMillis(settings.getInt("admin.token-overlap-ms")));
        Authenticator auth = new Authenticator(
                clients,
                adminTokens,
                new RateLimits(
                        redisClient,
                        Map.of(
                                RateLimits.Group.READS, settings.getInt("ratelimit.client-reads-per-minute"),
                                RateLimits.Group.WRITES, settings.getInt("ratelimit.client-writes-per-minute"),
                                RateLimits.Group.ADMIN, settings.getInt("ratelimit.admin-per-minute"))));
        AuditLog audit = new AuditLog(db, clock);
        main.bind("apiResponder", new ApiResponder(auth, audit, db));
        main.bind("walletApi", new WalletApi(db, clients, ledger, settings.creditMaxMinor()));
        main.bind("adminApi", new AdminApi(clients, ledger, adminTokens, audit));
        main.bind("domainsApi", new DomainsApi(domains, activity));
        main.bind("checkoutService", checkout);
        DomainJobs domainJobs = new DomainJobs(
                db, checkout, ledger, activity, clock, Duration.ofMillis(settings.getInt("registration.lease-ms")));
        RegistrarLookup registrarLookup = new RegistrarLookup(main::getCamelContext);
        main.bind("registrationWorker", new RegistrationWorker(domainJobs, registrarLookup));
        RegistrarBreaker breaker = new RegistrarBreaker(
                settings.getInt("registrar.breaker.failure-rate-percent"),
                settings.getInt("registrar.breaker.window-calls"),
                settings.getInt("registrar.breaker.minimum-calls"),
                Duration.ofMillis(settings.getInt("registrar.breaker.open-ms")),
                (state, detail) -> activity.recordSystem("registrar-breaker", state, detail));
        main.bind("registrarBreaker", breaker);
        main.bind("registrarCircuitBreaker", breaker.breaker());
        RenewalService renewalRequests = new RenewalService(db, ledger, pricing, domains, clock);
        main.bind("renewalService", renewalRequests);
        main.bind(
                "renewalWorker",
                new RenewalWorker(domainJobs, registrarLookup, settings.getInt("auto-renew.max-attempts")));
        main.bind("dnsChanges", new DnsChanges(db, domains, clock));
        main.bind("dnsWorker", new DnsWorker(domainJobs));
        main.bind("transferService", new TransferService(db, ledger, pricing, clock, settings.agreementKeys()));
        Duration transferCheckInterval = Duration.ofMillis(settings.getInt("transfer.check-interval-ms"));
        TransferWorker transfers = new TransferWorker(domainJobs, transferCheckInterval);
        main.bind("transferWorker", transfers);
        main.bind("goDaddyRequests", new GoDaddyRequests());
        main.bind(
                "registrarCredentials",
                new RegistrarCredentials(settings.get("godaddy.api.key"), settings.get("godaddy.api.secret")));
        main.bind("goDaddyResponses", new GoDaddyResponses());
        main.bind(
                "emailComposer",
                new EmailComposer(
                        clients,
                        settings.get("mail.from"),
                        settings.get("app.public-url"),
                        settings.get("mail.admin")));
        main.bind("adminNotices", new AdminNotices(settings.get("mail.admin")));
        main.bind("emailActivity", new EmailActivity(db, activity));
        main.bind("mailOutbox", outbox);
        main.bind("recoverySweeper", new RecoverySweeper(ledger, checkout, grace));

        List<CronSchedule> schedules =
                Settings.CRONS.stream().map(settings::schedule).toList();
        CronRuns crons = new CronRuns(
                db, redisClient, clock, activity, schedules, Duration.ofMillis(settings.getInt("cron.lock-ms")));
        main.bind("cronRuns", crons);
        ExpiryRules expiryRules = new ExpiryRules(
                settings.getInt("expiry.after-expiry-notice-days"), settings.getInt("expiry.renewal-grace-days"));
        main.bind("expiryCron", new ExpiryCron(db, crons, expiryRules, pricing, activity));
        main.bind(
                "autoRenewCron",
                new AutoRenewCron(
                        db,
                        crons,
                        renewalRequests,
                        clients,
                        pricing,
                        activity,
                        Duration.ofDays(settings.getInt("auto-renew.days-before")),
                        expiryRules.renewalGrace(),
                        settings.getInt("auto-renew.max-attempts")));
        main.bind(
                "transferStatusCron",
                new TransferStatusCron(
                        db,
                        crons,
                        transfers,
                        domainJobs,
                        activity,
                        transferCheckInterval,
                        Duration.ofDays(settings.getInt("transfer.stalled-after-days")),
                        Duration.ofDays(settings.getInt("transfer.failed-after-days"))));
        // Quartz keeps its schedulers in a JVM-wide registry by name: each app gets its own (tests run several).
        QuartzComponent quartz = new QuartzComponent();
        quartz.setPrefixInstanceName(false);
        quartz.setProperties(Map.of(
                "org.quartz.scheduler.instanceName", "domain-automation-" + UUID.randomUUID(),
                "org.quartz.scheduler.skipUpdateCheck", "true",
                "org.quartz.threadPool.threadCount", "3",
                "org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore"));
        main.bind("quartz", quartz);
        return auth;
    }
}
