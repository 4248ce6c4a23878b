package com.domainautomation.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.domainautomation.transfers.TransferSteps.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per decision a transfer job makes (an empty cell: not known / none). */
class TransferStepsTest {

    @ParameterizedTest(
            name = "pending transfer {0}, request {1}, status {2}, attempts {3}, checked recently {4} -> {5}")
    @CsvSource({
        "false, true,  requested, 0, false, SKIP", // settled, or not a transfer
        "false, false, pending,   0, false, SKIP",
        "true,  true,  pending,   0, false, SKIP", // the request was made already
        "true,  true,  requested, 0, false, REQUEST",
        "true,  true,  requested, 1, false, RECONCILE", // a request may have gone through: ask first
        "true,  false, pending,   0, false, CHECK",
        "true,  false, stalled,   0, false, CHECK",
        "true,  false, pending,   0, true,  SKIP", // another chain of checks looked a moment ago
    })
    void at_start(boolean pending, boolean request, String status, int attempts, boolean recently, Step expected) {
        assertEquals(expected, TransferSteps.atStart(pending, request, status, attempts, recently));
    }

    @ParameterizedTest(name = "registrar status {0} -> {1}")
    @CsvSource({", REQUEST", "PENDING_TRANSFER, REQUESTED", "ACTIVE, REQUESTED", "CANCELLED, REQUEST"})
    void after_reconcile(String registrarStatus, Step expected) {
        assertEquals(expected, TransferSteps.afterReconcile(registrarStatus));
    }

    @ParameterizedTest(name = "registrar status {0}, previous {1} -> {2}")
    @CsvSource({
        "ACTIVE, PENDING_TRANSFER, COMPLETE",
        "active, , COMPLETE", // status families are read case-insensitively
        "CANCELLED_TRANSFER, PENDING_TRANSFER, FAIL",
        "FAILED_TRANSFER, , FAIL",
        "TRANSFERRED_OUT, , FAIL",
        "PENDING_TRANSFER, PENDING_TRANSFER, PENDING", // no news: the next check later
        ", PENDING_TRANSFER, PENDING", // not visible yet
        "AWAITING_AUTH, PENDING_TRANSFER, UPDATE", // a new status: the owner hears of it
        "PENDING_TRANSFER, , UPDATE",
    })
    void after_check(String registrarStatus, String previous, Step expected) {
        assertEquals(expected, TransferSteps.afterCheck(registrarStatus, previous));
    }

    @ParameterizedTest(name = "pending {0} -> {1}")
    @CsvSource({"true, FAIL", "false, SKIP"})
    void at_give_up(boolean pending, Step expected) {
        assertEquals(expected, TransferSteps.atGiveUp(pending));
    }
}
