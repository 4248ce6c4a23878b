package com.domainautomation.queue;

import com.domainautomation.support.Json;
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
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One durable queue in Redis, with no Camel in it. All keys of a queue share the hash tag {@code {name}}, so the
 * queue also works on Redis Cluster.
 *
 * <ul>
 *   <li>{@code da:q:{name}:p1 … :p3} – one Stream per priority (1 highest), read by the consumer group
 *       {@value #GROUP}; a job stays in the group's pending list until acknowledged, so a job of a dead process is
 *       claimed again after the visibility timeout;</li>
 *   <li>{@code :delayed} – sorted set of jobs waiting for their (retry) time;</li>
 *   <li>{@code :failed} + {@code :failed:index} – jobs that ran out of attempts, with error and history, kept by
 *       count and age;</li>
 *   <li>{@code :done} – ids of completed jobs, kept by count and age; {@code :completed}, {@code :failed:count} and
 *       {@code :tp:<minute>} count outcomes;</li>
 *   <li>{@code :dedupe:<jobId>} – a producer-given id is accepted once for the dedupe window, also after the job
 *       completed and was trimmed;</li>
 *   <li>{@code :rec:<jobId>} – the job's searchable record (state, attempts, last error, times, what it is about),
 *       and {@code :by:<key>:<value>} – the ids of the jobs about that domain, order or client, newest last; both are
 *       kept for their own retention ({@link #keepRecordsFor}), past the completed and failed sets'.</li>
 * </ul>
 * Every multi-step change is one Lua script, so it is atomic.
 */
public class RedisJobQueue {
    private static final Logger LOG = LoggerFactory.getLogger(RedisJobQueue.class);
    public static final String GROUP = "workers";

    private static final String ENQUEUE = """
            if ARGV[7] ~= '0' then
              if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[7]) then return 0 end
            end
            if ARGV[6] ~= '0' then
              redis.call('ZADD', KEYS[2], ARGV[6], cjson.encode({id=ARGV[1], body=ARGV[2], attempt=ARGV[3], enq=ARGV[4], prio=ARGV[5]}))
            else
              redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'body', ARGV[2], 'attempt', ARGV[3], 'enq', ARGV[4], 'prio', ARGV[5])
            end
            return 1
            """;
    /** Reads up to ARGV[3] new jobs, highest priority first, in one round trip. */
    private static final String READ = """
            local out = {}
            local left = tonumber(ARGV[3])
            for i = 1, #KEYS do
              if left <= 0 then break end
              local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', left, 'STREAMS', KEYS[i], '>')
              if r then
                for _, m in ipairs(r[1][2]) do
                  local e = {KEYS[i], m[1]}
                  for _, v in ipairs(m[2]) do e[#e + 1] = v end
                  out[#out + 1] = e
                  left = left - 1
                end
              end
            end
            return out
            """;
    /** ARGV: group, now, keep-count, tp-ttl, then (stream, message id, job id) triples. */
    private static final String COMPLETE = """
            local n = 0
            for i = 5, #ARGV, 3 do
              redis.call('XACK', ARGV[i], ARGV[1], ARGV[i + 1])
              redis.call('XDEL', ARGV[i], ARGV[i + 1])
              redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i + 2])
              n = n + 1
            end
            local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
            if over > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1) end
            redis.call('INCRBY', KEYS[2], n)
            redis.call('INCRBY', KEYS[3], n)
            redis.call('EXPIRE', KEYS[3], ARGV[4])
            return n
            """;

    /** KEYS: stream, delayed, the outcome's counter (retried or put back). */
    private static final String RETRY = """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            redis.call('INCR', KEYS[3])
            return redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            """;

    private static final String FAIL = """
            if ARGV[2] ~= '' then
              redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
              redis.call('XDEL', KEYS[1], ARGV[2])
            end
            redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
            redis.call('HSET', KEYS[5], ARGV[3], ARGV[7])
            redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3])
            local over = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
            if over > 0 then
              local old = redis.call('ZRANGE', KEYS[3], 0, over - 1)
              redis.call('ZREMRANGEBYRANK', KEYS[3], 0, over - 1)
              redis.call('HDEL', KEYS[2], unpack(old))
              redis.call('HDEL', KEYS[5], unpack(old))
            end
            return redis.call('INCR', KEYS[4])
            """;
    /** Gives back a job taken but not started: acknowledged and re-added as it was, at the end of its stream. */
    private static final String RELEASE = """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            if redis.call('XDEL', KEYS[1], ARGV[2]) == 1 then
              redis.call('XADD', KEYS[1], '*', 'id', ARGV[3], 'body', ARGV[4], 'attempt', ARGV[5], 'enq', ARGV[6], 'prio', ARGV[7])
            end
            return 1
            """;
    /**
     * A job's record back to waiting (ARGV: record key prefix, job id, now, attempts or '' to keep them); keys of the
     * same queue, so of its hash slot.
     */
    private static final String WAITING = """
            local function waiting(prefix, id, now, attempts)
              local rec = prefix .. id
              if redis.call('EXISTS', rec) == 1 then
                redis.call('HSET', rec, 'state', 'waiting', 'updatedAt', now)
                if attempts ~= '' then redis.call('HSET', rec, 'attempts', attempts) end
              end
            end
            """;
    /** KEYS: delayed, p1, p2, p3; ARGV: now, limit, record key prefix. */
    private static final String PROMOTE = WAITING + """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            for _, member in ipairs(due) do
              local job = cjson.decode(member)
              local p = tonumber(job.prio) or 2
              redis.call('XADD', KEYS[1 + p], '*', 'id', job.id, 'body', job.body, 'attempt', job.attempt, 'enq', job.enq, 'prio', tostring(p))
              redis.call('ZREM', KEYS[1], member)
              waiting(ARGV[3], job.id, ARGV[1], '')
            end
            return #due
            """;
    /**
     * KEYS: delayed, p1, p2, p3; ARGV: job id, record key prefix, now. Moves that delayed job into its stream now; 0
     * when none is delayed.
     */
    private static final String PROMOTE_ONE = WAITING + """
            for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local job = cjson.decode(member)
              if job.id == ARGV[1] then
                local p = tonumber(job.prio) or 2
                redis.call('XADD', KEYS[1 + p], '*', 'id', job.id, 'body', job.body, 'attempt', job.attempt, 'enq', job.enq, 'prio', tostring(p))
                redis.call('ZREM', KEYS[1], member)
                waiting(ARGV[2], job.id, ARGV[3], '')
                return 1
              end
            end
            return 0
            """;
    /**
     * KEYS: failed, index, p1, p2, p3; ARGV: job id, record key prefix, now. Moves one failed job back to its stream
     * as a first attempt.
     */
    private static final String RETRY_FAILED = WAITING + """
            local record = redis.call('HGET', KEYS[1], ARGV[1])
            if not record then return 0 end
            local job = cjson.decode(record)
            local p = tonumber(job.priority) or 2
            redis.call('XADD', KEYS[2 + p], '*', 'id', job.id, 'body', job.body, 'attempt', '1', 'enq', tostring(job.enqueuedAt), 'prio', tostring(p))
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            waiting(ARGV[2], job.id, ARGV[3], '1')
            return 1
            """;
    /**
     * Writes a job's searchable record. KEYS: the record; ARGV: job id, retention (s), index key prefix, now, 'new'
     * (fields not already set) or 'set', the index score (when it was queued), the number of field pairs, the field
     * pairs, then the key pairs (each also indexed: {@code <prefix><key>:<value>}, older entries than the retention
     * dropped).
     */
    private static final String RECORD = """
            local rec = KEYS[1]
            local ttl = tonumber(ARGV[2])
            local i = 8
            for _ = 1, tonumber(ARGV[7]) do
              if ARGV[5] == 'new' then redis.call('HSETNX', rec, ARGV[i], ARGV[i + 1])
              else redis.call('HSET', rec, ARGV[i], ARGV[i + 1]) end
              i = i + 2
            end
            local cutoff = tonumber(ARGV[4]) - ttl * 1000
            while i < #ARGV do
              redis.call('HSET', rec, ARGV[i], ARGV[i + 1])
              local index = ARGV[3] .. ARGV[i] .. ':' .. ARGV[i + 1]
              redis.call('ZADD', index, ARGV[6], ARGV[1])
              redis.call('ZREMRANGEBYSCORE', index, '-inf', cutoff)
              redis.call('EXPIRE', index, ttl)
              i = i + 2
            end
            redis.call('EXPIRE', rec, ttl)
            return 1
            """;
    /** KEYS: failed, index, history; ARGV: cutoff. */
    private static final String TRIM_FAILED = """
            local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 1000)
            if #old > 0 then
              redis.call('ZREM', KEYS[2], unpack(old))
              redis.call('HDEL', KEYS[1], unpack(old))
              redis.call('HDEL', KEYS[3], unpack(old))
            end
            return #old
            """;

    private final String name;
    private final Supplier<StatefulRedisConnection<String, String>> connections;
    private final String prefix;
    private final String[] streams;
    private final String delayed;
    private final String failed;
    private final String failedIndex;
    private final String failedCount;
    private final String failedHistory;
    private final String done;
    private final String completedCount;
    private final String retriedCount;
    private final String putBackCount;
    private final Map<String, String> scriptShas = new ConcurrentHashMap<>();

    /** {@code connections} gives the shared connection, connecting on first use (Redis may be down at start-up). */
    public RedisJobQueue(String name, Supplier<StatefulRedisConnection<String, String>> connections) {
        this.name = name;
        this.connections = connections;
        this.prefix = "da:q:{" + name + "}";
        this.streams = new String[] {prefix + ":p1", prefix + ":p2", prefix + ":p3"};
        this.delayed = prefix + ":delayed";
        this.failed = prefix + ":failed";
        this.failedIndex = prefix + ":failed:index";
        this.failedCount = prefix + ":failed:count";
        this.failedHistory = prefix + ":failed:history";
        this.done = prefix + ":done";
        this.completedCount = prefix + ":completed";
        this.retriedCount = prefix + ":retried:count";
        this.putBackCount = prefix + ":putback:count";
        this.paused = prefix + ":paused";
        this.records = prefix + ":rec:";
        this.index = prefix + ":by:";
    }

    private final String records;
    private final String index;
    private volatile long recordSeconds = Duration.ofDays(30).toSeconds();

    /** How long a job's searchable record is kept after its last change (at least a minute). */
    public void keepRecordsFor(Duration age) {
        recordSeconds = Math.max(60, age.toSeconds());
    }

    /** How often a consumer looks whether its queue was paused or resumed (on any instance). */
    static final long PAUSE_CHECK_MILLIS = 500;

    private final String paused;
    private volatile long pauseCheckedAt;
    private volatile boolean pauseSeen;

    /**
     * Pauses the queue for every instance: consumers take no job of it (jobs in flight finish) until {@link #resume};
     * the state is a Redis key, so it outlasts restarts.
     */
    public void pause() {
        connection().sync().set(paused, Instant.now().toString());
        pauseCheckedAt = 0;
    }

    public void resume() {
        connection().sync().del(paused);
        pauseCheckedAt = 0;
    }

    /** Whether the queue is paused, as Redis said at most {@link #PAUSE_CHECK_MILLIS} ago. */
    public boolean paused() {
        return paused(false);
    }

    /** {@link #paused()}, asking Redis now when {@code fresh} (before starting jobs just read). */
    public boolean paused(boolean fresh) {
        long now = System.currentTimeMillis();
        if (fresh || now - pauseCheckedAt >= PAUSE_CHECK_MILLIS) {
            pauseSeen = connection().sync().exists(paused) > 0;
            pauseCheckedAt = now;
        }
        return pauseSeen;
    }

    /** A job taken from the queue: where it came from, and whether it was claimed from a consumer that stopped. */
    public record Delivery(String stream, String messageId, Job job, boolean reclaimed) {}

    /** How long outcomes are kept: completed ids by count and age, failed jobs (longer) by count and age. */
    public record Retention(int keepCompleted, Duration completedAge, int keepFailed, Duration failedAge) {
        public static final Retention DEFAULT = new Retention(1000, Duration.ofHours(24), 10_000, Duration.ofDays(7));
    }

    public String name() {
        return name;
    }

    public String streamKey(int priority) {
        return streams[priority - 1];
    }

    private StatefulRedisConnection<String, String> connection() {
        return connections.get();
    }

    /** Creates the consumer group on every stream if it is missing (first start, or a Redis that lost its data). */
    public void ensureGroup() {
        for (String stream : streams) {
            try {
                connection()
                        .sync()
                        .xgroupCreate(
                                XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
            } catch (RedisBusyException e) {
                // BUSYGROUP: it exists already
            }
        }
    }

    /**
     * Adds a job now, or to the delayed set when {@code delayMillis > 0}. With {@code dedupeSeconds > 0} the job id is
     * accepted once in that window; returns false for a duplicate.
     */
    public boolean enqueue(Job job, long delayMillis, long dedupeSeconds) {
        return enqueue(job, delayMillis, dedupeSeconds, Map.of());
    }

    /** {@link #enqueue(Job, long, long)}, its record also saying what it is about beyond its payload ({@link JobKeys}). */
    public boolean enqueue(Job job, long delayMillis, long dedupeSeconds, Map<String, String> keys) {
        Object added = script(ENQUEUE, enqueueKeys(job), enqueueArgs(job, delayMillis, dedupeSeconds));
        boolean isNew = Long.valueOf(1).equals(added);
        if (isNew) {
            recordQueued(job, delayMillis > 0, keys);
        }
        return isNew;
    }

    /** Adds many jobs in one pipelined burst; returns how many were new (not duplicates). */
    public int enqueueAll(List<Job> jobs, long dedupeSeconds) {
        return enqueueAll(jobs, dedupeSeconds, job -> Map.of());
    }

    /** {@link #enqueueAll(List, long)}, each job's record also saying what it is about ({@code keys}). */
    public int enqueueAll(List<Job> jobs, long dedupeSeconds, Function<Job, Map<String, String>> keys) {
        String sha = sha(ENQUEUE);
        var async = connection().async();
        List<io.lettuce.core.RedisFuture<Object>> futures = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            futures.add(
                    async.evalsha(sha, ScriptOutputType.INTEGER, enqueueKeys(job), enqueueArgs(job, 0, dedupeSeconds)));
        }
        int added = 0;
        for (int i = 0; i < jobs.size(); i++) {
            if (Long.valueOf(1).equals(await(futures.get(i)))) {
                added++;
                recordQueued(jobs.get(i), false, keys.apply(jobs.get(i)));
            }
        }
        return added;
    }

    private String[] enqueueKeys(Job job) {
        return new String[] {streamKey(job.priority()), delayed, prefix + ":dedupe:" + job.id()};
    }

    private static String[] enqueueArgs(Job job, long delayMillis, long dedupeSeconds) {
        return new String[] {
            job.id(),
            job.body(),
            Integer.toString(job.attempt()),
            Long.toString(job.enqueuedAt()),
            Integer.toString(job.priority()),
            delayMillis > 0 ? Long.toString(System.currentTimeMillis() + delayMillis) : "0",
            Long.toString(Math.max(0, dedupeSeconds))
        };
    }

    /** Takes up to {@code count} new jobs without waiting, highest priority first. */
    public List<Delivery> poll(String consumer, int count) {
        List<Delivery> deliveries = new ArrayList<>();
        try {
            Object reply = script(READ, streams, GROUP, consumer, Integer.toString(count));
            for (Object entry : (List<?>) reply) {
                List<?> fields = (List<?>) entry;
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 2; i + 1 < fields.size(); i += 2) {
                    map.put(String.valueOf(fields.get(i)), fields.get(i + 1));
                }
                deliveries.add(new Delivery(
                        String.valueOf(fields.get(0)), String.valueOf(fields.get(1)), Job.fromFields(map), false));
            }
        } catch (RedisCommandExecutionException e) {
            recreateGroupOrThrow(e);
        }
        return deliveries;
    }

    /** Waits up to {@code block} for new jobs on any priority (used when {@link #poll} found none). */
    @SuppressWarnings("unchecked")
    public List<Delivery> await(RedisCommands<String, String> blocking, String consumer, int count, Duration block) {
        try {
            List<StreamMessage<String, String>> messages = blocking.xreadgroup(
                    Consumer.from(GROUP, consumer),
                    XReadArgs.Builder.block(block).count(count),
                    XReadArgs.StreamOffset.lastConsumed(streams[0]),
                    XReadArgs.StreamOffset.lastConsumed(streams[1]),
                    XReadArgs.StreamOffset.lastConsumed(streams[2]));
            List<Delivery> deliveries = new ArrayList<>(messages.size());
            for (StreamMessage<String, String> message : messages) {
                deliveries.add(
                        new Delivery(message.getStream(), message.getId(), Job.fromFields(message.getBody()), false));
            }
            return deliveries;
        } catch (RedisCommandExecutionException e) {
            recreateGroupOrThrow(e);
            return List.of();
        }
    }

    private void recreateGroupOrThrow(RedisCommandExecutionException e) {
        // a Lua script reports it as "ERR Error running script ...: NOGROUP ..."
        if (e.getMessage() != null && e.getMessage().contains("NOGROUP")) {
            ensureGroup();
            return;
        }
        throw e;
    }

    /** Takes over jobs no consumer has touched for {@code minIdle}: their consumer died. */
    public List<Delivery> reclaim(String consumer, Duration minIdle, int count) {
        List<Delivery> deliveries = new ArrayList<>();
        for (String stream : streams) {
            if (deliveries.size() >= count) {
                break;
            }
            io.lettuce.core.models.stream.ClaimedMessages<String, String> claimed;
            try {
                claimed = connection()
                        .sync()
                        .xautoclaim(
                                stream,
                                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, consumer), minIdle, "0-0")
                                        .count(count - deliveries.size()));
            } catch (RedisCommandExecutionException e) {
                recreateGroupOrThrow(e); // Redis lost its data: the group comes back empty
                continue;
            }
            for (StreamMessage<String, String> message : claimed.getMessages()) {
                deliveries.add(new Delivery(stream, message.getId(), Job.fromFields(message.getBody()), true));
            }
        }
        return deliveries;
    }

    /** How many times the group has delivered this message (1 on the first delivery). */
    public long deliveryCount(String stream, String messageId) {
        List<PendingMessage> pending =
                connection().sync().xpending(stream, GROUP, Range.create(messageId, messageId), Limit.from(1));
        return pending.isEmpty() ? 0 : pending.get(0).getRedeliveryCount();
    }

    /** Renews the lease on jobs still being worked on, so a slow live job is not stolen. */
    public void heartbeat(String consumer, List<Delivery> inFlight) {
        Map<String, List<String>> byStream = new LinkedHashMap<>();
        for (Delivery delivery : inFlight) {
            byStream.computeIfAbsent(delivery.stream(), s -> new ArrayList<>()).add(delivery.messageId());
        }
        byStream.forEach((stream, ids) -> connection()
                .async()
                .xclaim(
                        stream,
                        Consumer.from(GROUP, consumer),
                        XClaimArgs.Builder.minIdleTime(0).justid(),
                        ids.toArray(new String[0])));
    }

    /** Acknowledges completed jobs in one script call; returns the pending reply so callers may wait on it. */
    public io.lettuce.core.RedisFuture<Object> completeAll(List<Delivery> completed, Retention retention) {
        long now = System.currentTimeMillis();
        List<String> args = new ArrayList<>(4 + completed.size() * 3);
        args.add(GROUP);
        args.add(Long.toString(now));
        args.add(Integer.toString(retention.keepCompleted()));
        args.add("7200");
        for (Delivery delivery : completed) {
            args.add(delivery.stream());
            args.add(delivery.messageId());
            args.add(delivery.job().id());
        }
        String[] keys = {done, completedCount, throughputKey(now / 60_000)};
        return connection().async().evalsha(sha(COMPLETE), ScriptOutputType.INTEGER, keys, args.toArray(new String[0]));
    }

    public void complete(Delivery delivery, Retention retention) {
        await(completeAll(List.of(delivery), retention));
    }

    /** Hands back jobs this consumer read but will not run (it is stopping), so others can take them now. */
    public void release(Delivery delivery) {
        Job job = delivery.job();
        script(
                RELEASE,
                new String[] {delivery.stream()},
                GROUP,
                delivery.messageId(),
                job.id(),
                job.body(),
                Integer.toString(job.attempt()),
                Long.toString(job.enqueuedAt()),
                Integer.toString(job.priority()));
    }

    /** Puts the job back into the delayed set, as its next attempt or ({@code countAttempt=false}) the same one. */
    public void retryLater(Delivery delivery, long delayMillis, boolean countAttempt) {
        retryLater(delivery, delayMillis, countAttempt, null);
    }

    /** {@link #retryLater(Delivery, long, boolean)}; {@code error} (why, or null) goes into the job's record. */
    public void retryLater(Delivery delivery, long delayMillis, boolean countAttempt, String error) {
        Job next = countAttempt ? delivery.job().nextAttempt() : delivery.job();
        script(
                RETRY,
                new String[] {delivery.stream(), delayed, countAttempt ? retriedCount : putBackCount},
                GROUP,
                delivery.messageId(),
                Long.toString(System.currentTimeMillis() + delayMillis),
                delayedMember(next));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("state", "delayed");
        fields.put("attempts", Integer.toString(next.attempt()));
        fields.put("runsAt", Long.toString(System.currentTimeMillis() + delayMillis));
        if (error != null) {
            fields.put("error", error);
        }
        record(next, false, fields, JobLog.keys());
    }

    /** Moves a job to the failed set with its error and the history of its attempts. */
    public void fail(Delivery delivery, String error, Retention retention) {
        Job job = delivery.job();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", job.id());
        record.put("body", job.body());
        record.put("priority", job.priority());
        record.put("attempts", job.attempt());
        record.put("error", error);
        record.put("enqueuedAt", job.enqueuedAt());
        record.put("failedAt", System.currentTimeMillis());
        // The history outlives a retry from the failed set, so a job failing again shows every failure.
        String previous = connection().sync().hget(failedHistory, job.id());
        List<Object> history = new ArrayList<>();
        if (previous != null) {
            history.addAll(Json.readList(previous));
        }
        history.add(Map.of("attempts", job.attempt(), "error", error, "at", System.currentTimeMillis()));
        record.put("history", history);
        script(
                FAIL,
                new String[] {delivery.stream(), failed, failedIndex, failedCount, failedHistory},
                GROUP,
                delivery.messageId() == null ? "" : delivery.messageId(),
                job.id(),
                Json.write(record),
                Long.toString(System.currentTimeMillis()),
                Integer.toString(retention.keepFailed()),
                Json.write(history));
        long now = System.currentTimeMillis();
        record(job, false, Map.of("state", "failed", "error", error, "finishedAt", Long.toString(now)), JobLog.keys());
    }

    /** The job's record: a consumer has started it (on the attempt it carries). */
    public void recordStarted(Job job) {
        record(
                job,
                false,
                Map.of(
                        "state",
                        "active",
                        "attempts",
                        Integer.toString(job.attempt()),
                        "startedAt",
                        Long.toString(System.currentTimeMillis())),
                JobLog.keys());
    }

    /** The job's record: done (its acknowledgement follows in a batch), with what its steps learned it is about. */
    public void recordCompleted(Job job) {
        record(
                job,
                false,
                Map.of("state", "completed", "finishedAt", Long.toString(System.currentTimeMillis())),
                JobLog.keys());
    }

    private void recordQueued(Job job, boolean isDelayed, Map<String, String> keys) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", job.id());
        fields.put("queue", name);
        fields.put("state", isDelayed ? "delayed" : "waiting");
        fields.put("attempts", Integer.toString(job.attempt()));
        fields.put("priority", Integer.toString(job.priority()));
        fields.put("enqueuedAt", Long.toString(job.enqueuedAt()));
        Map<String, String> about;
        try {
            about = JobKeys.merged(keys, JobKeys.of(Json.readMap(job.body())));
        } catch (IllegalArgumentException e) {
            about = keys; // not a JSON object: the consumer will fail it
        }
        record(job, true, fields, about);
    }

    /**
     * Writes the job's searchable record without waiting (it is a finding aid, not the job: a write lost with a crash
     * costs a stale state, never a job); in order with this instance's other commands on the shared connection.
     */
    private void record(Job job, boolean created, Map<String, String> fields, Map<String, String> keys) {
        long now = System.currentTimeMillis();
        List<String> args = new ArrayList<>();
        args.add(job.id());
        args.add(Long.toString(recordSeconds));
        args.add(index);
        args.add(Long.toString(now));
        args.add(created ? "new" : "set");
        args.add(Long.toString(job.enqueuedAt()));
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("id", job.id());
        all.putIfAbsent("queue", name);
        all.putIfAbsent("enqueuedAt", Long.toString(job.enqueuedAt()));
        all.put("updatedAt", Long.toString(now));
        args.add(Integer.toString(all.size()));
        all.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        keys.forEach((key, value) -> {
            String kept = JobKeys.normalised(key, value);
            if (kept != null) {
                args.add(key);
                args.add(kept);
            }
        });
        try {
            connection()
                    .async()
                    .evalsha(
                            sha(RECORD),
                            ScriptOutputType.INTEGER,
                            new String[] {records + job.id()},
                            args.toArray(new String[0]))
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            if (error instanceof RedisNoScriptException) {
                                scriptShas.remove(RECORD);
                            }
                            LOG.debug(
                                    "Queue {}: the record of job {} was not written: {}",
                                    name,
                                    job.id(),
                                    error.toString());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.debug("Queue {}: the record of job {} was not written: {}", name, job.id(), e.toString());
        }
    }

    /** The records of the jobs about {@code value} of {@code key} (a {@link JobKeys#SEARCHABLE} key), newest first. */
    public List<Map<String, String>> records(String key, String value, int limit) {
        var sync = connection().sync();
        List<Map<String, String>> found = new ArrayList<>();
        for (String id : sync.zrevrange(index + key + ":" + value, 0, limit - 1)) {
            Map<String, String> record = sync.hgetall(records + id);
            if (!record.isEmpty()) {
                found.add(record);
            }
        }
        return found;
    }

    /** The record of the job with this id, or null (never queued here, or past its retention). */
    public Map<String, String> record(String jobId) {
        Map<String, String> record = connection().sync().hgetall(records + jobId);
        return record.isEmpty() ? null : record;
    }

    /** Moves jobs whose time has come back into their stream; returns how many. */
    public long promoteDue(int limit) {
        Object moved = script(
                PROMOTE,
                new String[] {delayed, streams[0], streams[1], streams[2]},
                Long.toString(System.currentTimeMillis()),
                Integer.toString(limit),
                records);
        return moved instanceof Long l ? l : 0;
    }

    /** Runs a delayed job now (an admin's "promote"); false when no job of that id is delayed. */
    public boolean promote(String jobId) {
        return Long.valueOf(1)
                .equals(script(
                        PROMOTE_ONE,
                        new String[] {delayed, streams[0], streams[1], streams[2]},
                        jobId,
                        records,
                        Long.toString(System.currentTimeMillis())));
    }

    /** The delayed jobs, soonest first: id, when it runs, attempt, priority and body (the payload's JSON text). */
    public List<Map<String, Object>> delayedJobs(int limit) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (var member : connection().sync().zrangeWithScores(delayed, 0, limit - 1)) {
            Map<String, Object> job = Json.readMap(member.getValue());
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", job.get("id"));
            view.put("runsAt", Instant.ofEpochMilli((long) member.getScore()).toString());
            view.put("attempt", job.get("attempt"));
            view.put("priority", job.get("prio"));
            view.put("body", job.get("body"));
            jobs.add(view);
        }
        return jobs;
    }

    /** Drops completed ids and failed jobs older than the retention ages. */
    public void trim(Retention retention) {
        long now = System.currentTimeMillis();
        connection().sync().zremrangebyscore(done, Range.create(Double.NEGATIVE_INFINITY, (double)
                (now - retention.completedAge().toMillis())));
        script(
                TRIM_FAILED,
                new String[] {failed, failedIndex, failedHistory},
                Long.toString(now - retention.failedAge().toMillis()));
    }

    /** Failed jobs, newest first: id → record JSON (body, error, attempts, history). */
    public Map<String, String> failedJobs() {
        Map<String, String> jobs = new LinkedHashMap<>();
        List<String> ids = connection().sync().zrevrange(failedIndex, 0, -1);
        if (ids.isEmpty()) {
            return jobs;
        }
        List<io.lettuce.core.KeyValue<String, String>> records =
                connection().sync().hmget(failed, ids.toArray(new String[0]));
        for (var record : records) {
            if (record.hasValue()) {
                jobs.put(record.getKey(), record.getValue());
            }
        }
        return jobs;
    }

    /** Puts a failed job back as a first attempt; false when there is no such failed job. */
    public boolean retryFailed(String jobId) {
        return Long.valueOf(1)
                .equals(script(
                        RETRY_FAILED,
                        new String[] {failed, failedIndex, streams[0], streams[1], streams[2]},
                        jobId,
                        records,
                        Long.toString(System.currentTimeMillis())));
    }

    public boolean deleteFailed(String jobId) {
        connection().sync().zrem(failedIndex, jobId);
        connection().sync().hdel(failedHistory, jobId);
        boolean deleted = connection().sync().hdel(failed, jobId) > 0;
        if (deleted && connection().sync().exists(records + jobId) > 0) {
            connection().sync().hset(records + jobId, "state", "deleted");
        }
        return deleted;
    }

    /**
     * Counts for dashboards: waiting, active (delivered, not acknowledged), delayed, failed, completed, and
     * throughput (completed per minute over the last hour).
     */
    public Map<String, Object> stats() {
        var sync = connection().sync();
        long length = 0;
        long active = 0;
        for (String stream : streams) {
            length += sync.xlen(stream);
            try {
                PendingMessages pending = sync.xpending(stream, GROUP);
                active += pending.getCount();
            } catch (RedisCommandExecutionException e) {
                // no group yet: nothing is active
            }
        }
        long minute = System.currentTimeMillis() / 60_000;
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("queue", name);
        stats.put("paused", sync.exists(paused) > 0);
        stats.put("waiting", length - active);
        stats.put("active", active);
        stats.put("delayed", sync.zcard(delayed));
        stats.put("failed", sync.hlen(failed));
        stats.put("completed", parse(sync.get(completedCount)));
        stats.put("failedTotal", parse(sync.get(failedCount)));
        stats.put("retriedTotal", parse(sync.get(retriedCount)));
        stats.put("putBackTotal", parse(sync.get(putBackCount)));
        stats.put("completedLastMinute", parse(sync.get(throughputKey(minute - 1))));
        stats.put("completedThisMinute", parse(sync.get(throughputKey(minute))));
        String[] hour = new String[60];
        for (int i = 0; i < 60; i++) {
            hour[i] = throughputKey(minute - 59 + i);
        }
        // the last hour, a count per minute, oldest first (the last one is this minute so far)
        stats.put(
                "completedPerMinute",
                sync.mget(hour).stream()
                        .map(count -> count.hasValue() ? parse(count.getValue()) : 0L)
                        .toList());
        return stats;
    }

    public long waitingAndActive() {
        long length = 0;
        for (String stream : streams) {
            length += connection().sync().xlen(stream);
        }
        return length;
    }

    public long delayedCount() {
        return connection().sync().zcard(delayed);
    }

    private String throughputKey(long minute) {
        return prefix + ":tp:" + minute;
    }

    private static long parse(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private Object script(String source, String[] keys, String... args) {
        ScriptOutputType type = source == READ ? ScriptOutputType.MULTI : ScriptOutputType.INTEGER;
        try {
            return connection().sync().evalsha(sha(source), type, keys, args);
        } catch (RedisNoScriptException e) {
            // Redis restarted and forgot its script cache: load again once.
            scriptShas.remove(source);
            return connection().sync().evalsha(sha(source), type, keys, args);
        }
    }

    /** After Redis restarted, its script cache is empty: load the scripts again on next use. */
    public void forgetScripts() {
        scriptShas.clear();
    }

    private String sha(String source) {
        return scriptShas.computeIfAbsent(source, s -> connection().sync().scriptLoad(s));
    }

    private Object await(io.lettuce.core.RedisFuture<Object> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException) {
                scriptShas.clear();
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis did not answer in 10 s", e);
        }
    }

    private static String delayedMember(Job job) {
        Map<String, String> member = new LinkedHashMap<>();
        member.put("id", job.id());
        member.put("body", job.body());
        member.put("attempt", Integer.toString(job.attempt()));
        member.put("enq", Long.toString(job.enqueuedAt()));
        member.put("prio", Integer.toString(job.priority()));
        return Json.write(member);
    }
}
