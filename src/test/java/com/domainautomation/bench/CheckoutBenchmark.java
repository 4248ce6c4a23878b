package com.domainautomation.bench;

import com.domainautomation.config.Settings;
import com.domainautomation.store.EmbeddedMongo;
import com.domainautomation.support.Db;
import com.domainautomation.support.Json;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bson.Document;

/**
 * Checkout benchmark (not a test), run by bench/checkout.sh in two JVMs:
 * <ul>
 * <li>{@code seed <dir> <domains>}: writes a store of that many active domains (and the names they hold) into an
 * embedded store file {@code <dir>/mongo.mv}, through {@link EmbeddedMongo} and the MongoDB driver, with the app's
 * indexes.</li>
 * <li>{@code run <run-dir> <jar>}: starts the app jar as its own JVM on {@code <run-dir>/data} (embedded Redis and
 * MongoDB, sandbox registrar), creates clients and credits them, then sends new single-domain checkouts open loop at
 * each rate of {@code bench.rates} and prints latency (from each request's scheduled start), errors, store growth and
 * the app's resident memory as {@code name value unit} lines on stdout. Comments go to stderr and start with #.</li>
 * </ul>
 */
public final class CheckoutBenchmark {
    private static final int BATCH = 2_000;
    private static final int OWNERS = 5_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
    /** Variables that would take the app off its embedded defaults. */
    private static final List<String> NOT_INHERITED = List.of(
            "REDIS_URL",
            "MONGODB_URI",
            "GODADDY_API_KEY",
            "GODADDY_API_SECRET",
            "SMTP_HOST",
            "ROLES",
            "JAVA_TOOL_OPTIONS");

    private static PrintStream figures;

    public static void main(String[] args) throws Exception {
        // Figures alone on stdout: log lines of the embedded store opened here go to stderr.
        figures = System.out;
        System.setOut(System.err);
        if (args.length == 3 && args[0].equals("seed")) {
            seed(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length == 3 && args[0].equals("run")) {
            System.exit(new CheckoutBenchmark(Path.of(args[1]), Path.of(args[2])).run());
        } else {
            System.err.println("usage: CheckoutBenchmark seed <dir> <domains> | run <run-dir> <app-jar>");
            System.exit(2);
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- seed

    /**
     * Active domains shaped like the app's own (pending at checkout, then activated), owned by {@value #OWNERS}
     * clients (a few own many, most own a few), each with the name claim a checkout leaves. Every expiry is more than
     * 30 days away, so no cron has work on them while the benchmark runs.
     */
    private static void seed(Path dir, int domains) throws Exception {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(42);
        String[] owners = new String[OWNERS];
        for (int i = 0; i < OWNERS; i++) {
            owners[i] = "cli_" + hex(random, 12);
        }
        int every = Math.min(100_000, Math.max(10_000, domains / 10));
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir.resolve("mongo.mv"));
                MongoClient client = MongoClients.create(mongo.uri())) {
            String database =
                    Settings.load(Map.of(), new Properties(), Map.of()).get("mongodb.database");
            MongoDatabase db = client.getDatabase(database);
            MongoCollection<Document> domainCollection = db.getCollection(Db.DOMAINS);
            MongoCollection<Document> claimCollection = db.getCollection(Db.DOMAIN_CLAIMS);
            // The app's indexes first, kept up by each insert: building one over a million documents afterwards reads
            // the
            // whole collection in one pass while the store writes and compacts, which the embedded store did not
            // survive
            // ("Chunk ... not found").
            new Db(db).ensureIndexes();
            List<Document> domainBatch = new ArrayList<>(BATCH);
            List<Document> claimBatch = new ArrayList<>(BATCH);
            for (int i = 0; i < domains; i++) {
                int owner = (int) (OWNERS * Math.pow(random.nextDouble(), 2));
                Document domain = domain(i, owners[owner], owner, now, random);
                domainBatch.add(domain);
                claimBatch.add(new Document("_id", domain.getString("name"))
                        .append("orderId", domain.getString("orderId"))
                        .append("clientId", owners[owner])
                        .append("createdAt", domain.getDate("createdAt")));
                if (domainBatch.size() == BATCH) {
                    domainCollection.insertMany(domainBatch);
                    claimCollection.insertMany(claimBatch);
                    domainBatch.clear();
                    claimBatch.clear();
                }
                if ((i + 1) % every == 0) {
                    System.err.printf(
                            "# seeded %,d of %,d domains (%.0f s)%n",
                            i + 1, domains, (System.nanoTime() - started) / 1e9);
                }
            }
            if (!domainBatch.isEmpty()) {
                domainCollection.insertMany(domainBatch);
                claimCollection.insertMany(claimBatch);
            }
        }
        Files.writeString(dir.resolve("seeded"), domains + " domains, " + OWNERS + " owners, seeded at " + now + "\n");
        System.err.printf(
                "# seeded %,d domains of %,d owners in %.0f s (%.0f MB)%n",
                domains, OWNERS, (System.nanoTime() - started) / 1e9, Files.size(dir.resolve("mongo.mv")) / 1048576.0);
    }

    /**
     * The i-th domain. Its id and its name grow with i (a counter first, random after it), so each batch lands at the
     * end of the store's trees, as the app's own ids (random) would not: a seed in random key order writes most pages
     * again at every commit, and comes out many times larger and slower to build.
     */
    private static Document domain(int i, String userId, int owner, Instant now, SplittableRandom random) {
        String orderId = String.format("ord_%08x", i) + hex(random, 8);
        String[] tlds = {"com", "com", "com", "com", "net", "org", "io", "dev"};
        String name = "s" + base26(i, 6) + "-" + letters(random, 3 + random.nextInt(10)) + "."
                + tlds[random.nextInt(tlds.length)];
        int years = 1 + random.nextInt(2);
        Instant registered = now.minus(Duration.ofMinutes(random.nextLong(24 * 60, 3L * 365 * 24 * 60)));
        Instant expires = registered.plus(Duration.ofDays(365L * years));
        Instant lastRenewal = null;
        while (expires.isBefore(now.plus(Duration.ofDays(31)))) {
            lastRenewal = expires.minus(Duration.ofDays(7));
            expires = expires.plus(Duration.ofDays(365));
        }
        Date created = Date.from(registered.minusSeconds(random.nextInt(5, 120)));
        Document contact = new Document("nameFirst", "Owner")
                .append("nameLast", "No" + owner)
                .append("email", "owner" + owner + "@example.com")
                .append("phone", "+44.2071234567")
                .append(
                        "addressMailing",
                        new Document("address1", owner + " St James Sq")
                                .append("city", "London")
                                .append("state", "London")
                                .append("postalCode", "SW1Y 4JH")
                                .append("country", "GB"));
        return new Document("_id", orderId + "-1")
                .append("name", name)
                .append("unicodeName", name)
                .append("userId", userId)
                .append("orderId", orderId)
                .append("status", "active")
                .append("registrationPeriod", years)
                .append("privacyProtection", random.nextInt(3) == 0)
                .append("autoRenew", random.nextBoolean())
                .append("autoRenewAttempts", 0)
                .append("price", 1299L * years)
                .append("currency", "USD")
                .append("contact", contact)
                .append(
                        "consent",
                        new Document("agreementKeys", List.of("DNRA"))
                                .append("agreedBy", "203.0.113." + (owner % 250))
                                .append("agreedAt", created))
                .append("purchaseAttempts", 1)
                .append("registeredAt", Date.from(registered))
                .append("expiresAt", Date.from(expires))
                .append("lastExpiryReminderAt", null)
                .append("lastRenewalAt", lastRenewal == null ? null : Date.from(lastRenewal))
                .append("lastDnsUpdateAt", null)
                .append("transferStatus", null)
                .append("transferLastChecked", null)
                .append("transferNeedsAttention", false)
                .append("transferFailureReason", null)
                .append("createdAt", created)
                .append("updatedAt", Date.from(registered))
                .append("queuedAt", created)
                .append("lastPurchaseAttemptAt", Date.from(registered))
                .append("leaseUntil", null);
    }

    private static String hex(SplittableRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String base26(int value, int width) {
        char[] c = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            c[i] = (char) ('a' + value % 26);
            value /= 26;
        }
        return new String(c);
    }

    private static String letters(SplittableRandom random, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(c);
    }

    // ---------------------------------------------------------------- run

    private final Path runDir;
    private final Path dataDir;
    private final Path jar;
    private final int[] rates;
    private final int seconds;
    private final int warmupSeconds;
    private final int settleSeconds;
    private final int clientCount;
    private final String heap;
    private final int startTimeoutSeconds;
    private final String tag;
    private final HttpClient http; // set-up and checks, one call at a time
    private final Vertx vertx; // the load: one event loop thread sends every checkout and reads every answer
    private io.vertx.core.http.HttpClient load;
    private final List<String[]> clients = new ArrayList<>(); // {id, token}
    private Process app;
    private URI api;

    private CheckoutBenchmark(Path runDir, Path jar) {
        this.runDir = runDir.toAbsolutePath();
        this.dataDir = this.runDir.resolve("data");
        this.jar = jar.toAbsolutePath();
        this.rates = Arrays.stream(
                        System.getProperty("bench.rates", "100,200,400").split("[,\\s]+"))
                .filter(s -> !s.isBlank())
                .mapToInt(Integer::parseInt)
                .toArray();
        this.seconds = Integer.getInteger("bench.seconds", 30);
        this.warmupSeconds = Integer.getInteger("bench.warmup-seconds", 180);
        this.settleSeconds = Integer.getInteger("bench.settle-seconds", 30);
        this.clientCount = Integer.getInteger("bench.clients", 20);
        this.heap = System.getProperty("bench.heap", "");
        this.startTimeoutSeconds = Integer.getInteger("bench.start-timeout-seconds", 600);
        SplittableRandom random = new SplittableRandom();
        this.tag = hex(random, 4); // hex digits only: no name can contain "taken"
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
    }

    private int run() throws Exception {
        Path store = dataDir.resolve("mongo.mv");
        comment(
                "%d CPUs, load average %s before the app starts (the app and this load generator share the CPUs;"
                        + " other work on the machine skews the figures)",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        long domainsBefore = countDomains(store);
        figure("store_domains_before", domainsBefore, "count");
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon("bench-rss"));
        AtomicLong sampledRss = new AtomicLong();
        int exit = 0;
        try {
            startApp();
            sampler.scheduleAtFixedRate(
                    () -> sampledRss.accumulateAndGet(procStatusKb(app.pid(), "VmRSS"), Math::max),
                    0,
                    500,
                    TimeUnit.MILLISECONDS);
            createClients();
            int lowest = Arrays.stream(rates).min().orElse(100);
            if (warmupSeconds > 0) {
                Phase warmup = send("w", lowest, warmupSeconds);
                comment("warm-up (not measured): %s", warmup.summary());
                awaitIdle();
            }
            long ownedBefore = ownedDomains();
            long sizeBefore = Files.size(store);
            figure("store_file_mb_before", sizeBefore / 1048576.0, "MB");
            long ok = 0;
            long errors = 0;
            int bestRate = 0;
            for (int rate : rates) {
                Phase phase = send(Integer.toString(rate), rate, seconds);
                long[] latency = phase.latencyNanosSorted();
                double p99 = percentile(latency, 0.99) / 1e6;
                figure("checkout_" + rate + "rps_p50_ms", percentile(latency, 0.50) / 1e6, "ms");
                figure("checkout_" + rate + "rps_p99_ms", p99, "ms");
                figure(
                        "checkout_" + rate + "rps_max_ms",
                        latency.length == 0 ? 0 : latency[latency.length - 1] / 1e6,
                        "ms");
                comment(
                        "%d rps: %s; app RSS now %d MB",
                        rate, phase.summary(), procStatusKb(app.pid(), "VmRSS") / 1024);
                awaitIdle();
                ok += phase.ok.get();
                errors += phase.failed.get();
                if (p99 < 50 && rate > bestRate) {
                    bestRate = rate;
                }
            }
            figure("checkout_errors", errors, "count");
            // the checkouts the app made, also those whose answer came too late for the client
            long created = ownedDomains() - ownedBefore;
            long sizeAfter = Files.size(store);
            figure(
                    "store_bytes_per_checkout_immediate",
                    created == 0 ? 0 : (double) (sizeAfter - sizeBefore) / created,
                    "bytes");
            comment(
                    "store file %.1f MB right after the load: %,d checkouts made (%,d answered 202 in time); settling %d s",
                    sizeAfter / 1048576.0, created, ok, settleSeconds);
            TimeUnit.SECONDS.sleep(settleSeconds);
            long sizeSettled = Files.size(store);
            figure(
                    "store_bytes_per_checkout",
                    created == 0 ? 0 : (double) (sizeSettled - sizeBefore) / created,
                    "bytes");
            comment(
                    "store file %.1f MB before the load, %.1f MB right after, %.1f MB %d s later",
                    sizeBefore / 1048576.0, sizeAfter / 1048576.0, sizeSettled / 1048576.0, settleSeconds);
            if (sizeAfter <= sizeBefore && created > 0) {
                comment("the file did not grow: the store wrote into free space inside it (a seeded file has much);"
                        + " a longer load shows the growth once that is used up");
            }
            sampledRss.accumulateAndGet(procStatusKb(app.pid(), "VmRSS"), Math::max);
            figure("rss_mb", procStatusKb(app.pid(), "VmHWM") / 1024.0, "MB");
            figure("rss_sampled_max_mb", sampledRss.get() / 1024.0, "MB");
            figure("checkout_max_rate_p99_under_50ms", bestRate, "req/s");
            comment(
                    "CPU time so far: app %.0f s, load generator %.0f s; load average now %s",
                    cpuSeconds(app.toHandle()), cpuSeconds(ProcessHandle.current()), loadAverage());
            for (ProcessHandle child : app.descendants().toList()) {
                comment(
                        "child process %d (%s): peak RSS %d MB",
                        child.pid(), child.info().command().orElse("?"), procStatusKb(child.pid(), "VmHWM") / 1024);
            }
            ledgerCheck();
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            sampler.shutdownNow();
            if (!stopApp()) {
                exit = 1;
            }
        }
        return exit;
    }

    /** Domains in the store before the app opens it, read through the embedded store itself; 0 when there is no store. */
    private static long countDomains(Path store) throws Exception {
        if (!Files.exists(store)) {
            comment("store: empty (no %s yet)", store);
            return 0;
        }
        long started = System.nanoTime();
        try (EmbeddedMongo mongo = EmbeddedMongo.start(store);
                MongoClient client = MongoClients.create(mongo.uri())) {
            String database =
                    Settings.load(Map.of(), new Properties(), Map.of()).get("mongodb.database");
            long count = client.getDatabase(database).getCollection(Db.DOMAINS).estimatedDocumentCount();
            comment(
                    "store: %,d domains in %s (%.0f MB), counted in %.1f s",
                    count, store, Files.size(store) / 1048576.0, (System.nanoTime() - started) / 1e9);
            return count;
        }
    }

    private void startApp() throws Exception {
        int httpPort = freePort();
        int managementPort = freePort();
        while (managementPort == httpPort) {
            managementPort = freePort();
        }
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!heap.isBlank()) {
            command.add("-Xmx" + heap);
        }
        for (String option : System.getProperty("bench.app-opts", "").trim().split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option); // e.g. a flight recording of the app
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        Path log = runDir.resolve("app.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(runDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        NOT_INHERITED.forEach(env::remove);
        env.put("DATA_DIR", dataDir.toString());
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        // the load is far above one customer's default budget; the limits' own cost stays in the figures
        env.put("RATELIMIT_CLIENT_WRITES_PER_MINUTE", "10000000");
        env.put("RATELIMIT_CLIENT_READS_PER_MINUTE", "10000000");
        api = URI.create("http://127.0.0.1:" + httpPort);
        // open loop: a connection per request in flight, however many that takes (no request waits for a connection)
        load = vertx.createHttpClient(
                new HttpClientOptions()
                        .setDefaultHost("127.0.0.1")
                        .setDefaultPort(httpPort)
                        .setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(100_000).setEventLoopSize(1));
        long started = System.nanoTime();
        app = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (app.isAlive()) {
                app.destroy();
                try {
                    if (!app.waitFor(60, TimeUnit.SECONDS)) {
                        app.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    app.destroyForcibly();
                }
            }
        }));
        comment(
                "app: pid %d, %s, heap %s, API %s, log %s",
                app.pid(), jar.getFileName(), heap.isBlank() ? "JVM default" : "-Xmx" + heap, api, log);
        // Ready when the admin API creates the first client (404 and refused connections while routes start).
        long deadline = started + TimeUnit.SECONDS.toNanos(startTimeoutSeconds);
        while (true) {
            if (!app.isAlive()) {
                throw new IllegalStateException(
                        "the app exited with " + app.exitValue() + " while starting; see " + log);
            }
            try {
                HttpResponse<String> answer = http.send(
                        adminPost("/api/admin/clients", clientJson(0), null), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 201) {
                    addClient(answer.body());
                    break;
                }
                if (answer.statusCode() != 404 && answer.statusCode() != 503) {
                    throw new IllegalStateException(
                            "creating a client answered " + answer.statusCode() + ": " + answer.body());
                }
            } catch (IOException e) {
                // not listening yet, or closing connections while it starts
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the app did not answer within " + startTimeoutSeconds + " s; see " + log);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        comment("app answered %.1f s after its start", (System.nanoTime() - started) / 1e9);
    }

    private void createClients() throws Exception {
        for (int i = 1; i < clientCount; i++) {
            HttpResponse<String> answer = http.send(
                    adminPost("/api/admin/clients", clientJson(i), null), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException(
                        "creating a client answered " + answer.statusCode() + ": " + answer.body());
            }
            addClient(answer.body());
        }
        long planned = (long) warmupSeconds * Arrays.stream(rates).min().orElse(100)
                + (long) seconds * Arrays.stream(rates).sum();
        long perClient = (planned / clientCount + 1) * 25 + 100; // well above the .com price per checkout
        for (String[] client : clients) {
            // in parts: one credit may post at most wallet.credit-max (10,000.00 by default)
            for (long part = 0, left = perClient; left > 0; part++, left -= 10_000) {
                HttpResponse<String> answer = http.send(
                        adminPost(
                                "/api/admin/clients/" + client[0] + "/wallet/credit",
                                "{\"amount\":\"" + Math.min(left, 10_000) + ".00\"}",
                                "bench-credit-" + tag + "-" + part),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 201) {
                    throw new IllegalStateException(
                            "crediting a wallet answered " + answer.statusCode() + ": " + answer.body());
                }
            }
        }
        comment("%d clients, each credited %,d.00 for %,d planned checkouts", clients.size(), perClient, planned);
    }

    private void addClient(String json) {
        Map<String, Object> client = Json.readMap(json);
        clients.add(
                new String[] {client.get("id").toString(), client.get("token").toString()});
    }

    private static String clientJson(int i) {
        return "{\"name\":\"Bench Client " + i + "\",\"email\":\"bench" + i + "@example.com\"}";
    }

    private HttpRequest adminPost(String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    /**
     * Open loop: request i is due at start + i/rate and is sent then, whatever the answers so far; its latency runs
     * from that due time to its answer, so a stall of the app shows in every request it delays. One thread waits for
     * each due time (parking, no spinning) and hands the request to the Vert.x event loop, which sends it and reads
     * its answer.
     */
    private Phase send(String label, int rate, int phaseSeconds) throws InterruptedException {
        int count = rate * phaseSeconds;
        Phase phase = new Phase(count);
        double interval = 1e9 / rate;
        double appCpu = cpuSeconds(app.toHandle());
        double ownCpu = cpuSeconds(ProcessHandle.current());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            phase.maxLag = Math.max(phase.maxLag, System.nanoTime() - due);
            String[] client = clients.get(i % clients.size());
            String name = "bench-" + tag + "-" + label + "-" + i + ".com";
            RequestOptions request = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setURI("/api/cart/checkout")
                    .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                    .putHeader("Authorization", "Bearer " + client[1])
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Idempotency-Key", "bench-" + tag + "-" + label + "-" + i);
            Buffer body = Buffer.buffer(checkoutJson(name, i % clients.size()));
            int index = i;
            load.request(request)
                    .compose(r -> r.send(body))
                    .compose(answer -> answer.statusCode() == 202
                            ? answer.end().map("")
                            : answer.body().map(b -> answer.statusCode() + " " + b))
                    .onComplete(
                            done -> phase.record(index, due, done.succeeded() ? done.result() : null, done.cause()));
        }
        phase.sendSeconds = (System.nanoTime() - start) / 1e9;
        if (!phase.answered.await(REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            phase.giveUp();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        phase.appCores = (cpuSeconds(app.toHandle()) - appCpu) / elapsed;
        phase.ownCores = (cpuSeconds(ProcessHandle.current()) - ownCpu) / elapsed;
        return phase;
    }

    /** The domains of the benchmark's clients, as the API lists them. */
    private long ownedDomains() throws IOException, InterruptedException {
        long owned = 0;
        for (String[] client : clients) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(api.resolve("/api/domains"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + client[1])
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(
                        "listing domains answered " + answer.statusCode() + ": " + answer.body());
            }
            owned += Json.readList(answer.body()).size();
        }
        return owned;
    }

    /**
     * After a rate the app may still work on requests whose client gave up (timed out); the next step starts once a
     * wallet read, queued behind them, answers within 100 ms again (at most 10 minutes).
     */
    private void awaitIdle() throws InterruptedException {
        long started = System.nanoTime();
        HttpRequest probe = HttpRequest.newBuilder(api.resolve("/api/wallet"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + clients.get(0)[1])
                .GET()
                .build();
        while (System.nanoTime() - started < TimeUnit.MINUTES.toNanos(10)) {
            long sent = System.nanoTime();
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && System.nanoTime() - sent < 100_000_000) {
                    break;
                }
            } catch (IOException e) {
                // busy or refusing: try again
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        double waited = (System.nanoTime() - started) / 1e9;
        if (waited > 1) {
            comment("the app answered a wallet read within 100 ms again after %.1f s", waited);
        }
    }

    private static String checkoutJson(String name, int client) {
        return "{\"items\":[{\"domain\":\"" + name + "\",\"years\":1}],"
                + "\"contact\":{\"nameFirst\":\"Bench\",\"nameLast\":\"Client" + client + "\",\"email\":\"bench"
                + client + "@example.com\","
                + "\"phone\":\"+44.2071234567\",\"addressMailing\":{\"address1\":\"12 St James Sq\",\"city\":\"London\",\"state\":\"London\","
                + "\"postalCode\":\"SW1Y 4JH\",\"country\":\"GB\"}},\"agreeToTerms\":true}";
    }

    /** The requests of one rate: each one's latency (-1 until answered), and the count of each kind of failure. */
    private static final class Phase {
        final long[] latency;
        final CountDownLatch answered;
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        final Map<String, String> samples = new ConcurrentHashMap<>(); // the first message of each kind of failure
        long maxLag;
        double sendSeconds;
        double appCores;
        double ownCores;

        Phase(int count) {
            latency = new long[count];
            Arrays.fill(latency, -1);
            answered = new CountDownLatch(count);
        }

        /** {@code failure}: "" for a 202, else the status and body; null with an {@code error}. */
        void record(int index, long due, String failure, Throwable error) {
            synchronized (this) {
                if (latency[index] >= 0) {
                    return;
                }
                latency[index] = System.nanoTime() - due;
            }
            if (error == null && failure.isEmpty()) {
                ok.incrementAndGet();
            } else {
                failed.incrementAndGet();
                String kind =
                        error != null ? rootCause(error).getClass().getSimpleName() : "HTTP " + failure.substring(0, 3);
                failures.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                samples.putIfAbsent(
                        kind, error != null ? String.valueOf(rootCause(error).getMessage()) : failure.substring(4));
            }
            answered.countDown();
        }

        /** Requests still without an answer count as failed, with the request timeout as their latency. */
        synchronized void giveUp() {
            for (int i = 0; i < latency.length; i++) {
                if (latency[i] < 0) {
                    latency[i] = REQUEST_TIMEOUT.toNanos();
                    failed.incrementAndGet();
                    failures.computeIfAbsent("no answer", k -> new AtomicInteger())
                            .incrementAndGet();
                }
            }
        }

        synchronized long[] latencyNanosSorted() {
            long[] sorted = Arrays.stream(latency).filter(l -> l >= 0).toArray();
            Arrays.sort(sorted);
            return sorted;
        }

        String summary() {
            StringBuilder text = new StringBuilder(String.format(
                    "%,d sent in %.1f s (latest send %.1f ms after its due time), %,d answered 202, %,d failed;"
                            + " CPU until the last answer: app %.2f cores, load generator %.2f",
                    latency.length, sendSeconds, maxLag / 1e6, ok.get(), failed.get(), appCores, ownCores));
            if (!failures.isEmpty()) {
                text.append(' ').append(new LinkedHashMap<>(failures));
                samples.forEach((kind, message) -> text.append("\n#   ")
                        .append(kind)
                        .append(", e.g.: ")
                        .append(message.length() > 300 ? message.substring(0, 300) : message));
            }
            return text.toString();
        }
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Nearest rank: the smallest latency at or above which lie (1 - p) of the requests. */
    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private void ledgerCheck() {
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(api.resolve("/api/admin/ledger/verify"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + ADMIN_TOKEN)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Object> report = Json.readMap(answer.body());
            comment(
                    "ledger check: balanced %s, every charge has its outcome %s",
                    report.get("balanced"), report.get("everyChargeHasOutcome"));
        } catch (Exception e) {
            comment("ledger check failed: %s", e);
        }
    }

    /** SIGTERM, then waits for the app and the processes it started (the embedded redis-server) to end. */
    private boolean stopApp() throws InterruptedException {
        if (app == null) {
            return true;
        }
        List<ProcessHandle> children = app.descendants().toList();
        long started = System.nanoTime();
        app.destroy();
        boolean clean = true;
        if (!app.waitFor(90, TimeUnit.SECONDS)) {
            comment("the app did not stop within 90 s of SIGTERM; killing it");
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            clean = false;
        } else {
            comment(
                    "app stopped %.1f s after SIGTERM, exit code %d",
                    (System.nanoTime() - started) / 1e9, app.exitValue());
            clean = app.exitValue() == 0;
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                comment(
                        "process %d (%s) still runs after the app stopped; killing it",
                        child.pid(), child.info().command().orElse("?"));
                child.destroyForcibly();
                clean = false;
            }
        }
        if (clean) {
            comment("nothing left running (%d child process(es) ended with the app)", children.size());
        }
        vertx.close();
        return clean;
    }

    /** A field of /proc/&lt;pid&gt;/status in kB (VmRSS: resident now, VmHWM: the most ever resident); 0 if gone. */
    private static long procStatusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(
                            line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** The 1-minute load average of the machine. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void figure(String name, double value, String unit) {
        String text = unit.equals("count") || unit.equals("req/s")
                ? Long.toString(Math.round(value))
                : String.format(Locale.ROOT, "%.1f", value);
        figures.println(name + " " + text + " " + unit);
        figures.flush();
    }

    private static void comment(String format, Object... args) {
        System.err.println("# " + String.format(format, args));
    }
}
