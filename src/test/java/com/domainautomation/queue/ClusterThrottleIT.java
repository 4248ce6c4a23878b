package com.domainautomation.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.SharedStores;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two app instances on one Redis share one rate limit, and it holds in every sliding window. */
class ClusterThrottleIT {
    private static final int LIMIT = 10;
    private static final long WINDOW_MS = 500;
    private final List<CamelContext> instances = new ArrayList<>();
    private final List<RedisClient> clients = new ArrayList<>();

    @BeforeEach
    void emptyRedis() {
        SharedStores.flushRedis();
    }

    @AfterEach
    void stop() throws Exception {
        for (CamelContext context : instances) {
            context.close();
        }
        clients.forEach(RedisClient::shutdown);
    }

    @Test
    void two_instances_never_start_more_than_the_limit_in_any_window() throws Exception {
        // grant times on Redis's clock: what the limit promises (the route starts right after)
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 2; i++) {
            instances.add(instance("instance-" + i, starts));
        }
        var producer = instances.get(0).createProducerTemplate();
        int jobs = 60;
        long begin = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            producer.sendBody("redisqueue:throttled", Map.of("n", i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> starts.size() == jobs);
        long tookMs = (System.nanoTime() - begin) / 1_000_000;

        List<Long> sorted = new ArrayList<>(starts);
        Collections.sort(sorted);
        int worst = 0;
        for (int i = 0; i < sorted.size(); i++) {
            int inWindow = 0;
            for (int j = i; j < sorted.size() && sorted.get(j) - sorted.get(i) < WINDOW_MS; j++) {
                inWindow++;
            }
            worst = Math.max(worst, inWindow);
        }
        assertTrue(
                worst <= LIMIT,
                "at most " + LIMIT + " starts in any " + WINDOW_MS + " ms window across both instances, saw " + worst);
        assertEquals(LIMIT, worst, "the limit is used, not starved");
        assertTrue(
                tookMs >= (jobs / LIMIT - 1) * WINDOW_MS,
                "60 jobs at 10 per 500 ms take at least 2.5 s, took " + tookMs + " ms");
    }

    private CamelContext instance(String name, List<Long> starts) throws Exception {
        RedisClient client = RedisClient.create(SharedStores.redisUrl());
        clients.add(client);
        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        context.disableJMX();
        context.addComponent("redisqueue", new RedisQueueComponent(client));
        context.getRegistry().bind("clusterThrottle", new ClusterThrottle(client));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redisqueue:throttled?concurrentConsumers=5&prefetch=0")
                        .throttle(LIMIT)
                        .timePeriodMillis(WINDOW_MS)
                        .bean("clusterThrottle", "acquire(*, 'throttled', " + LIMIT + ", " + WINDOW_MS + ")")
                        .process(exchange -> starts.add(exchange.getProperty(ClusterThrottle.GRANTED_AT, Long.class)));
            }
        });
        context.start();
        return context;
    }
}
