package com.domainautomation.testing;

import com.domainautomation.config.App;
import com.domainautomation.config.Settings;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The real app, in-process, on free ports, against the shared stores, WireMock (GoDaddy) and GreenMail (SMTP). */
public final class TestApp implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Map<String, String> settings;
    private final App app;
    private final ApiClient api;
    private final AppClock clock = AppClock.system();
    private MongoClient mongo;

    private TestApp(Map<String, String> settings) throws Exception {
        this.settings = settings;
        this.app = new App(Settings.load(Map.of(), new Properties(), settings), clock);
        app.start();
        this.api = new ApiClient("http://127.0.0.1:" + settings.get("http.port"));
    }

    /** Settings every test app shares; a test adds or replaces keys before {@link #start}. */
    public static Map<String, String> defaults(String registrarUrl, int smtpPort) {
        Map<String, String> s = new HashMap<>();
        s.put("http.port", Integer.toString(freePort()));
        s.put("management.port", Integer.toString(freePort()));
        s.put("data.dir", tempDir().toString());
        s.put("redis.url", SharedStores.redisUrl());
        s.put("mongodb.uri", SharedStores.mongoUri());
        s.put(
                "mongodb.database",
                "test" + DATABASES.incrementAndGet() + "_"
                        + ProcessHandle.current().pid());
        s.put("godaddy.api.url", registrarUrl);
        s.put("godaddy.api.key", "test-key");
        s.put("godaddy.api.secret", "test-secret");
        s.put("smtp.host", "127.0.0.1");
        s.put("smtp.port", Integer.toString(smtpPort));
        s.put("admin.token", ADMIN_TOKEN);
        s.put("queue.registration.backoff-ms", "100");
        s.put("queue.email.backoff-ms", "100");
        s.put("registrar.response-timeout-ms", "5000");
        s.put("recovery.interval-ms", "500");
        s.put("camel.main.jmx-enabled", "false");
        // the circuit breaker stays out of tests that are not about it (RegistrarOutageIT is)
        s.put("registrar.breaker.minimum-calls", "1000");
        s.put("registrar.breaker.window-calls", "1000");
        // schedules stay off (no hourly fire in the middle of a test); CronIT turns them on where it tests them
        s.put("cron.domain-expiry.schedule", "off");
        s.put("cron.auto-renew.schedule", "off");
        s.put("cron.transfer-status.schedule", "off");
        return s;
    }

    public static TestApp start(Map<String, String> settings) throws Exception {
        return new TestApp(settings);
    }

    public ApiClient api() {
        return api;
    }

    /** The app's one clock: a test moves it (e.g. {@code Clock.offset(Clock.systemUTC(), days)}) to make time pass. */
    public AppClock clock() {
        return clock;
    }

    public App app() {
        return app;
    }

    public Map<String, String> settings() {
        return settings;
    }

    /** Direct access to the app's database, for checks the API does not show. */
    public synchronized Db db() {
        if (mongo == null) {
            mongo = MongoClients.create(settings.get("mongodb.uri"));
        }
        return new Db(mongo.getDatabase(settings.get("mongodb.database")));
    }

    @Override
    public void close() {
        app.close();
        if (mongo != null) {
            mongo.close();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A free port below the range the system hands out for a bind to port 0 (an embedded server of an app, another
     * test), so that none of those takes it between this check and the app's own bind, as can happen to a port from
     * {@link #freePort}. For a child app that is started many times over.
     */
    public static int freePortOutsideEphemeralRange() {
        int ephemeralFrom = 32768;
        try {
            ephemeralFrom = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: the usual lower bound
        }
        for (int attempt = 0; attempt < 100 && ephemeralFrom > 11000; attempt++) {
            int port = 10000 + ThreadLocalRandom.current().nextInt(ephemeralFrom - 10000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken: another one
            }
        }
        return freePort();
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("da-app");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
