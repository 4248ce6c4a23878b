package com.domainautomation.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private static final Principal CLIENT = new Principal(Principal.CLIENT, "cli_1");
    private static final Principal ADMIN = new Principal(Principal.ADMIN, null);

    @Test
    void a_clients_get_is_a_read_and_everything_else_a_write() {
        assertEquals(RateLimits.Group.READS, RateLimits.Group.of(CLIENT, "GET"));
        assertEquals(RateLimits.Group.READS, RateLimits.Group.of(CLIENT, "head"));
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
            assertEquals(RateLimits.Group.WRITES, RateLimits.Group.of(CLIENT, method), method);
        }
    }

    @Test
    void requests_go_through_when_redis_cannot_be_asked() {
        RedisClient unreachable = RedisClient.create("redis://127.0.0.1:1");
        try {
            RateLimits limits = new RateLimits(
                    unreachable,
                    Map.of(RateLimits.Group.READS, 1, RateLimits.Group.WRITES, 1, RateLimits.Group.ADMIN, 1));
            for (int i = 0; i < 3; i++) {
                limits.check(CLIENT, "POST"); // over a budget of 1, but nobody can count: let through
            }
        } finally {
            unreachable.shutdown();
        }
    }

    @Test
    void every_admin_request_counts_against_the_admin_budget() {
        assertEquals(RateLimits.Group.ADMIN, RateLimits.Group.of(ADMIN, "GET"));
        assertEquals(RateLimits.Group.ADMIN, RateLimits.Group.of(ADMIN, "POST"));
    }
}
