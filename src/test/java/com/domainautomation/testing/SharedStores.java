package com.domainautomation.testing;

import com.domainautomation.config.EmbeddedRedis;
import com.domainautomation.store.EmbeddedMongo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real redis-server and one mongo-java-server for the whole test JVM (started on first use, stopped at exit).
 * Each test gets its own MongoDB database and an emptied Redis.
 */
public final class SharedStores {
    private static EmbeddedRedis redis;
    private static EmbeddedMongo mongo;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redisConnection;
    private static Path root;

    private SharedStores() {}

    public static synchronized void start() {
        if (redis != null) {
            return;
        }
        try {
            root = Files.createTempDirectory("da-stores");
            redis = EmbeddedRedis.start(root.resolve("redis"));
            mongo = EmbeddedMongo.start(root.resolve("mongo.mv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        redisClient = RedisClient.create(redis.url());
        redisConnection = redisClient.connect();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                redisConnection.close();
                redisClient.shutdown();
                redis.close();
                mongo.close();
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }));
    }

    public static String redisUrl() {
        start();
        return redis.url();
    }

    public static String mongoUri() {
        start();
        return mongo.uri();
    }

    /** Queries of one database that read a whole collection: {@code collection -> query shape -> count}. */
    public static Map<String, Map<String, Long>> scans(String database) {
        start();
        return mongo.scans().of(database);
    }

    public static void flushRedis() {
        start();
        redisConnection.sync().flushall();
    }

    public static StatefulRedisConnection<String, String> redis() {
        start();
        return redisConnection;
    }
}
