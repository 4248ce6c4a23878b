package com.domainautomation.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpiryRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T02:00:00Z");
    private final ExpiryRules rules = new ExpiryRules(3, 30);

    private Optional<ExpiryRules.Notice> active(Duration left, Integer lastStage) {
        return rules.decide("active", NOW.plus(left), lastStage, NOW);
    }

    @Test
    void each_threshold_is_sent_when_reached_with_its_priority() {
        ExpiryRules.Notice thirty = active(Duration.ofDays(30), null).orElseThrow();
        assertEquals(new ExpiryRules.Notice(ExpiryRules.Kind.EXPIRING, 30, 30, 3), thirty);
        assertEquals(
                new ExpiryRules.Notice(ExpiryRules.Kind.EXPIRING, 7, 7, 2),
                active(Duration.ofDays(7), 30).orElseThrow());
        assertEquals(
                new ExpiryRules.Notice(ExpiryRules.Kind.EXPIRING, 1, 1, 1),
                active(Duration.ofHours(20), 7).orElseThrow());
    }

    @Test
    void nothing_is_sent_before_30_days_or_twice_for_a_threshold() {
        assertTrue(active(Duration.ofDays(30).plusMinutes(1), null).isEmpty());
        assertTrue(active(Duration.ofDays(29), 30).isEmpty(), "30-day notice already sent");
        assertTrue(active(Duration.ofDays(6), 7).isEmpty(), "7-day notice already sent");
        assertTrue(active(Duration.ofHours(5), 1).isEmpty(), "1-day notice already sent");
        assertTrue(
                active(Duration.ofDays(20), 7).isEmpty(),
                "a nearer threshold was sent: the farther one is not sent after it");
    }

    @Test
    void a_missed_threshold_is_sent_late_with_the_true_days_left_and_a_passed_one_is_skipped() {
        // the app was down at 30 days: on day 25 the 30-day notice goes out, saying 25 days
        assertEquals(
                new ExpiryRules.Notice(ExpiryRules.Kind.EXPIRING, 30, 25, 3),
                active(Duration.ofDays(25), null).orElseThrow());
        // a domain bought 5 days before its expiry gets the 7-day notice only
        assertEquals(7, active(Duration.ofDays(5), null).orElseThrow().stage());
        // 29 days and 1 hour left reads as 30 days
        assertEquals(
                30, active(Duration.ofDays(29).plusHours(1), null).orElseThrow().days());
    }

    @Test
    void an_active_domain_past_its_expiry_is_marked_expired() {
        assertEquals(
                new ExpiryRules.Notice(ExpiryRules.Kind.EXPIRED, ExpiryRules.EXPIRED, 0, 1),
                active(Duration.ZERO, 1).orElseThrow());
        assertEquals(
                ExpiryRules.Kind.EXPIRED,
                active(Duration.ofDays(-2), null).orElseThrow().kind());
    }

    @Test
    void one_more_notice_after_expiry_while_still_renewable() {
        Instant expired = NOW.minus(Duration.ofDays(3));
        assertEquals(
                new ExpiryRules.Notice(ExpiryRules.Kind.AFTER_EXPIRY, ExpiryRules.AFTER_EXPIRY, 3, 2),
                rules.decide("expired", expired, ExpiryRules.EXPIRED, NOW).orElseThrow());
        assertTrue(
                rules.decide("expired", NOW.minus(Duration.ofDays(2)), ExpiryRules.EXPIRED, NOW)
                        .isEmpty(),
                "too early");
        assertTrue(
                rules.decide("expired", expired, ExpiryRules.AFTER_EXPIRY, NOW).isEmpty(), "sent already");
        assertTrue(
                rules.decide("expired", NOW.minus(Duration.ofDays(30)), ExpiryRules.EXPIRED, NOW)
                        .isEmpty(),
                "no longer renewable");
    }

    @Test
    void other_states_get_nothing() {
        assertTrue(
                rules.decide("pending", NOW.plus(Duration.ofDays(1)), null, NOW).isEmpty());
        assertTrue(
                rules.decide("failed", NOW.minus(Duration.ofDays(1)), null, NOW).isEmpty());
        assertTrue(rules.decide("active", null, null, NOW).isEmpty());
    }

    @Test
    void the_post_expiry_notice_must_fall_within_five_days() {
        assertThrows(IllegalArgumentException.class, () -> new ExpiryRules(6, 30));
        assertThrows(IllegalArgumentException.class, () -> new ExpiryRules(0, 30));
        assertThrows(IllegalArgumentException.class, () -> new ExpiryRules(5, 5));
    }
}
