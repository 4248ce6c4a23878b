package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.domainautomation.support.Ids;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.ChildApp;
import com.domainautomation.testing.TestApp;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A write the API acknowledged (201, 202) survives a SIGKILL of the app that comes right after the answer.
 *
 * <p>The app runs in a child JVM on its embedded defaults (its own redis-server and MongoDB-protocol store in
 * {@code DATA_DIR}, the sandbox registrar, the mail outbox) and is killed at a chosen moment of a batch of credits,
 * checkouts and renewals, then started again on the same {@code DATA_DIR}. Right after the restart every acknowledged
 * write must be there as it was answered (a credit posted, a checkout's domain and charge, a renewal's charge); once
 * the recovery sweeper has run, every charge has its outcome and the ledger verifies. A write that got no answer may
 * or may not be there, but never half. Each restart checks the round before and runs the next one.
 */
class AcknowledgedWritesSurviveKillIT {
    private static final String ADMIN = TestApp.ADMIN_TOKEN;
    private static final String PRICE = "-12.99";
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final int LOAD_WARM_ANSWERS = 8;

    /** When the app is killed: this long after the given answer of the batch (1-based), the writes sent at once or one by one. */
    private record Moment(int afterAnswer, int delayMs, boolean oneByOne) {
        String describe(int writes) {
            String when = (delayMs == 0 ? "right" : delayMs + " ms") + " after answer " + afterAnswer + " of " + writes;
            if (oneByOne) {
                return writes + " writes one by one, killed " + when
                        + (afterAnswer < writes ? " (the rest never sent)" : "");
            }
            return writes + " writes at once, killed " + when + (afterAnswer < writes ? " (the rest in flight)" : "");
        }
    }

    /** Twenty moments, most of them inside the embedded store's 100 ms background commit interval; 150 ms is past it. */
    private static final List<Moment> MOMENTS = List.of(
            new Moment(5, 0, false),
            new Moment(1, 0, false),
            new Moment(2, 0, false),
            new Moment(3, 0, false),
            new Moment(4, 0, false),
            new Moment(5, 1, false),
            new Moment(5, 2, false),
            new Moment(5, 5, false),
            new Moment(5, 10, false),
            new Moment(5, 20, false),
            new Moment(5, 35, false),
            new Moment(5, 50, false),
            new Moment(5, 75, false),
            new Moment(5, 150, false),
            new Moment(5, 0, true),
            new Moment(3, 0, true),
            new Moment(5, 5, true),
            new Moment(1, 0, true),
            new Moment(2, 3, false),
            new Moment(5, 0, false));

    private final ExecutorService senders = Executors.newCachedThreadPool();
    private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    private final List<ChildApp> children = new ArrayList<>();
    private Path dataDir;
    private Path logDir;
    private ChildApp child;
    private ApiClient api;
    private String kept = "";

    /** A client of the reseller: its id and API token. */
    private record Client(String id, String token) {}

    @AfterEach
    void endEveryProcess() throws Exception {
        try {
            if (child != null && child.process().isAlive()) {
                child.kill();
            }
            children.forEach(ChildApp::endLeftovers);
        } finally {
            senders.shutdownNow();
            killer.shutdownNow();
        }
    }

    @Test
    void every_acknowledged_write_survives_a_kill_right_after_its_answer(TestInfo test) throws Exception {
        long began = System.nanoTime();
        startApp(test);
        Client client = newClient();
        List<Round> rounds = new ArrayList<>();
        // The renewals need active domains: one per round, bought and settled before the first kill.
        List<String> pool = new ArrayList<>();
        for (int r = 1; r <= MOMENTS.size(); r++) {
            pool.add(String.format("renew-%02d-kill-test.com", r));
        }
        expect(
                201,
                api.post(
                        "/api/admin/clients/" + client.id() + "/wallet/credit",
                        ADMIN,
                        Map.of("amount", "2000.00"),
                        Map.of("Idempotency-Key", "opening")));
        expect(202, api.post("/api/cart/checkout", client.token(), cart(pool.toArray(String[]::new))));
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).until(() -> pool.stream()
                .allMatch(d -> "active".equals(status(client, d))));

        List<String> problems = new ArrayList<>();
        for (int r = 1; r <= MOMENTS.size(); r++) {
            String p = String.format("r%02d", r);
            List<Write> batch = new ArrayList<>(List.of(
                    new Credit(client, p + "-credit-a", r + ".07"),
                    new Checkout(client, p + "-a-kill-test.com"),
                    new Renewal(client, pool.get(r - 1)),
                    new Credit(client, p + "-credit-b", (20 + r) + ".50"),
                    new Checkout(client, p + "-b-kill-test.com")));
            Collections.rotate(batch, r); // the kind of the last answer varies too
            Round round =
                    new Round(String.format("round %02d", r), MOMENTS.get(r - 1).describe(batch.size()), batch);
            rounds.add(round);
            runAndKill(round, MOMENTS.get(r - 1));
            startApp(test);
            List<String> lost = lostAfterRestart(client, round);
            problems.addAll(lost);
            System.out.printf(
                    "%s [%s]: %d acknowledged, %d lost%n",
                    round.name, round.moment, round.acknowledged().size(), lost.size());
        }
        problems.addAll(unsettled(client, rounds));
        stopAppAndCheckNothingRuns(problems);
        System.out.printf(
                "%s: %d starts of the app, %.1f s in all%n",
                test.getDisplayName(), children.size(), (System.nanoTime() - began) / 1e9);
        assertNoProblems(problems, rounds);
    }

    @Test
    void every_write_answered_before_a_kill_in_the_middle_of_a_load_survives(TestInfo test) throws Exception {
        long began = System.nanoTime();
        startApp(test);
        Client client = newClient();
        Credit opening = new Credit(client, "opening", "300.00");
        send(opening, System.nanoTime());
        int killAfterMs = ThreadLocalRandom.current().nextInt(2000);
        Round load = new Round(
                "load",
                "4 senders of credits and checkouts, killed " + killAfterMs + " ms after answer " + LOAD_WARM_ANSWERS,
                new CopyOnWriteArrayList<>(List.of(opening)));
        runLoadAndKill(load, client, killAfterMs);
        startApp(test);
        List<String> problems = new ArrayList<>(lostAfterRestart(client, load));
        System.out.printf(
                "%s [%s]: %d sent, %d acknowledged, %d lost%n",
                load.name, load.moment, load.writes.size(), load.acknowledged().size(), problems.size());
        problems.addAll(unsettled(client, List.of(load)));
        stopAppAndCheckNothingRuns(problems);
        System.out.printf(
                "%s: %d starts of the app, %.1f s in all%n",
                test.getDisplayName(), children.size(), (System.nanoTime() - began) / 1e9);
        assertNoProblems(problems, List.of(load));
    }

    // --- one round: a batch of writes, the kill, what was acknowledged ----------------------------------------

    /** The writes of one round and when the app was killed (ms after the round began). */
    private static final class Round {
        final String name;
        final String moment;
        final List<Write> writes;
        final AtomicLong killedAtMs = new AtomicLong(-1);

        Round(String name, String moment, List<Write> writes) {
            this.name = name;
            this.moment = moment;
            this.writes = writes;
        }

        List<Write> acknowledged() {
            return writes.stream().filter(Write::acknowledged).toList();
        }

        String label() {
            return name + " [" + moment + "]";
        }
    }

    private void runAndKill(Round round, Moment moment) throws Exception {
        long start = System.nanoTime();
        AtomicInteger answers = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        Runnable kill = () -> {
            round.killedAtMs.set(msSince(start));
            child.process().destroyForcibly(); // SIGKILL, from the thread that saw the answer: nothing in between
            killed.countDown();
        };
        Consumer<Write> answered = write -> {
            if (write.answer != null && answers.incrementAndGet() == moment.afterAnswer()) {
                if (moment.delayMs() == 0) {
                    kill.run();
                } else {
                    killer.schedule(kill, moment.delayMs(), TimeUnit.MILLISECONDS);
                }
            }
        };
        if (moment.oneByOne()) {
            for (Write write : round.writes) {
                if (killed.getCount() == 0) {
                    break;
                }
                send(write, start);
                answered.accept(write);
            }
        } else {
            List<Future<?>> sent = new ArrayList<>();
            for (Write write : round.writes) {
                sent.add(senders.submit(() -> {
                    send(write, start);
                    answered.accept(write);
                }));
            }
            for (Future<?> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        assertTrue(killed.await(60, TimeUnit.SECONDS), round.label() + ": the kill never came");
        child.kill(); // reaps it
    }

    /**
     * Four senders write credits and checkouts as fast as they are answered; {@code killAfterMs} after the first
     * {@value #LOAD_WARM_ANSWERS} answers (a cold app answers slowly at first), the kill ends the app under them.
     */
    private void runLoadAndKill(Round round, Client client, int killAfterMs) throws Exception {
        long start = System.nanoTime();
        AtomicBoolean down = new AtomicBoolean();
        AtomicInteger answers = new AtomicInteger();
        Runnable kill = () -> {
            if (!down.getAndSet(true)) {
                round.killedAtMs.set(msSince(start));
                child.process().destroyForcibly();
            }
        };
        List<Future<?>> senderRuns = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            int sender = s;
            senderRuns.add(senders.submit(() -> {
                for (int i = 1; i <= 300 && !down.get(); i++) {
                    String name = String.format("load-s%d-%03d", sender, i);
                    Write write = i % 2 == 1
                            ? new Credit(client, name, (10 + i % 10) + ".25")
                            : new Checkout(client, name + "-kill-test.com");
                    round.writes.add(write);
                    send(write, start);
                    if (write.answer != null && answers.incrementAndGet() == LOAD_WARM_ANSWERS) {
                        killer.schedule(kill, killAfterMs, TimeUnit.MILLISECONDS);
                    }
                }
            }));
        }
        for (Future<?> run : senderRuns) {
            run.get(90, TimeUnit.SECONDS);
        }
        kill.run(); // when the senders ran out of writes first (they should not): the kill still comes
        child.kill();
    }

    private void send(Write write, long roundStart) {
        try {
            ApiClient.Response answer = write.send(api);
            write.answeredAtMs = msSince(roundStart);
            write.answer = answer;
        } catch (IllegalStateException e) {
            // no answer: the kill closed the connection; the write may or may not have happened
        }
    }

    // --- what must be there after the restart, and once the sweeper has run ------------------------------------

    private List<String> lostAfterRestart(Client client, Round round) {
        List<String> problems = new ArrayList<>();
        Ledger ledger = ledger(client);
        for (Write write : round.writes) {
            if (write.answer != null && !write.acknowledged()) {
                problems.add(round.label() + ": " + write.name + " was answered " + write.answer + " instead of "
                        + write.expected());
                continue;
            }
            if (!write.acknowledged()) {
                continue; // no answer: it may or may not be there
            }
            String lost = write.lostAfterRestart(api, ledger);
            if (lost != null) {
                problems.add(round.label() + ": acknowledged " + write.name + " (" + write.answer.status() + " at +"
                        + write.answeredAtMs + " ms, SIGKILL at +" + round.killedAtMs.get()
                        + " ms) was LOST after the restart: " + lost);
            }
        }
        // The check reads the ledger, the orders and the renewals one after another while the restarted workers settle
        // jobs: an outcome recorded between two reads can look missing for a moment. A real gap stays.
        AtomicReference<ApiClient.Response> verify = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        verify.set(api.get("/api/admin/ledger/verify", ADMIN));
                        return verify.get().status() == 200
                                && Boolean.TRUE.equals(verify.get().map().get("balanced"))
                                && Boolean.TRUE.equals(verify.get().map().get("everyChargeHasOutcome"));
                    });
        } catch (ConditionTimeoutException e) {
            problems.add(
                    round.label() + ": GET /api/admin/ledger/verify after the restart (for 10 s): " + verify.get());
        }
        return problems;
    }

    /** Waits for the sweeper and the workers to settle everything; what is still not settled then. */
    private List<String> unsettled(Client client, List<Round> rounds) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        try {
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).until(() -> {
                last.set(unsettledNow(client, rounds));
                return last.get().isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            return last.get().stream()
                    .map(p -> p + " (still so " + SETTLE.toSeconds() + " s after the last restart)")
                    .toList();
        }
        return List.of();
    }

    private List<String> unsettledNow(Client client, List<Round> rounds) {
        List<String> problems = new ArrayList<>();
        Ledger ledger = ledger(client);
        for (Round round : rounds) {
            for (Write write : round.acknowledged()) {
                String open = write.unsettled(api, ledger);
                if (open != null) {
                    problems.add(round.label() + ": acknowledged " + write.name + " " + open);
                }
            }
        }
        List<Map<String, Object>> domains =
                api.get("/api/domains", client.token()).list();
        BigDecimal sum = BigDecimal.ZERO;
        for (Map<String, Object> entry : ledger.entries.values()) {
            String id = (String) entry.get("id");
            if ("pending".equals(entry.get("status"))) {
                problems.add("ledger entry " + id + " is still pending");
                continue;
            }
            sum = sum.add(new BigDecimal((String) entry.get("amount")));
            String ref = (String) entry.get("reference");
            if (!"charge".equals(entry.get("type")) || ref == null) {
                continue;
            }
            if (ref.startsWith("ren_")) {
                if (!ledger.has("renewed:" + ref) && !ledger.has("refund:" + ref)) {
                    problems.add("charge " + id + " has no outcome (no renewed:" + ref + ", no refund:" + ref + ")");
                }
                continue;
            }
            List<String> ofOrder = domains.stream()
                    .map(d -> (String) d.get("id"))
                    .filter(d -> d.startsWith(ref + "-"))
                    .toList();
            if (ofOrder.isEmpty()) {
                problems.add("charge " + id + " has no domain: half a checkout");
            }
            for (String domainId : ofOrder) {
                if (!ledger.has("registered:" + domainId) && !ledger.has("refund:" + domainId)) {
                    problems.add("charge " + id + " has no outcome for " + domainId);
                }
            }
        }
        String balance = (String) api.get("/api/wallet", client.token()).map().get("balance");
        if (new BigDecimal(balance).compareTo(sum) != 0) {
            problems.add("the wallet holds " + balance + " but its ledger sums to " + sum);
        }
        ApiClient.Response verify = api.get("/api/admin/ledger/verify", ADMIN);
        boolean settled = verify.status() == 200
                && Boolean.TRUE.equals(verify.map().get("balanced"))
                && Boolean.TRUE.equals(verify.map().get("everyChargeHasOutcome"))
                && ((List<?>) verify.map().get("clients"))
                        .stream()
                                .map(c -> (Map<?, ?>) c)
                                .allMatch(c -> Integer.valueOf(0).equals(c.get("chargesInProgress"))
                                        && Integer.valueOf(0).equals(c.get("pendingEntries")));
        if (!settled) {
            problems.add("GET /api/admin/ledger/verify once the sweeper has run: " + verify);
        }
        return problems;
    }

    private void assertNoProblems(List<String> problems, List<Round> rounds) {
        if (problems.isEmpty()) {
            return;
        }
        long roundsWithLoss = rounds.stream()
                .filter(r -> problems.stream().anyMatch(p -> p.startsWith(r.label()) && p.contains("LOST")))
                .count();
        fail(problems.size() + " problem(s); acknowledged writes lost in " + roundsWithLoss + " of " + rounds.size()
                + " kills:\n  " + String.join("\n  ", problems) + kept);
    }

    // --- the writes ---------------------------------------------------------------------------------------------

    /** One write sent to the API; it is acknowledged once its 2xx came back, whenever that was. */
    private abstract static class Write {
        final Client client;
        final String name;
        volatile ApiClient.Response answer;
        volatile long answeredAtMs = -1;

        Write(Client client, String name) {
            this.client = client;
            this.name = name;
        }

        abstract int expected();

        abstract ApiClient.Response send(ApiClient api);

        /** Right after the restart: what is missing of this acknowledged write, or null. */
        abstract String lostAfterRestart(ApiClient api, Ledger ledger);

        /** Once the sweeper and the workers had their time: what is not settled, or null. */
        abstract String unsettled(ApiClient api, Ledger ledger);

        boolean acknowledged() {
            return answer != null && answer.status() == expected();
        }
    }

    private static final class Credit extends Write {
        final String key;
        final String amount;

        Credit(Client client, String key, String amount) {
            super(client, "credit " + key + " of " + amount);
            this.key = key;
            this.amount = amount;
        }

        @Override
        int expected() {
            return 201;
        }

        @Override
        ApiClient.Response send(ApiClient api) {
            return api.post(
                    "/api/admin/clients/" + client.id() + "/wallet/credit",
                    ADMIN,
                    Map.of("amount", amount),
                    Map.of("Idempotency-Key", key));
        }

        @Override
        String lostAfterRestart(ApiClient api, Ledger ledger) {
            String entry = "credit:" + client.id() + ":" + key;
            return ledger.posted(entry, amount);
        }

        @Override
        String unsettled(ApiClient api, Ledger ledger) {
            return lostAfterRestart(api, ledger);
        }
    }

    private static final class Checkout extends Write {
        final String domain;

        Checkout(Client client, String domain) {
            super(client, "checkout of " + domain);
            this.domain = domain;
        }

        @Override
        int expected() {
            return 202;
        }

        @Override
        ApiClient.Response send(ApiClient api) {
            return api.post(
                    "/api/cart/checkout",
                    client.token(),
                    cart(domain),
                    Map.of("Idempotency-Key", "checkout-" + domain));
        }

        String orderId() {
            return (String) ((Map<?, ?>) answer.map().get("order")).get("id");
        }

        String domainId() {
            return (String)
                    ((List<Map<?, ?>>) answer.map().get("domains")).get(0).get("id");
        }

        @Override
        String lostAfterRestart(ApiClient api, Ledger ledger) {
            ApiClient.Response found = api.get("/api/domains/" + domain, client.token());
            if (found.status() != 200) {
                return "GET /api/domains/" + domain + " answers " + found;
            }
            Object status = found.map().get("status");
            if (!"pending".equals(status) && !"active".equals(status)) {
                return domain + " is " + status;
            }
            String charge = ledger.posted("charge:" + orderId(), PRICE);
            return charge == null ? null : "its charge: " + charge;
        }

        @Override
        String unsettled(ApiClient api, Ledger ledger) {
            ApiClient.Response found = api.get("/api/domains/" + domain, client.token());
            if (found.status() != 200 || !"active".equals(found.map().get("status"))) {
                return "is not active: " + found;
            }
            return ledger.has("registered:" + domainId())
                    ? null
                    : "is active without registered:" + domainId() + " in the ledger";
        }
    }

    private static final class Renewal extends Write {
        final String domain;

        Renewal(Client client, String domain) {
            super(client, "renewal of " + domain);
            this.domain = domain;
        }

        @Override
        int expected() {
            return 202;
        }

        @Override
        ApiClient.Response send(ApiClient api) {
            return api.post("/api/domains/" + domain + "/renew", client.token(), Map.of("years", 1));
        }

        String renewalId() {
            return (String) answer.map().get("id");
        }

        @Override
        String lostAfterRestart(ApiClient api, Ledger ledger) {
            String charge = ledger.posted("charge:" + renewalId(), PRICE);
            return charge == null ? null : "its charge: " + charge;
        }

        @Override
        String unsettled(ApiClient api, Ledger ledger) {
            return ledger.has("renewed:" + renewalId()) ? null : "has no renewed:" + renewalId() + " in the ledger";
        }
    }

    /** A client's ledger as {@code GET /api/transactions} shows it, by entry id. */
    private record Ledger(Map<String, Map<String, Object>> entries) {
        boolean has(String id) {
            return entries.containsKey(id);
        }

        /** Null when the entry is there, posted, with this amount; otherwise what is wrong. */
        String posted(String id, String amount) {
            Map<String, Object> entry = entries.get(id);
            if (entry == null) {
                return "no ledger entry " + id;
            }
            if (!"posted".equals(entry.get("status"))) {
                return "ledger entry " + id + " is " + entry.get("status") + ", not posted";
            }
            if (new BigDecimal((String) entry.get("amount")).compareTo(new BigDecimal(amount)) != 0) {
                return "ledger entry " + id + " has amount " + entry.get("amount") + ", not " + amount;
            }
            return null;
        }
    }

    private Ledger ledger(Client client) {
        ApiClient.Response response = api.get("/api/transactions", client.token());
        expect(200, response);
        Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
        response.list().forEach(e -> entries.put((String) e.get("id"), e));
        return new Ledger(entries);
    }

    // --- the app in its child JVM -------------------------------------------------------------------------------

    /**
     * Starts the app on {@link #dataDir} (a new one for the test's first start) and waits until its API answers. A
     * start whose port was taken in the meantime (by another process on this machine) is stopped and made again.
     */
    private void startApp(TestInfo test) throws Exception {
        if (dataDir == null) {
            dataDir = TestApp.tempDir();
            logDir = Path.of(
                    "target", "kill-it", test.getTestMethod().orElseThrow().getName());
        }
        for (int attempt = 1; !tryStartApp(); attempt++) {
            child.kill();
            assertTrue(attempt < 3, "three starts in a row could not bind a port; logs in " + logDir.toAbsolutePath());
        }
    }

    /** False when a port could not be bound. */
    private boolean tryStartApp() throws IOException {
        int httpPort = TestApp.freePortOutsideEphemeralRange();
        int managementPort = TestApp.freePortOutsideEphemeralRange();
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("ADMIN_TOKEN", ADMIN);
        // the sweeper completes half-done work soon after a restart
        env.put("RECOVERY_INTERVAL_MS", "500");
        env.put("RECOVERY_GRACE_MS", "1000");
        // jobs held by the killed process come back soon, and registrations and renewals are not throttled to the
        // seed's rates
        env.put("QUEUE_VISIBILITY_TIMEOUT_MS", "2000");
        env.put("REGISTRATION_LEASE_MS", "2000");
        env.put("QUEUE_REGISTRATION_RATE_PER_MINUTE", "6000");
        env.put("QUEUE_RENEWAL_RATE_PER_MINUTE", "6000");
        env.put("QUEUE_REGISTRATION_BACKOFF_MS", "200");
        env.put("QUEUE_RENEWAL_BACKOFF_MS", "200");
        for (String cron : List.of("DOMAIN_EXPIRY", "AUTO_RENEW", "TRANSFER_STATUS")) {
            env.put("CRON_" + cron + "_SCHEDULE", "off");
        }
        Path log = logDir.resolve(String.format("start-%02d.log", children.size() + 1));
        Files.deleteIfExists(log);
        ChildApp started = ChildApp.standalone(env, log);
        children.add(started);
        child = started;
        api = new ApiClient("http://127.0.0.1:" + httpPort);
        ApiClient client = api;
        ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
        AtomicBoolean portTaken = new AtomicBoolean();
        // The API port answers 404 for the routes not started yet: ready is when Camel is UP (all routes started) and
        // an admin call answers. The app goes on without a server whose port it could not bind: that start is done
        // again.
        await().atMost(Duration.ofSeconds(90))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!started.process().isAlive()) {
                        fail("start " + children.size() + " ended with exit code "
                                + started.process().exitValue() + "; log " + log.toAbsolutePath() + ":\n"
                                + started.log());
                    }
                    try {
                        if (management.get("/observe/health", null).status() == 200
                                && client.get("/api/admin/ledger/verify", ADMIN).status() == 200) {
                            return true;
                        }
                    } catch (IllegalStateException e) {
                        // not listening yet
                    }
                    portTaken.set(started.log().contains("java.net.BindException"));
                    return portTaken.get();
                });
        started.noteStartedProcesses();
        if (portTaken.get()) {
            System.out.printf(
                    "start %d could not bind a port; starting again (log %s)%n", children.size(), log.toAbsolutePath());
        }
        return !portTaken.get();
    }

    /**
     * SIGTERM to the last start; afterwards no process of any start may run (nor a redis-server a kill left behind).
     * The data folder is deleted when nothing was wrong, and kept for a look otherwise.
     */
    private void stopAppAndCheckNothingRuns(List<String> problems) throws Exception {
        assertEquals(
                0,
                child.stop(Duration.ofSeconds(40)),
                "exit code of the last start after SIGTERM; log:\n" + child.log());
        List<String> running = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            for (ProcessHandle leftover : children.get(i).leftovers()) {
                running.add("pid " + leftover.pid() + " ("
                        + leftover.info().commandLine().orElse("?") + ") of start " + (i + 1));
            }
        }
        assertTrue(running.isEmpty(), "processes still running: " + running);
        assertTrue(
                Files.notExists(dataDir.resolve("redis").resolve("embedded.port")),
                "the embedded redis-server was stopped");
        if (!problems.isEmpty()) {
            kept = "\nDATA_DIR kept: " + dataDir + "\nlogs of every start: " + logDir.toAbsolutePath();
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Client newClient() {
        ApiClient.Response created = api.post(
                "/api/admin/clients",
                ADMIN,
                Map.of("name", "Ada Lovelace", "email", Ids.newId("ada") + "@example.com"));
        expect(201, created);
        return new Client(
                (String) created.map().get("id"), (String) created.map().get("token"));
    }

    private String status(Client client, String domain) {
        return (String) api.get("/api/domains/" + domain, client.token()).map().get("status");
    }

    private static void expect(int status, ApiClient.Response response) {
        assertEquals(status, response.status(), response.text());
    }

    private static long msSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static Map<String, Object> cart(String... domains) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (String domain : domains) {
            items.add(Map.of("domain", domain, "years", 1));
        }
        Map<String, Object> address = Map.of(
                "address1",
                "12 St James's Square",
                "city",
                "London",
                "state",
                "London",
                "postalCode",
                "SW1Y 4JH",
                "country",
                "GB");
        Map<String, Object> contact = Map.of(
                "nameFirst",
                "Ada",
                "nameLast",
                "Lovelace",
                "email",
                "ada@example.com",
                "phone",
                "+44.2071234567",
                "addressMailing",
                address);
        return Map.of("items", items, "contact", contact, "agreeToTerms", true);
    }
}
