package com.domainautomation.config;

import com.domainautomation.clients.Authenticator;
import com.domainautomation.cron.CronSchedule;
import com.domainautomation.dns.DnsJob;
import com.domainautomation.domains.Domain;
import com.domainautomation.domains.RegistrationJob;
import com.domainautomation.domains.RenewalJob;
import com.domainautomation.notifications.MailOutbox;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.Json;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.transfers.TransferJob;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.TypeConverterSupport;
import org.bson.Document;
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
    /** True from the moment every route has started until the app begins to stop: the API port answers then. */
    private final AtomicBoolean ready = new AtomicBoolean();

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
        Dependencies deps = Dependencies.start(settings, clock, closeables);
        List<String> summary = new ArrayList<>(deps.summary());
        RedisClient redisClient = deps.redis();
        Db db = deps.db();
        String registrarUrl = deps.registrarUrl();
        MailOutbox outbox = new MailOutbox(settings.dataDir().resolve("outbox"));
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
        main.addOverrideProperty("camel.main.routes-include-pattern", RouteFiles.pattern(roles));
        if (roles.contains("api")) {
            main.addOverrideProperty("camel.rest.api-context-path", "/api/openapi.json");
        } else {
            main.addOverrideProperty("camel.server.enabled", "false");
        }
        summary.add("Roles     : " + String.join(",", roles) + "   API :" + settings.get("http.port")
                + "   management :" + settings.get("management.host") + ":" + settings.get("management.port")
                + " (/observe/health; the rest needs a token)");

        Authenticator auth = Beans.bind(main, settings, clock, db, redisClient, outbox, ready::get, closeables);
        String managementTokenHash =
                settings.get("management.token").isBlank() ? null : Ids.sha256(settings.get("management.token"));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                // the API port answers once every route has started, and no more once the app begins to stop
                context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.CamelContextInitializingEvent) {
                            ApiDocs.describe(context); // before the OpenAPI document is built (once)
                        } else if (event instanceof CamelEvent.CamelContextStartedEvent) {
                            new QueueConsole(roles.contains("api") ? settings.getInt("http.port") : 0)
                                    .install(context.hasService(ManagementHttpServer.class)
                                            .getRouter());
                            loadExternalRoutes(context);
                            ready.set(true);
                        } else if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                            ready.set(false);
                        }
                    }
                });
                // an API bean takes its request body as @Body JsonRequest: the body with the headers that say how to
                // read it
                context.getTypeConverterRegistry()
                        .addTypeConverter(JsonRequest.class, Object.class, new TypeConverterSupport() {
                            @Override
                            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                                return exchange == null ? null : type.cast(JsonRequest.of(exchange));
                            }
                        });
                // a worker takes its job's payload as a record (@Body RegistrationJob ...): the queue delivers a Map
                for (Class<?> payload :
                        List.of(RegistrationJob.class, RenewalJob.class, TransferJob.class, DnsJob.class)) {
                    context.getTypeConverterRegistry().addTypeConverter(payload, Map.class, new TypeConverterSupport() {
                        @Override
                        public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                            return Json.MAPPER.convertValue(value, type);
                        }
                    });
                }
                // a step takes a stored domain as a Domain (a cron's items are the store's documents)
                context.getTypeConverterRegistry()
                        .addTypeConverter(Domain.class, Document.class, new TypeConverterSupport() {
                            @Override
                            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                                return type.cast(Domain.of((Document) value));
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
                                        () -> HealthChecks.liveness(HealthCheckHelper.invokeLiveness(context)),
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

    /** The integrator's route files (ROUTES_DIR), after the jar's, then watched for changes. */
    private void loadExternalRoutes(CamelContext context) {
        String dir = settings.get("routes.dir");
        if (dir.isBlank()) {
            return;
        }
        ExternalRoutes routes = new ExternalRoutes(Path.of(dir), context);
        closeables.push(routes);
        try {
            LOG.info("Route files of {}: {} taken", dir, routes.loadAll());
            routes.watch();
        } catch (IOException e) {
            LOG.error("Route files of {} could not be read: {}", dir, ExternalRoutes.oneLine(e));
        }
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
