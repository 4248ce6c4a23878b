package com.domainautomation.cron;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.domains.ActivityLog;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.ApiAnswer;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run guard of the crons: each scheduled fire runs once across every instance, a fire missed while no instance
 * was up runs later, and every run leaves a summary.
 *
 * <p>Quartz's clustering needs a JDBC job store, which we do not have, so every instance schedules every cron and
 * the guard decides: a run takes the cron's lock in Redis ({@code SET NX PX}, renewed while items are processed),
 * then compares the fire it stands for with the cron's last completed fire in MongoDB ({@code cron_state}). A fire
 * already completed, or a cron running elsewhere, means this run stops at once. A run that ends records its fire
 * ({@code $max}), so a run that crashed half-way is run again by {@link #missed} once its lock has expired: each cron
 * is written so that a second run does nothing twice.
 */
public class CronRuns {
    /** Exchange property: the {@link CronRun} in progress; absent when this fire is not ours to run. */
    public static final String RUN = "cronRun";
    /** Exchange property: the scheduled fire a catch-up run stands for. */
    public static final String FIRE_TIME = "cronFireTime";
    /** Exchange property: the item a cron run works on (its name is logged when it fails). */
    public static final String ITEM = "cronItem";

    public static final String STATE = "cron_state";
    private static final Logger LOG = LoggerFactory.getLogger(CronRuns.class);
    private static final String UNLOCK = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;

    private final Db db;
    private final RedisClient redis;
    private final AppClock clock;
    private final ActivityLog activity;
    private final Map<String, CronSchedule> schedules = new LinkedHashMap<>();
    private final Duration lockTtl;
    private volatile StatefulRedisConnection<String, String> connection;

    public CronRuns(
            Db db,
            RedisClient redis,
            AppClock clock,
            ActivityLog activity,
            List<CronSchedule> schedules,
            Duration lockTtl) {
        this.db = db;
        this.redis = redis;
        this.clock = clock;
        this.activity = activity;
        schedules.forEach(s -> this.schedules.put(s.name(), s));
        this.lockTtl = lockTtl;
    }

    /**
     * First step of every cron run, with the scheduled fire time Quartz gives ({@code scheduled}), or the one a
     * catch-up run carries ({@code catchUp}, property {@value #FIRE_TIME}); a run an admin asked for has neither and
     * always runs (unless the cron is running). Returns the run when it goes ahead (kept in the property
     * {@value #RUN}), null when another instance runs it or the fire has run already.
     */
    public CronRun begin(String cron, Date scheduled, Date catchUp) {
        schedule(cron);
        Instant fireTime = scheduled != null ? scheduled.toInstant() : catchUp != null ? catchUp.toInstant() : null;
        String trigger = scheduled != null ? "schedule" : catchUp != null ? "catch-up" : "admin";
        String token = UUID.randomUUID().toString();
        if (!"OK"
                .equals(commands()
                        .set(lockKey(cron), token, SetArgs.Builder.nx().px(lockTtl.toMillis())))) {
            LOG.info(
                    "Cron {} ({}{}) not started: it is running already",
                    cron,
                    trigger,
                    fireTime == null ? "" : " " + fireTime);
            return null;
        }
        if (fireTime != null) {
            Date last = lastFireAt(cron);
            if (last != null && !last.toInstant().isBefore(fireTime)) {
                unlock(cron, token);
                LOG.debug("Cron {}: the fire of {} has run already", cron, fireTime);
                return null;
            }
        }
        CronRun run = new CronRun(cron, trigger, fireTime, clock.now(), token);
        LOG.info("Cron {} started ({}{})", cron, trigger, fireTime == null ? "" : ", fire of " + fireTime);
        return run;
    }

    /** The run, its lock kept alive while items are processed: every item step goes through here. */
    public CronRun current(CronRun run) {
        if (run == null) {
            throw new IllegalStateException("not inside a cron run");
        }
        if (System.nanoTime() - run.lockRenewedAt() > lockTtl.toNanos() / 3) {
            Object renewed = commands()
                    .eval(
                            RENEW,
                            ScriptOutputType.INTEGER,
                            new String[] {lockKey(run.cron())},
                            run.lockToken(),
                            Long.toString(lockTtl.toMillis()));
            if (!Long.valueOf(1).equals(renewed)) {
                LOG.warn(
                        "Cron {}: its lock expired while running (another instance may run it too; each item is safe to repeat)",
                        run.cron());
            }
            run.lockRenewed();
        }
        return run;
    }

    /** Step inside the per-item error handler: one bad item is counted and logged, the run goes on. */
    /** Per item, before its steps: counted as seen, whatever happens to it then. */
    public void seen(@ExchangeProperty(RUN) CronRun run) {
        current(run).seen();
    }

    public void itemFailed(
            @ExchangeProperty(RUN) CronRun run,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause,
            @ExchangeProperty(ITEM) Object item) {
        current(run);
        String what = (item == null ? "item" : item) + ": "
                + (cause == null
                        ? "unknown error"
                        : rootCause(cause).getClass().getSimpleName() + ": "
                                + rootCause(cause).getMessage());
        run.error(what);
        LOG.warn("Cron {}: {} (the run goes on)", run.cron(), what);
    }

    /** The error itself, not Camel's wrappers around it (a failed conversion of the item, for one). */
    static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getClass().getName().startsWith("org.apache.camel.")) {
            root = root.getCause();
        }
        return root;
    }

    /** Last step: the summary goes to the activity log and the cron's state; the fire is done; the lock is freed. */
    public void finish(@ExchangeProperty(RUN) CronRun run) {
        current(run);
        end(run, run.errors() == 0 ? "ok" : "ok-with-errors", null);
    }

    /** The run itself failed (e.g. MongoDB went away): summary with the error; the fire stays owed and is run again. */
    public void abort(
            @ExchangeProperty(RUN) CronRun run, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        if (run == null) {
            return;
        }
        end(
                run,
                "failed",
                cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private void end(CronRun run, String result, String failure) {
        Document summary = run.summary(clock.now(), result, failure);
        try {
            activity.recordSystem("cron " + run.cron(), result, describe(summary), summary);
            var update = new ArrayList<>(List.of(Updates.set("lastRun", summary)));
            if (run.fireTime() != null && failure == null) {
                update.add(Updates.max("lastFireAt", Date.from(run.fireTime())));
            }
            if (failure == null) {
                update.add(Updates.set("lastSuccess", summary));
            }
            db.get(STATE).updateOne(eq("_id", run.cron()), Updates.combine(update), new UpdateOptions().upsert(true));
        } finally {
            unlock(run.cron(), run.lockToken());
        }
        if (failure == null) {
            LOG.info("Cron {} finished: {}", run.cron(), describe(summary));
        } else {
            LOG.error("Cron {} failed: {}; {}", run.cron(), failure, describe(summary));
        }
    }

    static String describe(Document summary) {
        return summary.get("seen") + " seen, " + summary.get("queued") + " jobs queued, " + summary.get("errors")
                + " errors " + ((Document) summary.get("outcomes")).toJson() + " in " + summary.get("durationMs")
                + " ms (" + summary.get("trigger") + ")";
    }

    /**
     * The catch-up check (at start, then every few minutes): for each scheduled cron, the latest fire since its last
     * completed one, if any. The first time a cron is seen, now is its starting point: nothing before it is owed.
     */
    public List<Map<String, Object>> missed() {
        Instant now = clock.now();
        List<Map<String, Object>> due = new ArrayList<>();
        for (CronSchedule schedule : schedules.values()) {
            if (!schedule.enabled()) {
                continue;
            }
            Date last = lastFireAt(schedule.name());
            if (last == null) {
                db.get(STATE)
                        .updateOne(
                                eq("_id", schedule.name()),
                                Updates.max("lastFireAt", Date.from(now)),
                                new UpdateOptions().upsert(true));
                continue;
            }
            schedule.latestFireBetween(last.toInstant(), now).ifPresent(fire -> {
                if (commands().exists(lockKey(schedule.name())) == 0) {
                    LOG.warn(
                            "Cron {}: the fire of {} did not run (no instance was up, or its run stopped half-way); running it now",
                            schedule.name(),
                            fire);
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("cron", schedule.name());
                    run.put("fireTime", Date.from(fire));
                    due.add(run);
                }
            });
        }
        return due;
    }

    /** {@code POST /api/admin/cron/{name}/run}: the run request to queue for an instance with the cron role. */
    public JobRequest request(@Header("name") String cron) {
        if (!schedules.containsKey(cron)) {
            throw new ApiException(
                    404,
                    "not_found",
                    "There is no cron named '" + cron + "'; the crons are " + String.join(", ", schedules.keySet()));
        }
        if (commands().exists(lockKey(cron)) > 0) {
            throw new ApiException(
                    409,
                    "cron_running",
                    "Cron " + cron + " is running now; its summary will be in GET /api/admin/cron");
        }
        Instant now = clock.now();
        return JobRequest.of(
                        Map.of("cron", cron, "requestedAt", now.toString()),
                        "cron-run:" + cron + ":" + now.toEpochMilli())
                .withPriority(1);
    }

    /** After the request is queued (the body): the 202 answer. */
    public ApiAnswer requested(@Body Map<String, Object> request) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("cron", request.get("cron"));
        answer.put("status", "queued");
        answer.put("requestedAt", request.get("requestedAt"));
        answer.put(
                "message",
                "A cron instance runs it now; its summary will be in GET /api/admin/cron and the activity log");
        return ApiAnswer.accepted(answer);
    }

    /** {@code GET /api/admin/cron}: each cron's schedule, next fire, last completed fire and last run. */
    public List<Map<String, Object>> status() {
        Instant now = clock.now();
        List<Map<String, Object>> list = new ArrayList<>();
        for (CronSchedule schedule : schedules.values()) {
            Document state = db.get(STATE).find(eq("_id", schedule.name())).first();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", schedule.name());
            view.put("schedule", schedule.expression());
            view.put("timeZone", "UTC");
            view.put("enabled", schedule.enabled());
            view.put("nextFireAt", schedule.nextAfter(now).orElse(null));
            view.put("running", commands().exists(lockKey(schedule.name())) > 0);
            view.put(
                    "lastFireAt",
                    state == null || state.getDate("lastFireAt") == null
                            ? null
                            : state.getDate("lastFireAt").toInstant());
            Document lastRun = state == null ? null : state.get("lastRun", Document.class);
            view.put("lastRun", lastRun == null ? null : view(lastRun));
            Document lastSuccess = state == null ? null : state.get("lastSuccess", Document.class);
            view.put("lastSuccess", lastSuccess == null ? null : view(lastSuccess));
            list.add(view);
        }
        return list;
    }

    /** The summary of the cron's last run that finished without failing, or null. */
    public Document lastSuccess(String cron) {
        Document state = db.get(STATE).find(eq("_id", cron)).first();
        return state == null ? null : state.get("lastSuccess", Document.class);
    }

    private static Map<String, Object> view(Document summary) {
        Map<String, Object> view = new LinkedHashMap<>();
        summary.forEach((k, v) -> view.put(
                k, v instanceof Date d ? d.toInstant() : v instanceof Document d ? new LinkedHashMap<>(d) : v));
        return view;
    }

    public CronSchedule schedule(String cron) {
        CronSchedule schedule = schedules.get(cron);
        if (schedule == null) {
            throw new IllegalArgumentException("unknown cron " + cron);
        }
        return schedule;
    }

    private Date lastFireAt(String cron) {
        Document state = db.get(STATE).find(eq("_id", cron)).first();
        return state == null ? null : state.getDate("lastFireAt");
    }

    private void unlock(String cron, String token) {
        try {
            commands().eval(UNLOCK, ScriptOutputType.INTEGER, new String[] {lockKey(cron)}, token);
        } catch (RuntimeException e) {
            LOG.warn("Cron {}: could not free its lock ({}); it expires by itself", cron, e.getMessage());
        }
    }

    private static String lockKey(String cron) {
        return "da:cron:{" + cron + "}:lock";
    }

    private RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            synchronized (this) {
                if (connection == null) {
                    connection = redis.connect();
                }
                c = connection;
            }
        }
        return c.sync();
    }
}
