package com.domainautomation.bench;

import com.domainautomation.config.App;
import com.domainautomation.config.Settings;
import com.domainautomation.cron.CronRuns;
import com.domainautomation.store.EmbeddedMongo;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.bson.Document;

/**
 * Expiry cron benchmark (not a test), run by bench/expiry-cron.sh in two JVMs:
 * <ul>
 * <li>{@code seed <dir> <domains> <due-percent>}: writes the data set into an embedded store file
 * {@code <dir>/mongo.mv} and the instant it is relative to into {@code <dir>/as-of}.</li>
 * <li>{@code run <dir>}: starts the app on a copy of that store (embedded Redis and MongoDB, cron role only, its clock
 * fixed at the seed's instant), runs the domain-expiry cron once and prints {@code expiry_run_seconds} and
 * {@code expiry_peak_heap_mb}, then what the run summary says.</li>
 * </ul>
 */
public final class ExpiryBenchmark {
    private static final int BATCH = 2_000;

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("seed")) {
            seed(Path.of(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]));
        } else if (args.length == 2 && args[0].equals("run")) {
            run(Path.of(args[1]));
        } else {
            System.err.println("usage: ExpiryBenchmark seed <dir> <domains> <due-percent> | run <dir>");
            System.exit(2);
        }
        System.exit(0);
    }

    /**
     * Active domains like the app's own: {@code duePercent} of them owe a notice (a quarter each: 30-day window,
     * 7-day window, 1-day window, past expiry), the rest expire 31 days to 2 years from now. Spread at random.
     */
    private static void seed(Path dir, int domains, double duePercent) throws Exception {
        Files.createDirectories(dir);
        Instant asOf = Instant.now()
                .atOffset(ZoneOffset.UTC)
                .withHour(2)
                .withMinute(0)
                .withSecond(0)
                .withNano(0)
                .toInstant();
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(42);
        int due = 0;
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir.resolve("mongo.mv"));
                MongoClient client = MongoClients.create(mongo.uri())) {
            String database =
                    Settings.load(Map.of(), new Properties(), Map.of()).get("mongodb.database");
            MongoCollection<Document> collection = client.getDatabase(database).getCollection(Db.DOMAINS);
            List<Document> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < domains; i++) {
                boolean isDue = random.nextDouble() * 100 < duePercent;
                Instant expiresAt = isDue
                        ? dueExpiry(asOf, random)
                        : asOf.plus(Duration.ofMinutes(random.nextLong(31L * 24 * 60 + 1, 730L * 24 * 60)));
                due += isDue ? 1 : 0;
                batch.add(domain(i, expiresAt, asOf));
                if (batch.size() == BATCH) {
                    collection.insertMany(batch);
                    batch.clear();
                }
                if ((i + 1) % 100_000 == 0) {
                    System.err.printf("# seeded %,d domains (%.0f s)%n", i + 1, (System.nanoTime() - started) / 1e9);
                }
            }
            if (!batch.isEmpty()) {
                collection.insertMany(batch);
            }
            System.err.printf(
                    "# inserted in %.0f s; building the app's indexes%n", (System.nanoTime() - started) / 1e9);
            new Db(client.getDatabase(database)).ensureIndexes();
        }
        Files.writeString(dir.resolve("as-of"), asOf.toString());
        System.err.printf(
                "# seeded %,d domains, %,d due, as of %s, in %.0f s%n",
                domains, due, asOf, (System.nanoTime() - started) / 1e9);
    }

    private static Instant dueExpiry(Instant asOf, SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> asOf.plus(Duration.ofMinutes(random.nextLong(8L * 24 * 60, 30L * 24 * 60)));
            case 1 -> asOf.plus(Duration.ofMinutes(random.nextLong(25 * 60, 7L * 24 * 60)));
            case 2 -> asOf.plus(Duration.ofMinutes(random.nextLong(1, 24 * 60)));
            default -> asOf.minus(Duration.ofMinutes(random.nextLong(1, 24 * 60)));
        };
    }

    private static Document domain(int i, Instant expiresAt, Instant asOf) {
        String id = String.format("ord_%024x-1", i);
        String name = "bench-domain-" + i + ".com";
        Date created = Date.from(expiresAt.minus(Duration.ofDays(365)));
        return new Document("_id", id)
                .append("name", name)
                .append("unicodeName", name)
                .append("userId", String.format("cli_%024x", i % 50_000))
                .append("orderId", id.substring(0, id.length() - 2))
                .append("status", "active")
                .append("registrationPeriod", 1)
                .append("privacyProtection", i % 3 == 0)
                .append("autoRenew", i % 2 == 0)
                .append("autoRenewAttempts", 0)
                .append("price", 1299L)
                .append("currency", "USD")
                .append(
                        "contact",
                        new Document("nameFirst", "Ada")
                                .append("nameLast", "Lovelace")
                                .append("email", "owner" + (i % 50_000) + "@example.com")
                                .append("phone", "+44.2071234567")
                                .append(
                                        "addressMailing",
                                        new Document("address1", "12 St James Sq")
                                                .append("city", "London")
                                                .append("state", "London")
                                                .append("postalCode", "SW1Y 4JH")
                                                .append("country", "GB")))
                .append("registeredAt", created)
                .append("expiresAt", Date.from(expiresAt))
                .append("lastExpiryReminderAt", null)
                .append("createdAt", created)
                .append("updatedAt", Date.from(asOf));
    }

    private static void run(Path dir) throws Exception {
        Instant asOf = Instant.parse(Files.readString(dir.resolve("as-of")).trim());
        AppClock clock = new AppClock(Clock.fixed(asOf.plus(Duration.ofMinutes(1)), ZoneOffset.UTC));
        Map<String, String> overrides = Map.of(
                "data.dir",
                dir.toString(),
                "roles",
                "cron",
                "camel.main.jmx-enabled",
                "false",
                "cron.domain-expiry.schedule",
                "off",
                "cron.auto-renew.schedule",
                "off",
                "cron.transfer-status.schedule",
                "off",
                "recovery.interval-ms",
                "3600000");
        try (App app = new App(Settings.load(Map.of(), new Properties(), overrides), clock)) {
            long starting = System.nanoTime();
            app.start();
            System.err.printf("# app started on the data set in %.1f s%n", (System.nanoTime() - starting) / 1e9);
            HeapWatch heap = HeapWatch.start();
            long started = System.nanoTime();
            app.context().createProducerTemplate().sendBody("direct:domain-expiry-cron-run", null);
            double seconds = (System.nanoTime() - started) / 1e9;
            heap.stop();
            System.out.printf("expiry_run_seconds %.1f s%n", seconds);
            System.out.printf("expiry_peak_heap_mb %.0f MB%n", heap.peakUsed() / 1048576.0);
            System.out.printf("expiry_peak_live_heap_mb %.0f MB%n", heap.peakAfterGc() / 1048576.0);
            CronRuns crons = app.context().getRegistry().lookupByNameAndType("cronRuns", CronRuns.class);
            crons.status().stream()
                    .filter(c -> "domain-expiry".equals(c.get("name")))
                    .forEach(c -> System.err.println("# run summary: " + c.get("lastRun")));
            System.err.printf(
                    "# max heap %.0f MB (-Xmx). peak_heap: the most heap in use (live and garbage) seen every 5 ms during the run;"
                            + " peak_live_heap: the most heap still in use right after a garbage collection%n",
                    Runtime.getRuntime().maxMemory() / 1048576.0);
        }
    }

    /** Heap in use during the run: sampled every 5 ms, and right after each garbage collection. */
    private static final class HeapWatch implements NotificationListener {
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        private HeapWatch() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            sampler = new Thread(
                    () -> {
                        while (running) {
                            peakUsed.accumulateAndGet(
                                    memory.getHeapMemoryUsage().getUsed(), Math::max);
                            LockSupport.parkNanos(5_000_000);
                        }
                    },
                    "heap-watch");
            sampler.setDaemon(true);
        }

        static HeapWatch start() {
            System.gc();
            HeapWatch watch = new HeapWatch();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(watch, null, null);
            }
            watch.sampler.start();
            return watch;
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (running
                    && GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                            notification.getType())) {
                GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                        .getGcInfo();
                long after = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    MemoryUsage usage = info.getMemoryUsageAfterGc().get(pool.getName());
                    if (pool.getType() == MemoryType.HEAP && usage != null) {
                        after += usage.getUsed();
                    }
                }
                peakAfterGc.accumulateAndGet(after, Math::max);
            }
        }

        void stop() throws InterruptedException {
            peakUsed.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            running = false;
            sampler.join();
        }

        long peakUsed() {
            return peakUsed.get();
        }

        long peakAfterGc() {
            return peakAfterGc.get();
        }
    }
}
