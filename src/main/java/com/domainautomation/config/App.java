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
import com.domainautomation.registrar.SandboxRegistrar;
import com.domainautomation.store.EmbeddedMongo;
import com.domainautomation.support.ApiResponder;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.transfers.TransferService;
import com.domainautomation.transfers.TransferWorker;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.TypeConverterSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole app: starts (or connects to) Redis, MongoDB, the registrar and mail, wires the beans into Camel's
 * registry, and starts camel-main with the routes of the configured roles. This is the one place beans are wired.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final Settings settings;
    private final AppClock clock;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Main main = new Main();

    public App(Settings settings, AppClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts everything and returns; {@link #close} stops it. */
    public App start() throws Exception {
        configure();
        main.start();
        return this;
    }

    /** Starts everything and blocks until the JVM is asked to stop (SIGTERM/SIGINT), then shuts down cleanly. */
    public void run() throws Exception {
        configure();
        try {
            main.run();
        } finally {
            closeDependencies();
        }
    }

    /** Ends {@link #run}: stop taking jobs, let running ones finish (bounded by the shutdown timeouts), stop. */
    public void requestStop() {
        main.completed();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Settings settings() {
        return settings;
    }

    private void configure() throws Exception {
        List<String> summary = new ArrayList<>();
        var dataDir = Files.createDirectories(settings.dataDir());

        String redisUrl = settings.get("redis.url");
        if (redisUrl.isBlank()) {
            EmbeddedRedis redis = EmbeddedRedis.start(dataDir.resolve("redis"));
            closeables.push(redis);
            redisUrl = redis.url();
            summary.add("Redis     : EMBEDDED redis-server at " + redisUrl + ", AOF in " + dataDir.resolve("redis"));
        } else {
            summary.add("Redis     : external " + redact(redisUrl));
        }
        RedisURI redisUri = RedisURI.create(redisUrl);
        redisUri.setTimeout(Duration.ofSeconds(10));
        RedisClient redisClient = RedisClient.create(redisUri);
        redisClient.setOptions(ClientOptions.builder().autoReconnect(true).build());
        closeables.push(() -> redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2)));

        String mongoUri = settings.get("mongodb.uri");
        boolean embeddedStore = mongoUri.isBlank();
        if (embeddedStore) {
            EmbeddedMongo mongo = EmbeddedMongo.start(dataDir.resolve("mongo.mv"), settings.get("embedded.sync"));
            closeables.push(mongo);
            mongoUri = mongo.uri();
            summary.add("MongoDB   : EMBEDDED mongo-java-server (H2 file " + dataDir.resolve("mongo.mv")
                    + ", each answered write committed"
                    + (settings.get("embedded.sync").equals("fsync") ? " and fsynced)" : ")"));
        } else {
            summary.add("MongoDB   : external " + redact(mongoUri) + " (writes acknowledged by a majority, journaled)");
        }
        ConnectionString connection = new ConnectionString(mongoUri);
        MongoClientSettings.Builder mongoSettings = MongoClientSettings.builder()
                .applyConnectionString(connection)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS));
        if (connection.getWriteConcern() == null) {
            // an answered write must survive the primary failing: on a majority of members and in their journals
            mongoSettings.writeConcern(WriteConcern.MAJORITY.withJournal(true));
        }
        MongoClient mongoClient = MongoClients.create(mongoSettings.build());
        closeables.push(mongoClient);
        MongoDatabase database = mongoClient.getDatabase(settings.get("mongodb.database"));
        Db db = embeddedStore ? Db.embedded(database) : new Db(database);
        db.ensureIndexes();

        String registrarUrl = settings.get("godaddy.api.url");
        if (settings.sandboxRegistrar()) {
            SandboxRegistrar sandbox =
                    SandboxRegistrar.start(db, clock, Duration.ofMillis(settings.getInt("sandbox.transfer-delay-ms")));
            closeables.push(sandbox);
            registrarUrl = sandbox.url();
            summary.add(
                    "Registrar : SANDBOX at " + registrarUrl + " -- IT BUYS NOTHING (set GODADDY_API_KEY for GoDaddy)");
        } else {
            summary.add("Registrar : GoDaddy at " + registrarUrl);
        }

        MailOutbox outbox = new MailOutbox(dataDir.resolve("outbox"));
        if (settings.smtpHost().isBlank()) {
            main.addOverrideProperty("mail.transport", "outbox");
            summary.add(
                    "Mail      : OUTBOX folder " + outbox.folder() + " (one .eml per message; set SMTP_HOST to send)");
        } else {
            main.addOverrideProperty("mail.transport", "smtp");
            if (!settings.get("smtp.user").isBlank()) {
                main.addOverrideProperty("camel.component.smtp.username", settings.get("smtp.user"));
                main.addOverrideProperty("camel.component.smtp.password", settings.get("smtp.password"));
            }
            summary.add("Mail      : SMTP " + settings.smtpHost() + ":" + settings.get("smtp.port"));
        }

        settings.all().forEach(main::addOverrideProperty);
        main.addOverrideProperty("godaddy.api.url", registrarUrl); // the sandbox's address when no key is set
        // Camel's own keys get resolved values (a placeholder here is not seen by every part of platform-http).
        main.addOverrideProperty("camel.server.port", settings.get("http.port"));
        main.addOverrideProperty("camel.management.port", settings.get("management.port"));
        main.addOverrideProperty("camel.management.host", settings.get("management.host"));
        // the server refuses a larger body (413) before reading it all; Requests refuses it too, for any other
        // transport
        main.addOverrideProperty(
                "camel.server.max-body-size", Integer.toString(com.domainautomation.support.Requests.MAX_BODY_BYTES));
        for (String scheme : List.of("http", "https")) {
            String component = "camel.component." + scheme + ".";
            main.addOverrideProperty(component + "connect-timeout", settings.get("registrar.connect-timeout-ms"));
            main.addOverrideProperty(component + "response-timeout", settings.get("registrar.response-timeout-ms"));
            main.addOverrideProperty(component + "so-timeout", settings.get("registrar.response-timeout-ms"));
            // A purchase is not idempotent: the HTTP client must never re-send one by itself (its default retries
            // a 503 or a broken connection once). Retries are ours, after reconciling.
            main.addOverrideProperty(component + "automatic-retries-disabled", "true");
        }
        for (String cron : Settings.CRONS) {
            // the route reads these two: a schedule that is off keeps its route stopped (Quartz still needs a valid
            // expression)
            CronSchedule schedule = settings.schedule(cron);
            main.addOverrideProperty("cron." + cron + ".enabled", Boolean.toString(schedule.enabled()));
            main.addOverrideProperty(
                    "cron." + cron + ".quartz", schedule.enabled() ? schedule.expression() : "0 0 0 1 1 ? 2099");
        }
        Set<String> roles = settings.roles();
        main.addOverrideProperty("camel.main.routes-include-pattern", routePattern(roles));
        if (!roles.contains("api")) {
            main.addOverrideProperty("camel.server.enabled", "false");
        }
        summary.add("Roles     : " + String.join(",", roles) + "   API :" + settings.get("http.port")
                + "   management :" + settings.get("management.host") + ":" + settings.get("management.port")
                + " (/observe/health; the rest needs a token)");

        Authenticator auth = bindBeans(db, redisClient, outbox);
        String managementTokenHash =
                settings.get("management.token").isBlank() ? null : Ids.sha256(settings.get("management.token"));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                // an API bean takes its request body as @Body JsonRequest: the body with the headers that say how to
                // read it
                context.getTypeConverterRegistry()
                        .addTypeConverter(JsonRequest.class, Object.class, new TypeConverterSupport() {
                            @Override
                            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                                return exchange == null ? null : type.cast(JsonRequest.of(exchange));
                            }
                        });
                HealthCheckRegistry registry = HealthCheckRegistry.get(context);
                if (registry != null) {
                    registry.register(HealthChecks.redis(HealthChecks.lazy(redisClient)));
                    registry.register(HealthChecks.mongo(db.database()));
                }
                ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
                if (management == null) {
                    throw new IllegalStateException("the management server was not set up, so it cannot be guarded");
                }
                new ManagementGuard(
                                token -> auth.isAdminToken(token)
                                        || (managementTokenHash != null
                                                && MessageDigest.isEqual(
                                                        Ids.sha256(token).getBytes(StandardCharsets.US_ASCII),
                                                        managementTokenHash.getBytes(StandardCharsets.US_ASCII))),
                                new ManagementGuard.HealthProbes(
                                        () -> HealthCheckHelper.invoke(context),
                                        () -> HealthCheckHelper.invokeLiveness(context),
                                        () -> HealthCheckHelper.invokeReadiness(context)))
                        .install(management);
            }
        });
        LOG.info("Domain Automation starting\n  {}", String.join("\n  ", summary));
        if (settings.sandboxRegistrar()) {
            LOG.warn(
                    "SANDBOX REGISTRAR: no GODADDY_API_KEY is set, so no domain is really registered. Names containing 'taken' fail.");
        }
    }

    private Authenticator bindBeans(Db db, RedisClient redisClient, MailOutbox outbox) {
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

    /**
     * The route files of the given roles, named one by one: a wildcard would make Camel inflate every entry of the
     * 60 MB jar (seconds per pattern), while the jar's directory lists them at once.
     */
    static String routePattern(Set<String> roles) throws IOException {
        List<String> suffixes = new ArrayList<>(List.of("-shared.camel.yaml"));
        if (roles.contains("api")) {
            suffixes.add("-api.camel.yaml");
        }
        if (roles.contains("workers")) {
            suffixes.add("-queue.camel.yaml");
        }
        if (roles.contains("cron")) {
            suffixes.add("-cron.camel.yaml");
        }
        List<String> files = new ArrayList<>(List.of("classpath:routes/error-handling.camel.yaml"));
        // the shared files first: the others call their routes and build on their templates
        List<String> names = routeFileNames();
        names.sort(Comparator.comparing((String name) -> !name.endsWith("-shared.camel.yaml")));
        for (String name : names) {
            if (suffixes.stream().anyMatch(name::endsWith)) {
                files.add("classpath:routes/" + name);
            }
        }
        return String.join(",", files);
    }

    private static List<String> routeFileNames() throws IOException {
        URL marker = App.class.getResource("/routes/error-handling.camel.yaml");
        if (marker == null) {
            throw new IllegalStateException("routes/ is missing from the classpath");
        }
        List<String> names = new ArrayList<>();
        if ("jar".equals(marker.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                jar.stream()
                        .map(JarEntry::getName)
                        .filter(n -> n.startsWith("routes/") && n.endsWith(".camel.yaml") && n.indexOf('/', 7) < 0)
                        .forEach(n -> names.add(n.substring(7)));
            }
        } else {
            try (var files = Files.list(Path.of(URI.create(marker.toString())).getParent())) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.endsWith(".camel.yaml"))
                        .forEach(names::add);
            }
        }
        names.sort(null);
        return names;
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (RuntimeException e) {
            LOG.warn("Stopping Camel: {}", e.getMessage());
        }
        closeDependencies();
    }

    private void closeDependencies() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                LOG.warn("Closing a dependency: {}", e.getMessage());
            }
        }
    }
}
