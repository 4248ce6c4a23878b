package com.domainautomation.queue;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One durable queue in Redis, with no Camel in it.
 *
 * <p>Keys (prefix {@code da:q:<name>}): {@code :stream} holds ready and in-flight jobs (a Redis Stream read by
 * the consumer group {@value #GROUP}; a job stays in the group's pending list until acknowledged, so a job
 * of a dead process is claimed again after the visibility timeout); {@code :delayed} is a sorted set of jobs
 * waiting for their retry time; {@code :failed} a hash of jobs that ran out of attempts; {@code :completed}
 * and {@code :failed-count} count outcomes. Every multi-step change is one Lua script, so it is atomic.
 */
public class RedisJobQueue {
    public static final String GROUP = "workers";

    private static final String ACK = """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            return redis.call('INCR', KEYS[2])
            """;
    private static final String RETRY = """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            return redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            """;
    private static final String FAIL = """
            if ARGV[2] ~= '' then
              redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
              redis.call('XDEL', KEYS[1], ARGV[2])
            end
            redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
            return redis.call('INCR', KEYS[3])
            """;
    private static final String PROMOTE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            for _, member in ipairs(due) do
              local job = cjson.decode(member)
              redis.call('XADD', KEYS[2], '*', 'id', job.id, 'body', job.body, 'attempt', job.attempt, 'enq', job.enq)
              redis.call('ZREM', KEYS[1], member)
            end
            return #due
            """;

    private final String name;
    private final java.util.function.Supplier<StatefulRedisConnection<String, String>> connections;
    private final String stream;
    private final String delayed;
    private final String failed;
    private final String completedCount;
    private final String failedCount;
    private final Map<String, String> scriptShas = new ConcurrentHashMap<>();

    /** {@code connections} gives the shared connection, connecting on first use (Redis may be down at start-up). */
    public RedisJobQueue(String name, java.util.function.Supplier<StatefulRedisConnection<String, String>> connections) {
        this.name = name;
        this.connections = connections;
        String prefix = "da:q:" + name;
        this.stream = prefix + ":stream";
        this.delayed = prefix + ":delayed";
        this.failed = prefix + ":failed";
        this.completedCount = prefix + ":completed";
        this.failedCount = prefix + ":failed-count";
    }

    public String name() {
        return name;
    }

    private StatefulRedisConnection<String, String> connection() {
        return connections.get();
    }

    /** Creates the consumer group if it is missing (first start, or a Redis that lost its data). */
    public void ensureGroup() {
        try {
            connection().sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // BUSYGROUP: it exists already
        }
    }

    /** Adds a job now, or to the delayed set when {@code delayMillis > 0}. */
    public void enqueue(Job job, long delayMillis) {
        if (delayMillis > 0) {
            connection().sync().zadd(delayed, System.currentTimeMillis() + delayMillis, delayedMember(job));
        } else {
            connection().sync().xadd(stream, job.toFields());
        }
    }

    /** Reads up to {@code count} new jobs for this consumer, waiting up to {@code block} for one to come. */
    public List<StreamMessage<String, String>> read(RedisCommands<String, String> blocking, String consumer, int count, Duration block) {
        try {
            return blocking.xreadgroup(Consumer.from(GROUP, consumer), XReadArgs.Builder.block(block).count(count),
                    XReadArgs.StreamOffset.lastConsumed(stream));
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                ensureGroup();
                return List.of();
            }
            throw e;
        }
    }

    /** Takes over jobs that no consumer has touched for {@code minIdle}: their consumer died. */
    public List<StreamMessage<String, String>> reclaim(String consumer, Duration minIdle, int count) {
        ClaimedMessages<String, String> claimed = connection().sync().xautoclaim(stream,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, consumer), minIdle, "0-0").count(count));
        return claimed.getMessages();
    }

    /** How many times the group has delivered this message (1 on the first delivery). */
    public long deliveryCount(String messageId) {
        List<PendingMessage> pending = connection().sync().xpending(stream, GROUP, Range.create(messageId, messageId), Limit.from(1));
        return pending.isEmpty() ? 0 : pending.get(0).getRedeliveryCount();
    }

    /** Renews the lease on jobs still being worked on, so a slow live job is not stolen. */
    public void heartbeat(String consumer, List<String> messageIds) {
        if (!messageIds.isEmpty()) {
            connection().async().xclaim(stream, Consumer.from(GROUP, consumer), XClaimArgs.Builder.minIdleTime(0).justid(),
                    messageIds.toArray(new String[0]));
        }
    }

    public void complete(String messageId) {
        script(ACK, new String[] {stream, completedCount}, GROUP, messageId);
    }

    public void retryLater(String messageId, Job next, long delayMillis) {
        script(RETRY, new String[] {stream, delayed}, GROUP, messageId,
                Long.toString(System.currentTimeMillis() + delayMillis), delayedMember(next));
    }

    public void fail(String messageId, Job job, String error) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", job.id());
        record.put("body", job.body());
        record.put("attempts", job.attempt());
        record.put("error", error);
        record.put("enqueuedAt", job.enqueuedAt());
        record.put("failedAt", System.currentTimeMillis());
        script(FAIL, new String[] {stream, failed, failedCount}, GROUP, messageId == null ? "" : messageId, job.id(),
                com.domainautomation.support.Json.write(record));
    }

    /** Moves jobs whose retry time has come back into the stream; returns how many. */
    public long promoteDue(int limit) {
        Object moved = script(PROMOTE, new String[] {delayed, stream}, Long.toString(System.currentTimeMillis()), Integer.toString(limit));
        return moved instanceof Long l ? l : 0;
    }

    public Map<String, String> failedJobs() {
        return connection().sync().hgetall(failed);
    }

    public long delayedCount() {
        return connection().sync().zcard(delayed);
    }

    public long streamLength() {
        return connection().sync().xlen(stream);
    }

    private Object script(String source, String[] keys, String... args) {
        String sha = scriptShas.computeIfAbsent(source, s -> connection().sync().scriptLoad(s));
        try {
            return connection().sync().evalsha(sha, ScriptOutputType.INTEGER, keys, args);
        } catch (RedisNoScriptException e) {
            // Redis restarted and forgot its script cache: load again once.
            scriptShas.remove(source);
            sha = scriptShas.computeIfAbsent(source, s -> connection().sync().scriptLoad(s));
            return connection().sync().evalsha(sha, ScriptOutputType.INTEGER, keys, args);
        }
    }

    private static String delayedMember(Job job) {
        Map<String, String> member = new LinkedHashMap<>();
        member.put("id", job.id());
        member.put("body", job.body());
        member.put("attempt", Integer.toString(job.attempt()));
        member.put("enq", Long.toString(job.enqueuedAt()));
        return com.domainautomation.support.Json.write(member);
    }
}
