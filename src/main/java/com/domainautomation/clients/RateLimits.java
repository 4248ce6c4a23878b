package com.domainautomation.clients;

import com.domainautomation.support.ApiException;
import com.domainautomation.support.RedisScript;
import io.lettuce.core.RedisClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-caller request limits, shared by every instance through Redis: each client has a budget per minute for reads
 * (GET) and one for writes (everything else); the admin has one for its endpoints. A caller may spend a whole
 * minute's budget at once, which then refills evenly (a GCRA in one Lua script, on Redis' clock). Over the budget,
 * a request is a 429 that says in {@code Retry-After} when the next one is allowed. If Redis cannot be asked, the
 * request goes through (a limit must not take the API down with it) and a warning is logged.
 */
public class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    /** The budgets a request is counted against. */
    public enum Group {
        READS,
        WRITES,
        ADMIN;

        /** The group of a request by {@code principal} with HTTP {@code method}. */
        public static Group of(Principal principal, String method) {
            if (principal.isAdmin() || principal.isViewer()) {
                return ADMIN;
            }
            return method == null || method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD") ? READS : WRITES;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * KEYS: the caller's key; ARGV: ms per request, the burst in ms (a minute). Returns 0 when allowed, else the ms
     * until the next request is.
     */
    static final String TAKE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
            local interval = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tat < now then tat = now end
            local next = tat + interval
            if next - now > burst then
              return math.ceil(next - now - burst)
            end
            redis.call('SET', KEYS[1], string.format('%.3f', next), 'PX', math.ceil(next - now) + 1)
            return 0
            """;

    private final RedisScript script;
    private final Map<Group, Integer> perMinute;
    private final AtomicLong lastWarning = new AtomicLong();

    public RateLimits(RedisClient client, Map<Group, Integer> perMinute) {
        this.script = new RedisScript(client, TAKE);
        this.perMinute = Map.copyOf(perMinute);
    }

    /** Counts one request of {@code principal}; throws a 429 ApiException when its budget is spent. */
    public void check(Principal principal, String method) {
        Group group = Group.of(principal, method);
        int limit = perMinute.get(group);
        String caller = principal.clientId() == null ? principal.role() : principal.clientId();
        long waitMs;
        try {
            waitMs = take("da:rate:{" + caller + "}:" + group.key(), 60_000.0 / limit, 60_000.0);
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            long last = lastWarning.get();
            if (now - last > 60_000 && lastWarning.compareAndSet(last, now)) {
                LOG.warn("Rate limits not checked (Redis: {}); requests are let through", e.toString());
            }
            return;
        }
        if (waitMs > 0) {
            long seconds = Math.max(1, (waitMs + 999) / 1000);
            throw new ApiException(
                            429,
                            "rate_limited",
                            "More than " + limit + " " + group.key() + " per minute; try again in " + seconds + " s",
                            List.of(Map.of(
                                    "group", group.key(), "limitPerMinute", limit, "retryAfterSeconds", seconds)))
                    .withRetryAfter(seconds);
        }
    }

    long take(String key, double intervalMs, double burstMs) {
        return script.run(key, Double.toString(intervalMs), Double.toString(burstMs));
    }
}
