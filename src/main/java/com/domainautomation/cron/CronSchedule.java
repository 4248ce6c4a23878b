package com.domainautomation.cron;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * One cron's schedule: a Quartz cron expression read in UTC, or {@code off}. Answers the questions the run guard
 * asks: when is the next fire, and which scheduled fire was missed since the last one that ran.
 */
public final class CronSchedule {
    public static final String OFF = "off";
    /** An hourly cron down for a year is 8,784 fires. */
    private static final int MAX_STEPS = 20_000;

    private final String name;
    private final String expression;
    private final CronExpression cron;

    public CronSchedule(String name, String expression) {
        this.name = name;
        this.expression = expression.trim();
        if (OFF.equalsIgnoreCase(this.expression)) {
            this.cron = null;
            return;
        }
        try {
            this.cron = new CronExpression(this.expression);
        } catch (ParseException e) {
            throw new IllegalArgumentException("'" + expression
                    + "' is not a cron expression (6 or 7 fields, seconds first, e.g. 0 0 2 * * ?): " + e.getMessage());
        }
        this.cron.setTimeZone(TimeZone.getTimeZone("UTC"));
    }

    public String name() {
        return name;
    }

    public String expression() {
        return expression;
    }

    public boolean enabled() {
        return cron != null;
    }

    public Optional<Instant> nextAfter(Instant time) {
        if (cron == null) {
            return Optional.empty();
        }
        Date next = cron.getTimeAfter(Date.from(time));
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    /**
     * The latest scheduled fire in {@code (since, now]}: a fire that should have happened after {@code since}. Looks
     * back at most a year; a schedule that fires very often is searched over the last hour only.
     */
    public Optional<Instant> latestFireBetween(Instant since, Instant now) {
        Instant yearAgo = now.minusSeconds(366L * 24 * 3600);
        Optional<Instant> latest = scan(since.isAfter(yearAgo) ? since : yearAgo, now);
        if (latest == null) {
            Instant hourAgo = now.minusSeconds(3600);
            latest = scan(since.isAfter(hourAgo) ? since : hourAgo, now);
        }
        return latest == null ? Optional.empty() : latest;
    }

    /** null when the scan gave up (too many fires). */
    private Optional<Instant> scan(Instant from, Instant now) {
        Instant latest = null;
        Instant cursor = from;
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<Instant> next = nextAfter(cursor);
            if (next.isEmpty() || next.get().isAfter(now)) {
                return Optional.ofNullable(latest);
            }
            latest = next.get();
            cursor = latest;
        }
        return null;
    }
}
