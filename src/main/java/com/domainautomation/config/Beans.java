package com.domainautomation.config;

import com.domainautomation.billing.BillingBeans;
import com.domainautomation.billing.Pricing;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutBeans;
import com.domainautomation.clients.AuditLog;
import com.domainautomation.clients.Authenticator;
import com.domainautomation.clients.ClientBeans;
import com.domainautomation.cron.CronBeans;
import com.domainautomation.dns.DnsBeans;
import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.DomainBeans;
import com.domainautomation.notifications.MailOutbox;
import com.domainautomation.notifications.NotificationBeans;
import com.domainautomation.queue.QueueBeans;
import com.domainautomation.recovery.RecoveryBeans;
import com.domainautomation.registrar.RegistrarBeans;
import com.domainautomation.support.ApiResponder;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.transfers.TransferBeans;
import io.lettuce.core.RedisClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;

/**
 * Every bean the routes call, bound by name: each under its class's name in lowerCamel case, so that a route's
 * {@code ref:} names the class to open. Here the pieces every feature shares (store, clock, ledger, prices, activity
 * log, the HTTP servers' Vert.x, Quartz); then each feature package binds its own beans ({@code <Feature>Beans}), in
 * the order they need each other. The wiring reads the settings; nothing here starts a dependency.
 */
final class Beans {
    private Beans() {}

    static Authenticator bind(
            Main main,
            Settings settings,
            AppClock clock,
            Db db,
            RedisClient redisClient,
            MailOutbox outbox,
            BooleanSupplier ready,
            Deque<AutoCloseable> closeables) {
        Wiring w = new Wiring(main, settings);
        w.bind(clock);
        w.bind(db);
        w.keep(redisClient);
        String currency = settings.get("pricing.currency");
        w.keep(new Pricing(
                currency, settings.prices("registration"), settings.prices("renewal"), settings.prices("transfer")));
        w.bind(new WalletLedger(db, clock, currency));
        w.keep(new ActivityLog(db, clock));
        // the registry Camel's metrics (and /observe/metrics) use: found under this name, so ours join them
        w.bind("metricsRegistry", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        httpServers(main, settings.getInt("http.port"), ready, closeables);
        main.bind("quartz", quartz());

        QueueBeans.bind(w);
        ClientBeans.bind(w);
        main.bind("apiResponder", new ApiResponder(w.get(Authenticator.class), w.get(AuditLog.class), db));
        BillingBeans.bind(w);
        CheckoutBeans.bind(w);
        RegistrarBeans.bind(w, main);
        DomainBeans.bind(w);
        DnsBeans.bind(w);
        TransferBeans.bind(w);
        NotificationBeans.bind(w, outbox);
        RecoveryBeans.bind(w);
        CronBeans.bind(w);
        return w.get(Authenticator.class);
    }

    /**
     * One Vert.x for both HTTP servers (API and management), which answers the errors the servers raise themselves
     * (unknown path, wrong method, oversize line, headers or body) with the JSON error body, and answers 503 on the API
     * port until every route has started ({@code ready}).
     */
    private static void httpServers(Main main, int httpPort, BooleanSupplier ready, Deque<AutoCloseable> closeables) {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        closeables.push(
                () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        main.bind("vertx", HttpServerErrors.installingOn(vertx, httpPort, ready));
        // With the management server on its own port there are two Vert.x servers, and the stock engine can no
        // longer tell which one the API is on (it falls back to 8080): name the API port explicitly.
        main.bind("platform-http-engine", new VertxPlatformHttpEngine() {
            @Override
            public int getServerPort() {
                return httpPort;
            }
        });
    }

    /** Quartz keeps its schedulers in a JVM-wide registry by name: each app gets its own (tests run several). */
    private static QuartzComponent quartz() {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setPrefixInstanceName(false);
        quartz.setProperties(Map.of(
                "org.quartz.scheduler.instanceName", "domain-automation-" + UUID.randomUUID(),
                "org.quartz.scheduler.skipUpdateCheck", "true",
                "org.quartz.threadPool.threadCount", "3",
                "org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore"));
        return quartz;
    }
}
