package com.domainautomation.domains;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.domainautomation.domains.RegistrationSteps.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per decision a registration job makes (null in a row: not known / not asked). */
class RegistrationStepsTest {

    @ParameterizedTest(name = "pending and leased {0}, purchase attempts {1} -> {2}")
    @CsvSource({
        "false, 0, SKIP", // settled already (active, failed) or gone
        "false, 2, SKIP",
        "true,  0, PURCHASE", // no attempt reached the registrar: buy
        "true,  1, RECONCILE", // an attempt may have bought it: ask first
        "true,  3, RECONCILE",
    })
    void at_start(boolean pendingAndLeased, int attempts, Step expected) {
        assertEquals(expected, RegistrationSteps.atStart(pendingAndLeased, attempts));
    }

    @ParameterizedTest(name = "registrar status {0} -> {1}")
    @CsvSource({
        ", PURCHASE", // not in our account
        "ACTIVE, ACTIVATE",
        "PENDING_SETUP, ACTIVATE", // ours, still being set up
        "CANCELLED, PURCHASE", // listed, but not ours any more
        "FAILED_REGISTRATION, PURCHASE",
    })
    void after_reconcile(String registrarStatus, Step expected) {
        assertEquals(expected, RegistrationSteps.afterReconcile(registrarStatus));
    }

    @ParameterizedTest(name = "pending {0}, held by another job {1}, attempts {2} -> last look {3}")
    @CsvSource({
        "false, false, 1, false",
        "true,  true,  1, false", // the other job will settle it
        "true,  false, 0, false", // nothing can have been bought
        "true,  false, 1, true",
    })
    void last_look(boolean pending, boolean held, int attempts, boolean expected) {
        assertEquals(expected, RegistrationSteps.needsLastLook(pending, held, attempts));
    }

    @ParameterizedTest(name = "pending {0}, held by another job {1}, registrar status {2} -> {3}")
    @CsvSource({
        "false, false, , SKIP", // settled already
        "true,  true,  , SKIP", // another live job holds it
        "true,  false, , FAIL", // not bought (or not asked, or no answer): refund
        "true,  false, ACTIVE, ACTIVATE", // an attempt we never heard back from bought it
        "true,  false, CANCELLED, FAIL",
    })
    void at_give_up(boolean pending, boolean held, String registrarStatus, Step expected) {
        assertEquals(expected, RegistrationSteps.atGiveUp(pending, held, registrarStatus));
    }
}
