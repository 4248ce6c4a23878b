package com.domainautomation.config;

import com.mongodb.client.MongoDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.bson.Document;

/**
 * Health of the two stores: /observe/health and /observe/health/ready are UP only when Redis and MongoDB both answer.
 * They are readiness checks only: a store that does not answer makes the app unready, not dead (restarting it would
 * not bring the store back).
 */
final class HealthChecks {
    private HealthChecks() {}

    static AbstractHealthCheck redis(Supplier<StatefulRedisConnection<String, String>> connection) {
        return new AbstractHealthCheck("stores", "redis") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                try {
                    builder.detail("ping", connection.get().sync().ping()).up();
                } catch (RuntimeException e) {
                    builder.message("Redis does not answer: " + e.getMessage())
                            .error(e)
                            .down();
                }
            }
        };
    }

    static AbstractHealthCheck mongo(MongoDatabase database) {
        return new AbstractHealthCheck("stores", "mongodb") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                try {
                    database.runCommand(new Document("ping", 1));
                    builder.up();
                } catch (RuntimeException e) {
                    builder.message("MongoDB does not answer: " + e.getMessage())
                            .error(e)
                            .down();
                }
            }
        };
    }

    /**
     * Liveness: whether the process can serve (Camel's context check). A stopped route or consumer is a readiness
     * matter: an operator may stop one on purpose, and a restart would not help one that failed.
     */
    static Collection<HealthCheck.Result> liveness(Collection<HealthCheck.Result> results) {
        return results.stream()
                .filter(r -> !r.getCheck().getId().startsWith("route:")
                        && !r.getCheck().getId().startsWith("consumer:"))
                .toList();
    }

    static Supplier<StatefulRedisConnection<String, String>> lazy(RedisClient client) {
        return new Supplier<>() {
            private StatefulRedisConnection<String, String> connection;

            @Override
            public synchronized StatefulRedisConnection<String, String> get() {
                if (connection == null) {
                    connection = client.connect();
                }
                return connection;
            }
        };
    }
}
