package com.domainautomation.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final int SAMPLES = 2_000;

    private static void assertWithinJitter(Backoff backoff, int attempt, long base) {
        long upper = base + base / 5; // at most 20% on top
        for (int i = 0; i < SAMPLES; i++) {
            long delay = backoff.delayAfter(attempt);
            assertTrue(
                    delay >= base && delay <= upper,
                    "attempt " + attempt + ": " + delay + " not within [" + base + ", " + upper + "]");
        }
    }

    @Test
    void first_retry_waits_the_base_delay_plus_jitter() {
        assertWithinJitter(new Backoff(1_000, 1_000_000), 1, 1_000);
    }

    @Test
    void delays_grow_exponentially() {
        Backoff backoff = new Backoff(1_000, 1_000_000_000);
        for (int attempt = 1; attempt <= 10; attempt++) {
            assertWithinJitter(backoff, attempt, 1_000L << (attempt - 1));
        }
    }

    @Test
    void each_delay_is_at_least_the_previous_base_doubled() {
        Backoff backoff = new Backoff(500, 10_000_000);
        for (int attempt = 2; attempt <= 12; attempt++) {
            long previousMax = 0;
            long currentMin = Long.MAX_VALUE;
            for (int i = 0; i < 200; i++) {
                previousMax = Math.max(previousMax, backoff.delayAfter(attempt - 1));
                currentMin = Math.min(currentMin, backoff.delayAfter(attempt));
            }
            assertTrue(
                    currentMin > previousMax,
                    "attempt " + attempt + " min " + currentMin + " <= previous max " + previousMax);
        }
    }

    @Test
    void never_exceeds_the_cap() {
        Backoff backoff = new Backoff(2_000, 900_000);
        for (int attempt = 1; attempt <= 100; attempt++) {
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delayAfter(attempt);
                assertTrue(delay <= 900_000, "attempt " + attempt + ": " + delay);
                assertTrue(delay >= 2_000, "attempt " + attempt + ": " + delay);
            }
        }
    }

    @Test
    void capped_delay_is_exactly_the_cap() {
        Backoff backoff = new Backoff(2_000, 900_000);
        for (int i = 0; i < SAMPLES; i++) {
            assertEquals(900_000, backoff.delayAfter(20));
        }
    }

    @Test
    void jitter_spreads_delays_over_the_twenty_percent_band() {
        Backoff backoff = new Backoff(10_000, 1_000_000);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            long delay = backoff.delayAfter(1);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        // With 2000 uniform samples, both ends of [10000, 12000) are reached to within a few percent.
        assertTrue(min < 10_200, "smallest delay " + min);
        assertTrue(max > 11_800, "largest delay " + max);
    }

    @Test
    void huge_attempt_numbers_do_not_overflow() {
        Backoff backoff = new Backoff(2_000, 900_000);
        assertEquals(900_000, backoff.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void attempt_zero_or_negative_waits_the_base_delay() {
        Backoff backoff = new Backoff(1_000, 1_000_000);
        assertWithinJitter(backoff, 0, 1_000);
        assertWithinJitter(backoff, -5, 1_000);
    }
}
