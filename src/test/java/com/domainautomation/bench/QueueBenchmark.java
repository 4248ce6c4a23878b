package com.domainautomation.bench;

import com.domainautomation.config.EmbeddedRedis;
import com.domainautomation.queue.RedisQueueComponent;
import io.lettuce.core.RedisClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Queue benchmark (not a test): enqueue rate, processed jobs/s at concurrency 1, 10 and 50 with a no-op route, and
 * enqueue-to-completion latency under light load. Prints {@code name value unit} lines. Run by bench/queue.sh.
 * A first pass warms the JVM up (its figures carry the suffix _cold); the second pass gives the figures.
 */
public final class QueueBenchmark {
    private static final String BODY =
            "{\"domainId\":\"ord_5e7f6e2e080a557f0ffb25dd-1\",\"type\":\"domain-registered\","
                    + "\"clientId\":\"cli_60af4b102b56cf666117ae0f\",\"data\":{\"domain\":\"example.com\",\"years\":1}}";

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(System.getProperty("bench.jobs", "20000"));
        String url = System.getenv("REDIS_URL");
        EmbeddedRedis embedded = null;
        if (url == null || url.isBlank()) {
            embedded = EmbeddedRedis.start(Files.createTempDirectory("bench-redis"), false);
            url = embedded.url();
            System.err.println("# Redis: embedded redis-server 6.2, no persistence, at " + url);
        } else {
            System.err.println("# Redis: " + url.replaceAll("//[^@/]*@", "//***@"));
        }
        System.err.println("# jobs per run: " + n + "; CPUs: "
                + Runtime.getRuntime().availableProcessors() + "; Java " + System.getProperty("java.version"));
        RedisClient client = RedisClient.create(url);
        try (var flush = client.connect()) {
            flush.sync().flushall();
        }
        CamelContext context = new DefaultCamelContext();
        context.disableJMX();
        context.addComponent("redisqueue", new RedisQueueComponent(client));
        context.start();
        try {
            run(context, n, "_cold");
            run(context, n, "");
            retention(context, client, Integer.parseInt(System.getProperty("bench.retention.jobs", "100000")));
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        } finally {
            context.close();
            client.shutdown();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static void run(CamelContext context, int n, String suffix) throws Exception {
        ProducerTemplate producer = context.createProducerTemplate();
        String tag = suffix.replace("_", "-");
        print("enqueue_single" + suffix, enqueueSingle(producer, "bench-enqueue" + tag, n, 50), "jobs/s");
        print("enqueue_batched" + suffix, enqueueBatched(producer, "bench-batch" + tag, n, 1000), "jobs/s");
        for (int concurrency : new int[] {1, 10, 50}) {
            String queue = "bench-c" + concurrency + tag;
            enqueueBatchedQuiet(producer, queue, n);
            print("processed_c" + concurrency + suffix, process(context, queue, n, concurrency), "jobs/s");
        }
        double[] latency = lightLoad(context, producer, "bench-light" + tag, 200, 10);
        print("latency_p50_light" + suffix, latency[0], "ms");
        print("latency_p99_light" + suffix, latency[1], "ms");
    }

    private static double enqueueSingle(ProducerTemplate producer, String queue, int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "bench-sender");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger left = new AtomicInteger(n);
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    producer.sendBody("redisqueue:" + queue, BODY);
                }
            }));
        }
        for (var future : futures) {
            future.get();
        }
        double rate = n / seconds(start);
        pool.shutdown();
        return rate;
    }

    private static double enqueueBatched(ProducerTemplate producer, String queue, int n, int batch) {
        long start = System.nanoTime();
        enqueueBatchedQuiet(producer, queue, n, batch);
        return n / seconds(start);
    }

    private static void enqueueBatchedQuiet(ProducerTemplate producer, String queue, int n) {
        enqueueBatchedQuiet(producer, queue, n, 1000);
    }

    private static void enqueueBatchedQuiet(ProducerTemplate producer, String queue, int n, int batch) {
        for (int sent = 0; sent < n; sent += batch) {
            producer.sendBody(
                    "redisqueue:" + queue + "?batch=true",
                    java.util.Collections.nCopies(Math.min(batch, n - sent), BODY));
        }
    }

    /** Jobs are waiting already; the time from starting the consumer to the last job done. */
    private static double process(CamelContext context, String queue, int n, int concurrency) throws Exception {
        CountDownLatch done = new CountDownLatch(n);
        String routeId = "route-" + queue;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redisqueue:" + queue + "?concurrentConsumers=" + concurrency)
                        .routeId(routeId)
                        .autoStartup(false)
                        .process(exchange -> done.countDown());
            }
        });
        long start = System.nanoTime();
        context.getRouteController().startRoute(routeId);
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException(queue + ": " + done.getCount() + " jobs not processed in 300 s");
        }
        double rate = n / seconds(start);
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
        return rate;
    }

    /** {@code rate} jobs a second for {@code secs} seconds, concurrency 10: p50 and p99 of enqueue → route done. */
    private static double[] lightLoad(CamelContext context, ProducerTemplate producer, String queue, int rate, int secs)
            throws Exception {
        int total = rate * secs;
        double[] latencies = new double[total];
        AtomicInteger index = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redisqueue:" + queue + "?concurrentConsumers=10")
                        .routeId("route-" + queue)
                        .process(exchange -> {
                            long sent = ((Number) exchange.getMessage()
                                            .getBody(Map.class)
                                            .get("sentAt"))
                                    .longValue();
                            latencies[index.getAndIncrement()] = (System.nanoTime() - sent) / 1_000_000.0;
                            done.countDown();
                        });
            }
        });
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            producer.sendBody("redisqueue:" + queue, "{\"sentAt\":" + System.nanoTime() + ",\"n\":" + i + "}");
            next += interval;
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("light load: " + done.getCount() + " jobs not processed");
        }
        context.getRouteController().stopRoute("route-" + queue);
        context.removeRoute("route-" + queue);
        Arrays.sort(latencies);
        return new double[] {latencies[(int) (total * 0.50)], latencies[(int) Math.min(total - 1, total * 0.99)]};
    }

    /** Redis memory before and after a steady load of {@code n} jobs: retention keeps it flat. */
    private static void retention(CamelContext context, RedisClient client, int n) throws Exception {
        ProducerTemplate producer = context.createProducerTemplate();
        long before;
        try (var connection = client.connect()) {
            before = usedMemory(connection.sync().info("memory"));
            for (int round = 0; round < n / 20_000; round++) {
                enqueueBatchedQuiet(producer, "bench-retention", 20_000);
                process(context, "bench-retention", 20_000, 50);
            }
            long after = usedMemory(connection.sync().info("memory"));
            print("redis_used_memory_before", before, "bytes");
            print("redis_used_memory_after_" + n + "_jobs", after, "bytes");
        }
    }

    private static long usedMemory(String info) {
        return info.lines()
                .filter(l -> l.startsWith("used_memory:"))
                .map(l -> Long.parseLong(l.substring(12).trim()))
                .findFirst()
                .orElse(-1L);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void print(String name, double value, String unit) {
        System.out.printf(
                "%s %s %s%n", name, value >= 100 ? String.format("%.0f", value) : String.format("%.2f", value), unit);
    }
}
