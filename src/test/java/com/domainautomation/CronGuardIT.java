package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.cron.CronRuns;
import com.domainautomation.cron.CronSchedule;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.SharedStores;
import com.domainautomation.testing.TestApp;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.builder.AdviceWith;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The crons' run guard with real schedules: two instances fire every cron, each fire runs once; a fire missed while
 * no instance was up (or whose run died holding the lock) runs at the next start; the admin API's errors.
 */
class CronGuardIT extends AppTestSupport {
    private static final String NIGHTLY = "0 0 2 * * ?";
    private final Instant lastNightlyRun = Instant.now().minus(Duration.ofDays(3));
    private Instant deadLockExpires;

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("cron.transfer-status.schedule", "*/2 * * * * ?");
        settings.put("cron.domain-expiry.schedule", NIGHTLY);
        settings.put("cron.catch-up-delay-ms", "300");
        settings.put("cron.catch-up-interval-ms", "500");
        // the state a previous life of the app left: the nightly expiry check last ran three days ago, and a run of it
        // died holding its lock, which expires in two seconds
        try (MongoClient mongo = MongoClients.create(settings.get("mongodb.uri"))) {
            mongo.getDatabase(settings.get("mongodb.database"))
                    .getCollection(CronRuns.STATE)
                    .insertOne(new Document("_id", "domain-expiry").append("lastFireAt", Date.from(lastNightlyRun)));
        }
        SharedStores.redis()
                .sync()
                .set("da:cron:{domain-expiry}:lock", "a-run-that-died", io.lettuce.core.SetArgs.Builder.px(2000));
        deadLockExpires = Instant.now().plus(Duration.ofMillis(2000));
    }

    @Test
    void two_instances_fire_every_schedule_and_each_fire_runs_once() throws Exception {
        Map<String, String> second = new HashMap<>(app.settings());
        second.put("http.port", Integer.toString(TestApp.freePort()));
        second.put("management.port", Integer.toString(TestApp.freePort()));
        second.put("data.dir", TestApp.tempDir().toString());
        try (TestApp other = TestApp.start(second)) {
            AtomicInteger firstFired = firesOf(app);
            AtomicInteger otherFired = firesOf(other);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> runs("cron transfer-status").size() >= 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> firstFired.get() >= 3 && otherFired.get() >= 3);

            List<Map<String, Object>> runs = runs("cron transfer-status");
            Map<Object, Long> perFire = runs.stream()
                    .collect(Collectors.groupingBy(r -> summary(r).get("fireTime"), Collectors.counting()));
            assertTrue(perFire.values().stream().allMatch(n -> n == 1), "each fire ran once: " + perFire);
            assertTrue(runs.stream().allMatch(r -> summary(r).get("fireTime") != null), runs.toString());
            assertTrue(
                    firstFired.get() >= 3 && otherFired.get() >= 3,
                    "both instances' schedules fired: " + firstFired + ", " + otherFired);
        }
    }

    @Test
    void a_missed_fire_runs_at_start_once_the_lock_of_a_dead_run_expired() {
        Instant expectedFire = new CronSchedule("domain-expiry", NIGHTLY)
                .latestFireBetween(lastNightlyRun, Instant.now())
                .orElseThrow();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !runs("cron domain-expiry").isEmpty());

        List<Map<String, Object>> runs = runs("cron domain-expiry");
        Map<String, Object> summary = summary(runs.get(0));
        assertEquals("catch-up", summary.get("trigger"), summary.toString());
        assertEquals(expectedFire.toString(), summary.get("fireTime"), "the latest missed nightly fire");
        assertTrue(
                !Instant.parse((String) summary.get("startedAt")).isBefore(deadLockExpires.minusMillis(50)),
                "not before the dead run's lock expired: " + summary + " lock expired " + deadLockExpires);
        assertTrue(SharedStores.redis().sync().exists("da:cron:{domain-expiry}:lock") == 0, "its lock was freed");
        Map<String, Object> state = cron("domain-expiry");
        assertEquals(expectedFire.toString(), state.get("lastFireAt"));
        // later checks find nothing more to catch up
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertEquals(
                1, runs("cron domain-expiry").size(), runs("cron domain-expiry").toString());
    }

    @Test
    void the_admin_api_lists_the_crons_and_refuses_what_it_cannot_do() {
        List<Map<String, Object>> crons =
                app.api().get("/api/admin/cron", TestApp.ADMIN_TOKEN).list();
        assertEquals(
                List.of("domain-expiry", "auto-renew", "transfer-status"),
                crons.stream().map(c -> c.get("name")).toList());
        Map<String, Object> nightly = cron("domain-expiry");
        assertEquals(NIGHTLY, nightly.get("schedule"));
        assertEquals("UTC", nightly.get("timeZone"));
        assertTrue(((String) nightly.get("nextFireAt")).endsWith("T02:00:00Z"), nightly.toString());
        assertEquals(Boolean.FALSE, cron("auto-renew").get("enabled"));

        assertEquals(
                401,
                app.api().post("/api/admin/cron/auto-renew/run", null, Map.of()).status());
        var unknown = app.api().post("/api/admin/cron/backup/run", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(404, unknown.status());
        assertTrue(unknown.text().contains("domain-expiry, auto-renew, transfer-status"), unknown.text());
        SharedStores.redis()
                .sync()
                .set("da:cron:{auto-renew}:lock", "running-elsewhere", io.lettuce.core.SetArgs.Builder.px(5000));
        var busy = app.api().post("/api/admin/cron/auto-renew/run", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(409, busy.status(), busy.text());
        assertEquals("cron_running", busy.map().get("error"));
        assertEquals(Boolean.TRUE, cron("auto-renew").get("running"));
    }

    /** Counts the fires of the transfer-status schedule in this instance (whether the guard lets them run or not). */
    private static AtomicInteger firesOf(TestApp instance) throws Exception {
        AtomicInteger fired = new AtomicInteger();
        AdviceWith.adviceWith(instance.app().context(), "transfer-status-cron", route -> route.weaveAddFirst()
                .process(e -> fired.incrementAndGet()));
        return fired;
    }

    private List<Map<String, Object>> runs(String action) {
        return app.api().get("/api/admin/activity?limit=1000", TestApp.ADMIN_TOKEN).list().stream()
                .filter(e -> action.equals(e.get("action")))
                .toList();
    }

    private Map<String, Object> cron(String name) {
        return app.api().get("/api/admin/cron", TestApp.ADMIN_TOKEN).list().stream()
                .filter(c -> name.equals(c.get("name")))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Map<String, Object> activity) {
        return (Map<String, Object>) activity.get("summary");
    }
}
