package com.domainautomation.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.queue.RedisJobQueue.Delivery;
import com.domainautomation.support.Json;
import com.domainautomation.testing.SharedStores;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The {@code redisqueue:} component against a real redis-server (SharedStores): delivery, acknowledgement,
 * retries with backoff, the failed set, reclaiming jobs of dead consumers, lease renewal, restarts, delays,
 * priorities, a Redis crash and a stop with jobs in flight.
 * Jobs are sent without a priority, so they go to the normal-priority stream, unless a test says otherwise.
 * A test that restarts Redis runs its own redis-server, on a fixed port and its own append-only file.
 */
class RedisQueueIT {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueueIT.class);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<CamelContext> contexts = new ArrayList<>();
    private final Map<CamelContext, ProducerTemplate> templates = new HashMap<>();
    private final List<RedisClient> clients = new ArrayList<>();
    private final List<CountDownLatch> latches = new ArrayList<>();
    private final List<RestartableRedis> ownServers = new ArrayList<>();
    private final List<ClientResources> resources = new ArrayList<>();

    @BeforeEach
    void emptyRedis() {
        SharedStores.flushRedis();
    }

    @AfterEach
    void stopEverything() {
        latches.forEach(latch -> {
            while (latch.getCount() > 0) {
                latch.countDown();
            }
        });
        for (int i = contexts.size() - 1; i >= 0; i--) {
            CamelContext context = contexts.get(i);
            ProducerTemplate template = templates.get(context);
            if (template != null) {
                template.stop();
            }
            context.stop();
        }
        clients.forEach(RedisClient::shutdown);
        ownServers.forEach(RestartableRedis::stop);
        resources.forEach(ClientResources::shutdown);
    }

    @Test
    void delivers_every_job_once_with_concurrent_consumers() throws Exception {
        int jobs = 500;
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        List<String> wrongBodies = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch gate = latch();
        CamelContext context = startContext(consume("redisqueue:bulk?concurrentConsumers=10", exchange -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                awaitRelease(gate);
                String id = exchange.getProperty(QueueConstants.JOB_ID, String.class);
                deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                Map<?, ?> body = exchange.getMessage().getBody(Map.class);
                if (body == null || !id.equals("job-" + body.get("n"))) {
                    wrongBodies.add(id + " -> " + body);
                }
            } finally {
                running.decrementAndGet();
            }
        }));

        for (int i = 0; i < jobs; i++) {
            send(context, "bulk", "job-" + i, Map.of("n", i), null);
        }
        // while the gate is shut, exactly 10 jobs are in the route at once: all workers busy, none more
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertEquals(10, running.get(), "jobs in the route at once"));
        gate.countDown();

        awaitCompleted("bulk", jobs);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < jobs; i++) {
            expected.add("job-" + i);
        }
        assertEquals(expected, deliveries.keySet());
        List<String> duplicates = deliveries.entrySet().stream()
                .filter(e -> e.getValue().get() != 1)
                .map(e -> e.getKey() + "x" + e.getValue().get())
                .toList();
        assertEquals(List.of(), duplicates, "jobs processed more than once");
        assertEquals(List.of(), wrongBodies, "bodies not matching their job id");
        assertEquals(jobs, completed("bulk"));
        assertEquals(0, queue("bulk").waitingAndActive());
        assertEquals(0, pending("bulk"));
        assertEquals(10, peak.get(), "most jobs in the route at once");
    }

    @Test
    void acknowledges_only_after_the_route_completes() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = latch();
        CamelContext context = startContext(consume("redisqueue:ack", exchange -> {
            entered.countDown();
            awaitRelease(release);
        }));

        send(context, "ack", "job-ack", Map.of("n", 1), null);

        waiting().until(() -> entered.getCount() == 0);
        // unacknowledged while the route runs, and it stays so (no timer acknowledges it)
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> pending("ack") == 1 && queue("ack").waitingAndActive() == 1);
        assertEquals(0, completed("ack"));

        release.countDown();

        awaitCompleted("ack", 1);
        assertEquals(1, completed("ack"));
        assertEquals(0, pending("ack"));
    }

    @Test
    void retries_a_failing_job_with_backoff_then_succeeds() throws Exception {
        long backoff = 400;
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Long> startedAt = new CopyOnWriteArrayList<>();
        CamelContext context = startContext(consume(
                "redisqueue:retry?maxAttempts=5&backoffDelay=" + backoff + "&backoffMaxDelay=60000", exchange -> {
                    startedAt.add(System.currentTimeMillis());
                    int attempt = exchange.getProperty(QueueConstants.JOB_ATTEMPT, Integer.class);
                    attempts.add(attempt);
                    if (attempt < 3) {
                        throw new IllegalStateException("attempt " + attempt + " fails");
                    }
                }));

        send(context, "retry", "job-retry", Map.of("n", 3), null);

        awaitCompleted("retry", 1);
        assertEquals(List.of(1, 2, 3), attempts);
        long firstGap = startedAt.get(1) - startedAt.get(0);
        long secondGap = startedAt.get(2) - startedAt.get(1);
        assertTrue(firstGap >= backoff, "first retry after " + firstGap + " ms, backoff is " + backoff);
        assertTrue(
                secondGap >= 2 * backoff, "second retry after " + secondGap + " ms, should be doubled: " + 2 * backoff);
        assertTrue(secondGap > firstGap, "gaps grow: " + firstGap + " then " + secondGap);
        assertEquals(0, queue("retry").waitingAndActive());
        assertEquals(0, queue("retry").delayedCount());
        assertEquals(Map.of(), queue("retry").failedJobs());
    }

    @Test
    void a_waiting_retry_does_not_block_other_jobs() throws Exception {
        AtomicLong firstFailureAt = new AtomicLong();
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<Long> finishedAt = new CopyOnWriteArrayList<>();
        CamelContext context =
                startContext(consume("redisqueue:busy?concurrentConsumers=1&backoffDelay=3000", exchange -> {
                    if ("job-poison".equals(exchange.getProperty(QueueConstants.JOB_ID))) {
                        poisonAttempts.incrementAndGet();
                        firstFailureAt.compareAndSet(0, System.currentTimeMillis());
                        throw new IllegalStateException("poison");
                    }
                    finishedAt.add(System.currentTimeMillis());
                }));

        send(context, "busy", "job-poison", Map.of("n", 0), null);
        for (int i = 1; i <= 20; i++) {
            send(context, "busy", "job-" + i, Map.of("n", i), null);
        }

        awaitCompleted("busy", 20);
        assertEquals(20, finishedAt.size());
        assertTrue(firstFailureAt.get() > 0, "the poison job ran first");
        long afterFailure = Collections.max(finishedAt) - firstFailureAt.get();
        assertTrue(
                afterFailure < 1500,
                "all 20 jobs done " + afterFailure + " ms after the first failure (retry waits 3000 ms)");
        assertEquals(1, poisonAttempts.get(), "the retry is not due yet");
        assertEquals(1, queue("busy").delayedCount(), "the poison job waits in the delayed set");
    }

    @Test
    void a_thousand_waiting_retries_do_not_hold_up_new_jobs() throws Exception {
        AtomicInteger newJobsDone = new AtomicInteger();
        CamelContext context =
                startContext(consume("redisqueue:crowded?concurrentConsumers=10&backoffDelay=60000", exchange -> {
                    if (String.valueOf(exchange.getProperty(QueueConstants.JOB_ID))
                            .startsWith("retry-")) {
                        throw new IllegalStateException("fails once, then waits a minute");
                    }
                    newJobsDone.incrementAndGet();
                }));
        for (int i = 0; i < 1000; i++) {
            send(context, "crowded", "retry-" + i, Map.of("n", i), null);
        }
        waiting().until(() -> queue("crowded").delayedCount() == 1000);

        for (int i = 0; i < 2000; i++) {
            send(context, "crowded", "new-" + i, Map.of("n", i), null);
        }

        waiting().until(() -> newJobsDone.get() == 2000);
        assertEquals(
                1000,
                queue("crowded").delayedCount(),
                "the retries are still waiting in Redis, no consumer thread holds them");
    }

    @Test
    void exhausted_job_lands_in_the_failed_set_with_its_error() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Boolean> lastAttemptFlags = new CopyOnWriteArrayList<>();
        CamelContext context = startContext(consume("redisqueue:doomed?maxAttempts=2&backoffDelay=100", exchange -> {
            attempts.add(exchange.getProperty(QueueConstants.JOB_ATTEMPT, Integer.class));
            lastAttemptFlags.add(exchange.getProperty(QueueConstants.JOB_LAST_ATTEMPT, Boolean.class));
            throw new IllegalStateException("boom");
        }));

        send(context, "doomed", "job-doomed", Map.of("n", 5), null);

        // settled one way or the other: failed, completed, or still retrying past its attempts
        waiting()
                .until(() -> !queue("doomed").failedJobs().isEmpty() || completed("doomed") > 0 || attempts.size() > 2);
        assertEquals(Set.of("job-doomed"), queue("doomed").failedJobs().keySet());
        Map<String, Object> record = Json.readMap(queue("doomed").failedJobs().get("job-doomed"));
        assertEquals("job-doomed", record.get("id"));
        assertTrue(String.valueOf(record.get("error")).contains("boom"), "error recorded: " + record.get("error"));
        assertEquals(2, ((Number) record.get("attempts")).intValue());
        assertEquals(Map.of("n", 5), Json.readMap((String) record.get("body")));
        assertEquals(List.of(1, 2), attempts);
        assertEquals(List.of(false, true), lastAttemptFlags);
        assertEquals(0, queue("doomed").waitingAndActive());
        assertEquals(0, queue("doomed").delayedCount());
        assertEquals(0, pending("doomed"));
        assertEquals(0, completed("doomed"));
    }

    @Test
    void a_jobs_record_follows_it_through_retry_and_completion_and_is_found_by_what_it_is_about() throws Exception {
        CamelContext context = startContext(consume("redisqueue:recorded?maxAttempts=3&backoffDelay=100", exchange -> {
            if (exchange.getProperty(QueueConstants.JOB_ATTEMPT, Integer.class) == 1) {
                throw new IllegalStateException("registrar down");
            }
            JobLog.domain("example.com", "ord-1", "cli-1"); // what a step learns once it has read the domain
        }));
        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody(
                "redisqueue:recorded",
                JobRequest.of(Map.of("domainId", "dom-1"), "job-rec").about("Example.COM", null, null));

        waiting().until(() -> "completed".equals(recordOf("recorded", "job-rec").get("state")));
        Map<String, String> record = recordOf("recorded", "job-rec");
        assertEquals("2", record.get("attempts"));
        assertEquals("registrar down", record.get("error"), "the last error stays with the record");
        assertTrue(Long.parseLong(record.get("startedAt")) >= Long.parseLong(record.get("enqueuedAt")));
        assertTrue(Long.parseLong(record.get("finishedAt")) >= Long.parseLong(record.get("startedAt")));
        // found by the producer's domain (lower-cased), the payload's id, and what the run learned (order, client)
        for (String[] by : new String[][] {{"domain", "example.com"}, {"orderId", "ord-1"}, {"clientId", "cli-1"}}) {
            assertEquals(
                    List.of("job-rec"),
                    queue("recorded").records(by[0], by[1], 10).stream()
                            .map(r -> r.get("id"))
                            .toList(),
                    "found by " + by[0]);
        }
        assertEquals("dom-1", record.get("domainId"));
        assertTrue(queue("recorded").records("domain", "other.com", 10).isEmpty());
        long ttl = SharedStores.redis().sync().ttl("da:q:{recorded}:rec:job-rec");
        assertTrue(
                ttl > Duration.ofDays(29).toSeconds()
                        && ttl <= Duration.ofDays(30).toSeconds(),
                "ttl " + ttl);
        template.stop();
    }

    @Test
    void a_failed_jobs_record_keeps_its_error_and_says_when_it_is_deleted() throws Exception {
        CamelContext context = startContext(consume("redisqueue:recfail?maxAttempts=1", exchange -> {
            throw new IllegalStateException("boom");
        }));
        component(context).queue("recfail").keepRecordsFor(Duration.ofMinutes(5));
        send(context, "recfail", "job-recfail", Map.of("clientId", "cli-9"), null);

        waiting().until(() -> "failed".equals(recordOf("recfail", "job-recfail").get("state")));
        assertEquals("boom", recordOf("recfail", "job-recfail").get("error"));
        assertEquals(
                List.of("job-recfail"),
                queue("recfail").records("clientId", "cli-9", 10).stream()
                        .map(r -> r.get("id"))
                        .toList());
        long ttl = SharedStores.redis().sync().ttl("da:q:{recfail}:rec:job-recfail");
        assertTrue(ttl > 0 && ttl <= 300, "the queue's own retention: " + ttl);
        assertTrue(queue("recfail").deleteFailed("job-recfail"));
        assertEquals("deleted", recordOf("recfail", "job-recfail").get("state"));
    }

    private static Map<String, String> recordOf(String queue, String jobId) {
        Map<String, String> record = queue(queue).record(jobId);
        return record == null ? Map.of() : record;
    }

    @Test
    void job_marked_failed_by_the_route_is_not_retried() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CamelContext context = startContext(consume("redisqueue:rejects?maxAttempts=5&backoffDelay=100", exchange -> {
            runs.incrementAndGet();
            exchange.setProperty(QueueConstants.JOB_FAILED, "bad input");
        }));

        send(context, "rejects", "job-bad", Map.of("n", 6), null);

        waiting().until(() -> !queue("rejects").failedJobs().isEmpty() || completed("rejects") > 0 || runs.get() > 1);
        assertEquals(Set.of("job-bad"), queue("rejects").failedJobs().keySet());
        Map<String, Object> record = Json.readMap(queue("rejects").failedJobs().get("job-bad"));
        assertEquals("bad input", record.get("error"));
        assertEquals(1, ((Number) record.get("attempts")).intValue());
        // well past the first backoff (100 ms + jitter): no second run comes
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> runs.get() == 1);
        assertEquals(0, queue("rejects").waitingAndActive());
        assertEquals(0, queue("rejects").delayedCount());
        assertEquals(0, pending("rejects"));
        assertEquals(0, completed("rejects"));
    }

    @Test
    void redelivers_a_job_whose_consumer_died_after_the_visibility_timeout() throws Exception {
        CamelContext context = startContext();
        RedisJobQueue queue = component(context).queue("orphans");
        queue.ensureGroup();
        queue.enqueue(new Job("job-orphan", "{\"n\":7}", 1, System.currentTimeMillis(), Job.NORMAL), 0, 0);

        // a consumer on its own connection takes the job and dies: it never acknowledges
        RedisClient deadClient = newClient();
        long takenAt = System.currentTimeMillis(); // no later than Redis records the delivery
        try (StatefulRedisConnection<String, String> dead = deadClient.connect()) {
            List<Delivery> taken = queue.await(dead.sync(), "dead-consumer", 1, Duration.ofMillis(100));
            assertEquals(1, taken.size());
            assertEquals("job-orphan", taken.get(0).job().id());
        }
        List<PendingMessage> held = pendingDetails("orphans");
        assertEquals(1, held.size());
        assertEquals("dead-consumer", held.get(0).getConsumer());

        AtomicInteger runs = new AtomicInteger();
        AtomicLong runAt = new AtomicLong();
        List<PendingMessage> duringRun = new CopyOnWriteArrayList<>();
        List<Object> bodies = new CopyOnWriteArrayList<>();
        context.addRoutes(consume("redisqueue:orphans?visibilityTimeout=500", exchange -> {
            runs.incrementAndGet();
            runAt.compareAndSet(0, System.currentTimeMillis());
            bodies.add(exchange.getMessage().getBody(Map.class));
            duringRun.addAll(pendingDetails("orphans"));
        }));

        awaitCompleted("orphans", 1);
        assertEquals(1, runs.get());
        assertEquals(List.of(Map.of("n", 7)), bodies);
        long idle = runAt.get() - takenAt;
        assertTrue(idle >= 500, "reclaimed only after the visibility timeout, but after " + idle + " ms");
        assertEquals(1, duringRun.size(), duringRun.toString());
        assertNotEquals("dead-consumer", duringRun.get(0).getConsumer(), "claimed by the new consumer");
        assertEquals(2, duringRun.get(0).getRedeliveryCount(), "second delivery: " + duringRun.get(0));
        assertEquals(0, pending("orphans"));
        assertEquals(Map.of(), queue("orphans").failedJobs());
    }

    @Test
    void a_slow_live_job_is_not_stolen() throws Exception {
        CountDownLatch release = latch();
        AtomicInteger runs = new AtomicInteger();
        Processor slow = exchange -> {
            runs.incrementAndGet();
            awaitRelease(release);
        };
        CamelContext first = startContext(consume("redisqueue:slow?visibilityTimeout=300", slow));
        startContext(consume("redisqueue:slow?visibilityTimeout=300", slow));

        send(first, "slow", "job-slow", Map.of("n", 8), null);

        waiting().until(() -> runs.get() >= 1);
        // the job is held 1500 ms, five visibility timeouts; both consumers look for idle jobs every 150 ms meanwhile
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> runs.get() == 1);
        release.countDown();

        awaitCompleted("slow", 1);
        assertEquals(1, completed("slow"));
        assertEquals(1, runs.get());
        assertEquals(0, pending("slow"));
        assertEquals(Map.of(), queue("slow").failedJobs());
    }

    @Test
    void jobs_survive_a_restart_of_the_consumer() throws Exception {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Processor record = exchange -> deliveries
                .computeIfAbsent(exchange.getProperty(QueueConstants.JOB_ID, String.class), k -> new AtomicInteger())
                .incrementAndGet();

        // first start: the consumer route is there but not started; 50 jobs wait in Redis while the app stops
        CamelContext first = startContext(new RouteBuilder() {
            @Override
            public void configure() {
                from("redisqueue:durable").autoStartup(false).process(record);
            }
        });
        for (int i = 0; i < 50; i++) {
            send(first, "durable", "job-a" + i, Map.of("n", i), null);
        }
        stop(first);
        assertEquals(Map.of(), deliveries);
        assertEquals(50, queue("durable").waitingAndActive());

        // a new app with the consumer running takes all of them
        CamelContext second = startContext(consume("redisqueue:durable?concurrentConsumers=4", record));
        awaitCompleted("durable", 50);
        stop(second);

        // the consumer group now exists and has read everything: 50 more jobs arrive while no consumer runs
        CamelContext producerOnly = startContext();
        for (int i = 0; i < 50; i++) {
            send(producerOnly, "durable", "job-b" + i, Map.of("n", i), null);
        }
        stop(producerOnly);
        assertEquals(50, queue("durable").waitingAndActive());
        assertEquals(0, pending("durable"));

        startContext(consume("redisqueue:durable?concurrentConsumers=4", record));
        awaitCompleted("durable", 100);

        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            expected.add("job-a" + i);
            expected.add("job-b" + i);
        }
        assertEquals(expected, deliveries.keySet());
        List<String> duplicates = deliveries.entrySet().stream()
                .filter(e -> e.getValue().get() != 1)
                .map(e -> e.getKey() + "x" + e.getValue().get())
                .toList();
        assertEquals(List.of(), duplicates, "jobs processed more than once");
        assertEquals(100, completed("durable"));
        assertEquals(0, pending("durable"));
    }

    @Test
    void delayed_job_is_not_delivered_before_its_time() throws Exception {
        AtomicLong ranAt = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        CamelContext context = startContext(consume("redisqueue:later", exchange -> {
            runs.incrementAndGet();
            ranAt.compareAndSet(0, System.currentTimeMillis());
        }));

        long sentAt = System.currentTimeMillis();
        send(context, "later", "job-later", Map.of("n", 10), 800L);
        assertEquals(1, queue("later").delayedCount());
        assertEquals(0, queue("later").waitingAndActive());

        awaitCompleted("later", 1);
        long after = ranAt.get() - sentAt;
        assertTrue(after >= 800, "delivered " + after + " ms after sending, delay was 800 ms");
        assertTrue(after <= 1300, "delivered " + after + " ms after sending, expected within 1300 ms");
        assertEquals(1, runs.get());
        assertEquals(0, queue("later").delayedCount());
    }

    @Test
    void higher_priority_is_served_first_under_a_backlog_and_equal_priority_is_fifo() throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        CamelContext context = startContext(new RouteBuilder() {
            @Override
            public void configure() {
                from("redisqueue:prio?concurrentConsumers=1&prefetch=0")
                        .routeId("prio-consumer")
                        .autoStartup(false)
                        .process(exchange -> order.add(((Number)
                                        exchange.getMessage().getBody(Map.class).get("n"))
                                .intValue()));
            }
        });

        // the backlog: 30 lowest, then 30 normal, then 30 highest; the body carries the send order
        int sequence = 0;
        for (int priority = Job.LOWEST; priority >= Job.HIGHEST; priority--) {
            for (int i = 0; i < 30; i++, sequence++) {
                send(context, "prio", "job-" + sequence, Map.of("n", sequence), null, priority);
            }
        }
        for (int priority = Job.HIGHEST; priority <= Job.LOWEST; priority++) {
            assertEquals(
                    30,
                    SharedStores.redis().sync().xlen(queue("prio").streamKey(priority)),
                    "jobs of priority " + priority);
        }
        assertEquals(List.of(), order);

        context.getRouteController().startRoute("prio-consumer");

        awaitCompleted("prio", 90);
        List<Integer> expected = new ArrayList<>();
        IntStream.range(60, 90).forEach(expected::add); // priority 1, in send order
        IntStream.range(30, 60).forEach(expected::add); // priority 2
        IntStream.range(0, 30).forEach(expected::add); // priority 3
        assertEquals(expected, order, "processing order (send numbers)");
        assertEquals(90, completed("prio"));
    }

    @Test
    void a_retry_starts_within_50_ms_of_its_due_time() throws Exception {
        int jobs = 20;
        long backoff = 500;
        long latestDelay = backoff + backoff / 5; // Backoff adds up to 20% jitter
        long allowedLateness = 50;
        Map<String, Long> failedAt = new ConcurrentHashMap<>();
        Map<String, Long> retryStartedAt = new ConcurrentHashMap<>();
        Map<String, Long> retryStartedAtMillis = new ConcurrentHashMap<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        String uri =
                "redisqueue:due?concurrentConsumers=4&maxAttempts=3&backoffDelay=" + backoff + "&backoffMaxDelay=60000";
        CamelContext context = startContext(consume(uri, exchange -> {
            long startedAt = System.nanoTime();
            long startedAtMillis = System.currentTimeMillis();
            String id = exchange.getProperty(QueueConstants.JOB_ID, String.class);
            int attempt = exchange.getProperty(QueueConstants.JOB_ATTEMPT, Integer.class);
            if (attempt == 2 && retryStartedAt.putIfAbsent(id, startedAt) == null) {
                retryStartedAtMillis.put(id, startedAtMillis);
                return;
            }
            if (attempt != 1 || failedAt.containsKey(id)) {
                unexpected.add(id + " attempt " + attempt);
                return;
            }
            failedAt.put(id, System.nanoTime()); // the last thing the attempt does before it fails
            throw new IllegalStateException("first attempt of " + id + " fails");
        }));

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < jobs; i++) {
            ids.add("job-" + i);
            send(context, "due", "job-" + i, Map.of("n", i), null);
        }
        // the due time (ms) the queue gave each retry, read from the delayed set while the retries wait there
        Map<String, Long> dueAt = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            SharedStores.redis()
                    .sync()
                    .zrangeWithScores("da:q:{due}:delayed", 0, -1)
                    .forEach(m -> dueAt.putIfAbsent(
                            String.valueOf(Json.readMap(m.getValue()).get("id")), (long) m.getScore()));
            return dueAt.size() == jobs;
        });

        awaitCompleted("due", jobs);
        assertEquals(List.of(), unexpected, "deliveries besides one failing first attempt and one retry per job");
        assertEquals(ids, failedAt.keySet());
        assertEquals(ids, retryStartedAt.keySet());
        // The queue stamps the due time with System.currentTimeMillis(), whole milliseconds: it may round the failure
        // time down by up to 1 ms, so "no earlier than failure + 500 ms" is checked to that resolution.
        long earliest = TimeUnit.MILLISECONDS.toNanos(backoff - 1);
        long latest = TimeUnit.MILLISECONDS.toNanos(latestDelay + allowedLateness);
        List<String> early = new ArrayList<>();
        List<String> late = new ArrayList<>();
        double minGap = Double.MAX_VALUE;
        double maxGap = 0;
        for (String id : ids) {
            long gap = retryStartedAt.get(id) - failedAt.get(id);
            minGap = Math.min(minGap, gap / 1e6);
            maxGap = Math.max(maxGap, gap / 1e6);
            if (gap < earliest) {
                early.add(id + " after " + gap / 1e6 + " ms");
            }
            if (gap > latest) {
                late.add(id + " after " + gap / 1e6 + " ms");
            }
        }
        // and against the due time the queue actually set (same clock, whole ms)
        List<Long> lateness = ids.stream()
                .map(id -> retryStartedAtMillis.get(id) - dueAt.get(id))
                .sorted()
                .toList();
        LOG.info(
                "Retry after failure: {} to {} ms (due 500-600 ms after it), at most {} ms over failure + 600 ms; "
                        + "lateness over the due time set by the queue: {} to {} ms",
                String.format("%.1f", minGap),
                String.format("%.1f", maxGap),
                String.format("%.1f", maxGap - latestDelay),
                lateness.get(0),
                lateness.get(jobs - 1));
        assertEquals(List.of(), early, "retries started before failure + " + backoff + " ms");
        assertEquals(
                List.of(),
                late,
                "retries started later than failure + " + latestDelay + " + " + allowedLateness + " ms");
        assertTrue(lateness.get(0) >= 0, "a retry started before its due time: " + lateness);
        assertTrue(
                lateness.get(jobs - 1) <= allowedLateness, "retries started after their due time by (ms) " + lateness);
    }

    @Test
    void a_job_whose_consumers_keep_dying_goes_to_the_failed_set_after_max_deliveries() throws Exception {
        CamelContext context = startContext();
        RedisJobQueue queue = component(context).queue("cursed");
        queue.ensureGroup();
        queue.enqueue(new Job("job-cursed", "{\"n\":9}", 1, System.currentTimeMillis(), Job.NORMAL), 0, 0);

        // three consumers take the job in turn and die: one reads it, two claim it from the one before
        RedisClient deadClient = newClient();
        Delivery first;
        try (StatefulRedisConnection<String, String> dead = deadClient.connect()) {
            List<Delivery> taken = queue.await(dead.sync(), "dead-1", 1, Duration.ofMillis(100));
            assertEquals(1, taken.size());
            first = taken.get(0);
        }
        for (String consumer : List.of("dead-2", "dead-3")) {
            List<Delivery> claimed = queue.reclaim(consumer, Duration.ZERO, 1);
            assertEquals(1, claimed.size(), consumer + " claims it");
            assertEquals("job-cursed", claimed.get(0).job().id());
        }
        assertEquals(
                3, queue.deliveryCount(first.stream(), first.messageId()), "deliveries before a live consumer starts");
        assertEquals("dead-3", pendingDetails("cursed").get(0).getConsumer());

        AtomicInteger runs = new AtomicInteger();
        context.addRoutes(
                consume("redisqueue:cursed?visibilityTimeout=300&maxDeliveries=2", exchange -> runs.incrementAndGet()));

        waiting().until(() -> !queue("cursed").failedJobs().isEmpty() || runs.get() > 0 || completed("cursed") > 0);
        assertEquals(Set.of("job-cursed"), queue("cursed").failedJobs().keySet());
        Map<String, Object> record = Json.readMap(queue("cursed").failedJobs().get("job-cursed"));
        String error = String.valueOf(record.get("error"));
        Matcher deliveries = Pattern.compile("delivered (\\d+) times").matcher(error);
        assertTrue(deliveries.find(), "error mentions the deliveries: " + error);
        assertTrue(Integer.parseInt(deliveries.group(1)) > 2, "more deliveries than maxDeliveries=2: " + error);
        assertEquals(Map.of("n", 9), Json.readMap((String) record.get("body")));
        // through several more reclaim rounds of the live consumer (every 150 ms), the route never gets the job
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> runs.get() == 0);
        assertEquals(0, pending("cursed"));
        assertEquals(0, queue("cursed").waitingAndActive());
        assertEquals(0, completed("cursed"));
    }

    @Test
    void no_job_is_lost_when_redis_restarts_with_aof_mid_stream(@TempDir Path dir) throws Exception {
        int jobs = 2000;
        // EmbeddedRedis takes a new port on every start (the client could not follow) and syncs the AOF every
        // second: this server keeps its port, and fsyncs every write before acknowledging it.
        RestartableRedis redis = new RestartableRedis(dir.resolve("redis"), freePort());
        ownServers.add(redis);
        redis.start();
        RedisClient client = restartTolerantClient(redis.url());
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        // the consumers stall after 300 jobs until Redis is back: the crash finds jobs done, waiting, in the route
        // (delivered, not acknowledged) and read ahead
        AtomicInteger started = new AtomicInteger();
        CountDownLatch redisBack = latch();
        CamelContext context = startContext(
                client, consume("redisqueue:restart?concurrentConsumers=5&visibilityTimeout=1000", exchange -> {
                    if (started.incrementAndGet() > 300) {
                        awaitRelease(redisBack);
                    }
                    processed
                            .computeIfAbsent(
                                    exchange.getProperty(QueueConstants.JOB_ID, String.class), k -> new AtomicInteger())
                            .incrementAndGet();
                }));
        ProducerTemplate template = templates.computeIfAbsent(context, CamelContext::createProducerTemplate);

        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failedSends = new AtomicInteger();
        AtomicInteger reportedDuplicate = new AtomicInteger();
        List<String> sendFailures = new CopyOnWriteArrayList<>();
        List<String> producerErrors = new CopyOnWriteArrayList<>();
        Thread producer = new Thread(
                () -> {
                    for (int i = 0; i < jobs; i++) {
                        String id = "job-" + i;
                        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (true) {
                            Exchange result = template.request("redisqueue:restart", exchange -> {
                                exchange.getMessage().setBody(Map.of("n", id));
                                exchange.getMessage().setHeader(QueueConstants.HEADER_JOB_ID, id);
                            });
                            if (result.getException() == null) {
                                // not accepted: an earlier try of this id reached Redis though its answer was lost
                                if (!result.getMessage().getHeader("JobAccepted", Boolean.class)) {
                                    reportedDuplicate.incrementAndGet();
                                }
                                sent.incrementAndGet();
                                break;
                            }
                            if (failedSends.incrementAndGet() <= 3) {
                                sendFailures.add(String.valueOf(result.getException()));
                            }
                            if (System.nanoTime() > giveUpAt || context.isStopping() || context.isStopped()) {
                                producerErrors.add(id + ": " + result.getException());
                                return;
                            }
                        }
                    }
                },
                "restart-test-producer");
        producer.setDaemon(true);
        producer.start();

        waiting().until(() -> sent.get() >= jobs / 2 && started.get() > 300);
        int sentBeforeCrash = sent.get();
        redis.crash();
        // down until the producer has learned of it by a failed send (the client gives up on a command after 2 s)
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> failedSends.get() > 0);
        int sentWhileDown = sent.get();
        redis.start();
        // every job sent before the crash and not processed came back from the append-only file (the consumers are
        // held at the gate, so nothing more is processed meanwhile)
        RedisJobQueue queue = component(context).queue("restart");
        Set<String> unprocessed = new HashSet<>();
        for (int i = 0; i < sentBeforeCrash; i++) {
            if (!processed.containsKey("job-" + i)) {
                unprocessed.add("job-" + i);
            }
        }
        Set<String> inStreams = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    try (StatefulRedisConnection<String, String> inspect = client.connect()) {
                        for (int priority = Job.HIGHEST; priority <= Job.LOWEST; priority++) {
                            inspect.sync()
                                    .xrange(queue.streamKey(priority), Range.create("-", "+"))
                                    .forEach(message ->
                                            inStreams.add(message.getBody().get("id")));
                        }
                    }
                    Set<String> gone = new HashSet<>(unprocessed);
                    gone.removeAll(inStreams);
                    assertEquals(
                            Set.of(),
                            gone,
                            "jobs sent and not processed before the crash, not in the streams after the restart");
                });
        redisBack.countDown();

        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !producer.isAlive());
        assertEquals(List.of(), producerErrors, "jobs the producer could not hand over");
        assertEquals(jobs, sent.get());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < jobs; i++) {
            expected.add("job-" + i);
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertEquals(
                        0,
                        expected.stream()
                                .filter(id -> !processed.containsKey(id))
                                .count(),
                        "jobs not processed yet"));
        // and nothing is stuck: no job left waiting or unacknowledged
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertEquals(0, queue.waitingAndActive(), "jobs left in the streams"));

        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(processed.keySet());
        assertEquals(Set.of(), missing, "jobs lost");
        assertEquals(expected, processed.keySet());
        List<String> twice = processed.entrySet().stream()
                .filter(e -> e.getValue().get() > 1)
                .map(e -> e.getKey() + "x" + e.getValue().get())
                .sorted()
                .toList();
        LOG.info(
                "Redis restart: crashed after {} sent, {} processed; {} sent when the producer saw its first failure; {} in "
                        + "the streams after the restart (with those sent since); {} failed sends retried; {} retries found "
                        + "the job already there; {} job(s) processed more than once: {}; first send failures: {}",
                sentBeforeCrash,
                sentBeforeCrash - unprocessed.size(),
                sentWhileDown,
                inStreams.size(),
                failedSends.get(),
                reportedDuplicate.get(),
                twice.size(),
                twice,
                sendFailures);
        assertTrue(failedSends.get() > 0, "the restart was seen by the producer");
    }

    @Test
    void ten_thousand_jobs_with_ten_consumers_are_each_processed_exactly_once() throws Exception {
        int jobs = 10_000;
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CamelContext context =
                startContext(consume("redisqueue:many?concurrentConsumers=10", exchange -> runs.computeIfAbsent(
                                exchange.getProperty(QueueConstants.JOB_ID, String.class), k -> new AtomicInteger())
                        .incrementAndGet()));

        Set<String> expected = new HashSet<>();
        for (int i = 0; i < jobs; i++) {
            expected.add("job-" + i);
            send(context, "many", "job-" + i, Map.of("n", i), null);
        }

        awaitCompleted("many", jobs);
        assertEquals(jobs, completed("many"), "completed counter");
        assertEquals(expected, runs.keySet());
        List<String> notOnce = runs.entrySet().stream()
                .filter(e -> e.getValue().get() != 1)
                .map(e -> e.getKey() + "x" + e.getValue().get())
                .toList();
        assertEquals(List.of(), notOnce, "jobs not processed exactly once");
        Map<String, Object> stats = queue("many").stats();
        assertEquals((long) jobs, ((Number) stats.get("completed")).longValue());
        assertEquals(0L, ((Number) stats.get("waiting")).longValue());
        assertEquals(0L, ((Number) stats.get("active")).longValue());
        assertEquals(0, queue("many").waitingAndActive(), "entries left in the streams");
        assertEquals(0, pending("many"));
        // nothing arrives late: no redelivery after all were acknowledged
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> completed("many") == jobs);
    }

    @Test
    void shutdown_with_jobs_in_flight_loses_none() throws Exception {
        int jobs = 50;
        CountDownLatch endOfTest = latch(); // a job works 300 ms (released early only by the teardown)
        Set<String> startedInFirst = ConcurrentHashMap.newKeySet();
        Set<String> completedInFirst = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> runsInSecond = new ConcurrentHashMap<>();
        Set<String> completedInSecond = ConcurrentHashMap.newKeySet();
        CamelContext first =
                startContext(consume("redisqueue:inflight?concurrentConsumers=5&shutdownTimeout=2000", exchange -> {
                    String id = exchange.getProperty(QueueConstants.JOB_ID, String.class);
                    startedInFirst.add(id);
                    endOfTest.await(300, TimeUnit.MILLISECONDS);
                    completedInFirst.add(id);
                }));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < jobs; i++) {
            expected.add("job-" + i);
            send(first, "inflight", "job-" + i, Map.of("n", i), null);
        }

        waiting().until(() -> completedInFirst.size() >= 10);
        Set<String> completedBeforeStop = Set.copyOf(completedInFirst);
        long stopping = System.nanoTime();
        stop(first);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        Set<String> finishedDuringStop = new HashSet<>(completedInFirst);
        finishedDuringStop.removeAll(completedBeforeStop);
        assertEquals(
                Set.copyOf(startedInFirst),
                Set.copyOf(completedInFirst),
                "jobs cut off by the stop (300 ms jobs, 2000 ms allowed)");

        // a new app on the same queue
        startContext(consume("redisqueue:inflight?concurrentConsumers=5&visibilityTimeout=500", exchange -> {
            String id = exchange.getProperty(QueueConstants.JOB_ID, String.class);
            runsInSecond.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            endOfTest.await(300, TimeUnit.MILLISECONDS);
            completedInSecond.add(id);
        }));

        waiting().untilAsserted(() -> {
            Set<String> done = new HashSet<>(completedInFirst);
            done.addAll(completedInSecond);
            assertEquals(expected, done, "jobs completed in one of the two apps");
        });
        awaitCompleted("inflight", jobs);

        Set<String> rerunAfterAck = new HashSet<>(completedBeforeStop);
        rerunAfterAck.retainAll(runsInSecond.keySet());
        Set<String> rerunAfterStop = new HashSet<>(finishedDuringStop);
        rerunAfterStop.retainAll(runsInSecond.keySet());
        Map<String, Integer> runs = new HashMap<>();
        completedInFirst.forEach(id -> runs.merge(id, 1, Integer::sum));
        runsInSecond.forEach((id, count) -> runs.merge(id, count.get(), Integer::sum));
        List<String> duplicates = runs.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + "x" + e.getValue())
                .sorted()
                .toList();
        LOG.info(
                "Shutdown in flight: {} completed before stop, {} finished during the {} ms stop, {} run by the second app; "
                        + "{} duplicate(s): {}",
                completedBeforeStop.size(),
                finishedDuringStop.size(),
                stopMillis,
                runsInSecond.size(),
                duplicates.size(),
                duplicates);
        assertEquals(Set.of(), rerunAfterAck, "jobs completed before the stop, run again by the second app");
        assertEquals(Set.of(), rerunAfterStop, "jobs finished during the graceful stop, run again by the second app");
        assertEquals(0, pending("inflight"));
    }

    @Test
    void a_consumer_takes_new_jobs_after_redis_lost_its_data() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = latch();
        Set<String> processed = ConcurrentHashMap.newKeySet();
        CamelContext context = startContext(consume("redisqueue:amnesia?concurrentConsumers=1", exchange -> {
            String id = exchange.getProperty(QueueConstants.JOB_ID, String.class);
            if ("job-before".equals(id)) {
                entered.countDown();
                awaitRelease(release);
            }
            processed.add(id);
        }));
        send(context, "amnesia", "job-before", Map.of("n", 1), null);
        waiting().until(() -> entered.getCount() == 0);

        // while the job runs (the reader waits for a free worker), Redis comes back empty: no persistence, or a
        // failover to an empty replica; streams and consumer group are gone
        SharedStores.flushRedis();
        release.countDown();
        waiting().until(() -> processed.contains("job-before"));
        send(context, "amnesia", "job-after", Map.of("n", 2), null);

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> processed.contains("job-after"));
        awaitCompleted("amnesia", 1);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static ConditionFactory waiting() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20));
    }

    /** Waits until at least {@code count} jobs of the queue were acknowledged and none is left in its streams. */
    private static void awaitCompleted(String name, long count) {
        waiting().untilAsserted(() -> {
            long done = completed(name);
            assertTrue(done >= count, done + " of " + count + " jobs completed in " + name);
            assertEquals(0, queue(name).waitingAndActive(), "jobs left in the streams of " + name);
        });
    }

    private RedisClient newClient() {
        RedisClient client = RedisClient.create(SharedStores.redisUrl());
        clients.add(client);
        return client;
    }

    private CamelContext startContext(RoutesBuilder... routes) throws Exception {
        return startContext(newClient(), routes);
    }

    private CamelContext startContext(RedisClient client, RoutesBuilder... routes) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(10);
        context.addComponent("redisqueue", new RedisQueueComponent(client));
        for (RoutesBuilder route : routes) {
            context.addRoutes(route);
        }
        contexts.add(context);
        context.start();
        return context;
    }

    private void stop(CamelContext context) {
        ProducerTemplate template = templates.remove(context);
        if (template != null) {
            template.stop();
        }
        context.stop();
        contexts.remove(context);
    }

    private static RouteBuilder consume(String uri, Processor processor) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(processor);
            }
        };
    }

    private static RedisQueueComponent component(CamelContext context) {
        return context.getComponent("redisqueue", RedisQueueComponent.class);
    }

    private void send(CamelContext context, String queue, String jobId, Map<String, Object> body, Long delayMillis) {
        send(context, queue, jobId, body, delayMillis, null);
    }

    private void send(
            CamelContext context,
            String queue,
            String jobId,
            Map<String, Object> body,
            Long delayMillis,
            Integer priority) {
        ProducerTemplate template = templates.computeIfAbsent(context, CamelContext::createProducerTemplate);
        Map<String, Object> headers = new HashMap<>();
        headers.put(QueueConstants.HEADER_JOB_ID, jobId);
        if (delayMillis != null) {
            headers.put(QueueConstants.HEADER_JOB_DELAY, delayMillis);
        }
        if (priority != null) {
            headers.put(QueueConstants.HEADER_JOB_PRIORITY, priority);
        }
        template.sendBodyAndHeaders("redisqueue:" + queue, body, headers);
    }

    private CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        latches.add(latch);
        return latch;
    }

    private static void awaitRelease(CountDownLatch release) throws InterruptedException {
        if (!release.await(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the job");
        }
    }

    /** Inspects a queue through the test's own Redis connection, independent of any context's lifecycle. */
    private static RedisJobQueue queue(String name) {
        return new RedisJobQueue(name, SharedStores::redis);
    }

    /** The stream jobs sent without a priority go to. */
    private static String stream(String name) {
        return queue(name).streamKey(Job.NORMAL);
    }

    /** Delivered, not yet acknowledged (XPENDING) on every priority's stream. */
    private static long pending(String name) {
        long pending = 0;
        for (int priority = Job.HIGHEST; priority <= Job.LOWEST; priority++) {
            try {
                pending += SharedStores.redis()
                        .sync()
                        .xpending(queue(name).streamKey(priority), RedisJobQueue.GROUP)
                        .getCount();
            } catch (RedisCommandExecutionException noGroupYet) {
                // NOGROUP: no consumer ever started, nothing was delivered
            }
        }
        return pending;
    }

    private static List<PendingMessage> pendingDetails(String name) {
        return SharedStores.redis()
                .sync()
                .xpending(stream(name), RedisJobQueue.GROUP, Range.unbounded(), Limit.from(10));
    }

    private static long completed(String name) {
        return ((Number) queue(name).stats().get("completed")).longValue();
    }

    /**
     * A client for a Redis that goes away: configured as the app configures its own (auto-reconnect, commands kept
     * while disconnected), but it gives up on a command after 2 s instead of 10 s, and tries to reconnect every 100 ms.
     */
    private RedisClient restartTolerantClient(String url) {
        ClientResources clientResources = DefaultClientResources.builder()
                .reconnectDelay(Delay.constant(Duration.ofMillis(100)))
                .build();
        resources.add(clientResources);
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(clientResources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        clients.add(client);
        return client;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * A redis-server on a fixed port with its append-only file in {@code dir}, fsynced on every write
     * ({@code appendfsync always}: an acknowledged write is on disk); it can crash and start again on the same
     * port and file.
     */
    private static final class RestartableRedis {
        private final Path dir;
        private final int port;
        private RedisServer server;

        RestartableRedis(Path dir, int port) {
            this.dir = dir;
            this.port = port;
        }

        String url() {
            return "redis://127.0.0.1:" + port;
        }

        void start() throws IOException {
            Files.createDirectories(dir);
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + dir)
                    .setting("appendonly yes")
                    .setting("appendfsync always")
                    .setting("save \"\"")
                    .onShutdownForceStop(true) // stop() is a SIGKILL: a crash, not a clean shutdown
                    .build();
            server.start();
        }

        /** Kills the server and waits until its port is closed. */
        void crash() throws IOException {
            server.stop();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !accepting());
        }

        void stop() {
            try {
                if (server != null && server.isActive()) {
                    crash();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not stop the test's redis-server on port {}: {}", port, e.getMessage());
            }
        }

        private boolean accepting() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
