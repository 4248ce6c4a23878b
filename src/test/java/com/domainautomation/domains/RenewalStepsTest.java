package com.domainautomation.domains;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.domainautomation.domains.RenewalSteps.Step;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per decision a renewal job makes (an empty cell: not known / not asked). */
class RenewalStepsTest {

    @ParameterizedTest(name = "pending and leased {0}, renew attempts {1} -> {2}")
    @CsvSource({
        "false, 0, SKIP",
        "false, 1, SKIP",
        "true,  0, RENEW",
        "true,  1, RECONCILE",
    })
    void at_start(boolean pendingAndLeased, int attempts, Step expected) {
        assertEquals(expected, RenewalSteps.atStart(pendingAndLeased, attempts));
    }

    @ParameterizedTest(name = "registrar expires {0}, before our call {1} -> {2}")
    @CsvSource({
        "2028-05-01T00:00:00Z, 2027-05-01T00:00:00Z, FINISH", // it moved: renewed already
        "2027-05-01T00:00:00Z, 2027-05-01T00:00:00Z, RENEW", // unchanged
        ", 2027-05-01T00:00:00Z, RENEW", // the registrar did not say
        "2028-05-01T00:00:00Z, , RENEW", // our expiry before the call is unknown: cannot tell
    })
    void after_reconcile(Instant registrar, Instant before, Step expected) {
        assertEquals(expected, RenewalSteps.afterReconcile(registrar, before));
    }

    @ParameterizedTest(name = "pending {0}, attempts {1} -> last look {2}")
    @CsvSource({"false, 1, false", "true, 0, false", "true, 1, true"})
    void last_look(boolean pending, int attempts, boolean expected) {
        assertEquals(expected, RenewalSteps.needsLastLook(pending, attempts));
    }

    @ParameterizedTest(name = "pending {0}, registrar expires {1}, before {2} -> {3}")
    @CsvSource({
        "false, , , SKIP",
        "true, , 2027-05-01T00:00:00Z, FAIL", // not asked or no answer: refund
        "true, 2027-05-01T00:00:00Z, 2027-05-01T00:00:00Z, FAIL",
        "true, 2028-05-01T00:00:00Z, 2027-05-01T00:00:00Z, FINISH", // renewed by an attempt we never heard back from
    })
    void at_give_up(boolean pending, Instant registrar, Instant before, Step expected) {
        assertEquals(expected, RenewalSteps.atGiveUp(pending, registrar, before));
    }

    @ParameterizedTest(name = "registrar {0}, current {1}, {3} years -> {4}")
    @CsvSource({
        "2028-05-01T00:00:00Z, 2027-05-01T00:00:00Z, 2027-01-01T00:00:00Z, 1, 2028-05-01T00:00:00Z",
        ", 2027-05-01T00:00:00Z, 2027-01-01T00:00:00Z, 2, 2029-05-01T00:00:00Z", // no answer: ours + years
        "2027-05-01T00:00:00Z, 2027-05-01T00:00:00Z, 2027-01-01T00:00:00Z, 1, 2028-05-01T00:00:00Z", // not moved
        ", , 2027-01-01T00:00:00Z, 1, 2028-01-01T00:00:00Z", // no expiry of ours: from now
    })
    void new_expiry(Instant registrar, Instant current, Instant now, int years, Instant expected) {
        assertEquals(expected, RenewalSteps.newExpiry(registrar, current, now, years));
    }
}
