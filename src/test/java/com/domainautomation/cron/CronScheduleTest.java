package com.domainautomation.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private final CronSchedule nightly = new CronSchedule("domain-expiry", "0 0 2 * * ?");

    @Test
    void schedules_are_read_in_utc() {
        assertEquals(
                Optional.of(Instant.parse("2026-03-02T02:00:00Z")),
                nightly.nextAfter(Instant.parse("2026-03-01T02:00:00Z")));
        assertEquals(
                Optional.of(Instant.parse("2026-03-01T02:00:00Z")),
                nightly.nextAfter(Instant.parse("2026-03-01T01:59:59Z")));
    }

    @Test
    void the_latest_missed_fire_is_found() {
        Instant lastRun = Instant.parse("2026-02-26T02:00:00Z");
        assertEquals(
                Optional.of(Instant.parse("2026-03-01T02:00:00Z")),
                nightly.latestFireBetween(lastRun, Instant.parse("2026-03-01T09:30:00Z")),
                "three nights down: the last one runs");
        assertEquals(
                Optional.empty(),
                nightly.latestFireBetween(Instant.parse("2026-03-01T02:00:00Z"), Instant.parse("2026-03-02T01:59:00Z")),
                "nothing missed");
        CronSchedule everySecond = new CronSchedule("busy", "* * * * * ?");
        assertEquals(
                Optional.of(Instant.parse("2026-03-01T09:30:00Z")),
                everySecond.latestFireBetween(
                        Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-03-01T09:30:00.500Z")),
                "a very frequent schedule down for a long time still answers");
    }

    @Test
    void off_disables_and_a_bad_expression_is_refused() {
        CronSchedule off = new CronSchedule("auto-renew", "off");
        assertFalse(off.enabled());
        assertEquals(Optional.empty(), off.nextAfter(Instant.now()));
        assertTrue(nightly.enabled());
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> new CronSchedule("x", "0 2 * *"));
        assertTrue(bad.getMessage().contains("not a cron expression"), bad.getMessage());
    }
}
