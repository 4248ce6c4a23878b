package com.domainautomation.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.queue.RedisJobQueue.Delivery;
import com.domainautomation.support.Json;
import com.domainautomation.testing.SharedStores;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.stream.PendingMessage;
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
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code redisqueue:} component against a real redis-server (SharedStores): delivery, acknowledgement,
 * retries with backoff, the failed set, reclaiming jobs of dead consumers, lease renewal, restarts and delays.
 * Jobs are sent without a priority, so they go to the normal-priority stream.
 */
class RedisQueueIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<CamelContext> contexts = new ArrayList<>();
    private final Map<CamelContext, ProducerTemplate> templates = new HashMap<>();
    private final List<RedisClient> clients = new ArrayList<>();
    private final List<CountDownLatch> latches = new ArrayList<>();

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
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertEquals(10, running.get(), "jobs in the route at once"));
        gate.countDown();

        awaitCompleted("bulk", jobs);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < jobs; i++) {
            expected.add("job-" + i);
        }
        assertEquals(expected, deliveries.keySet());
        List<String> duplicates = deliveries.entrySet().stream().filter(e -> e.getValue().get() != 1)
                .map(e -> e.getKey() + "x" + e.getValue().get()).toList();
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
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
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
        assertTrue(secondGap >= 2 * backoff, "second retry after " + secondGap + " ms, should be doubled: " + 2 * backoff);
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
        CamelContext context = startContext(consume("redisqueue:busy?concurrentConsumers=1&backoffDelay=3000", exchange -> {
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
        assertTrue(afterFailure < 1500, "all 20 jobs done " + afterFailure + " ms after the first failure (retry waits 3000 ms)");
        assertEquals(1, poisonAttempts.get(), "the retry is not due yet");
        assertEquals(1, queue("busy").delayedCount(), "the poison job waits in the delayed set");
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
        waiting().until(() -> !queue("doomed").failedJobs().isEmpty() || completed("doomed") > 0 || attempts.size() > 2);
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
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
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
        List<String> duplicates = deliveries.entrySet().stream().filter(e -> e.getValue().get() != 1)
                .map(e -> e.getKey() + "x" + e.getValue().get()).toList();
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
        DefaultCamelContext context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(10);
        context.addComponent("redisqueue", new RedisQueueComponent(newClient()));
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
        ProducerTemplate template = templates.computeIfAbsent(context, CamelContext::createProducerTemplate);
        Map<String, Object> headers = new HashMap<>();
        headers.put(QueueConstants.HEADER_JOB_ID, jobId);
        if (delayMillis != null) {
            headers.put(QueueConstants.HEADER_JOB_DELAY, delayMillis);
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
                pending += SharedStores.redis().sync().xpending(queue(name).streamKey(priority), RedisJobQueue.GROUP).getCount();
            } catch (RedisCommandExecutionException noGroupYet) {
                // NOGROUP: no consumer ever started, nothing was delivered
            }
        }
        return pending;
    }

    private static List<PendingMessage> pendingDetails(String name) {
        return SharedStores.redis().sync().xpending(stream(name), RedisJobQueue.GROUP, Range.unbounded(), Limit.from(10));
    }

    private static long completed(String name) {
        return ((Number) queue(name).stats().get("completed")).longValue();
    }
}
