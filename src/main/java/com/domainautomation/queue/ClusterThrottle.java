package com.domainautomation.queue;

import com.domainautomation.support.RedisScript;
import io.lettuce.core.RedisClient;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limit shared by every instance on one Redis: at most {@code limit} permits in ANY window of {@code windowMs}
 * (a sliding log, not a token bucket, so it never bursts to twice the limit at a window edge). Time is Redis's own
 * clock, so instances with skewed clocks still agree.
 *
 * <p>Routes call it right after their throttle EIP: the throttle caps each JVM, this caps the total.
 */
public class ClusterThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterThrottle.class);
    /** Exchange property: the Redis time (ms) at which the permit was granted. */
    public static final String GRANTED_AT = "clusterThrottleGrantedAt";
    /**
     * KEYS: the log; ARGV: window ms, limit, member. Returns minus the Redis time (ms) when granted, else the ms
     * until a permit frees up.
     */
    static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local window = tonumber(ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
            if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
              redis.call('ZADD', KEYS[1], now, ARGV[3])
              redis.call('PEXPIRE', KEYS[1], window)
              return -now
            end
            local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            return math.max(1, tonumber(oldest[2]) + window - now + 1)
            """;

    private final RedisScript script;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();

    public ClusterThrottle(RedisClient client) {
        this.script = new RedisScript(client, ACQUIRE);
    }

    /**
     * Blocks until a permit of {@code name} is free across the cluster; leaves the grant time in the exchange
     * property {@value #GRANTED_AT}. In YAML: {@code method: "acquire(*, 'registration', 10, 60000)"}.
     */
    public void acquire(Exchange exchange, String name, int limit, long windowMs) throws InterruptedException {
        String key = "da:throttle:{" + name + "}";
        long waited = 0;
        while (true) {
            long answer = tryAcquire(key, limit, windowMs);
            if (answer < 0) {
                exchange.setProperty(GRANTED_AT, -answer);
                if (waited > 0) {
                    LOG.debug(
                            "Cluster throttle {}: waited {} ms for a permit ({} per {} ms)",
                            name,
                            waited,
                            limit,
                            windowMs);
                }
                return;
            }
            long pause = Math.min(answer, 1000);
            Thread.sleep(pause);
            waited += pause;
        }
    }

    long tryAcquire(String key, int limit, long windowMs) {
        return script.run(
                key, Long.toString(windowMs), Integer.toString(limit), instance + ":" + sequence.incrementAndGet());
    }
}
