package com.domainautomation.transfers;

import com.domainautomation.domains.NotTwice;
import com.domainautomation.domains.RegistrarStatus;
import java.util.Locale;

/**
 * The decisions of a transfer job. A job is the transfer request ({@code request}: not idempotent, so a retry first
 * asks whether the registrar knows the domain in our account) or a status check ({@code check}), repeated while the
 * transfer is pending.
 */
public final class TransferSteps {
    public enum Step {
        /** nothing to do: settled, requested already, or checked a moment ago by another chain of checks */
        SKIP,
        /** ask the registrar whether a request whose answer was lost went through */
        RECONCILE,
        REQUEST,
        /** the request went through: pending from now on, the first check queued */
        REQUESTED,
        CHECK,
        /** still pending at the registrar: the next check, later */
        PENDING,
        /** still pending, in a new registrar status: the owner hears of it, and the checks go on */
        UPDATE,
        /** active in our account: charge settled, the owner emailed, the domain active */
        COMPLETE,
        /** refund, free the name, email the owner, the domain failed */
        FAIL
    }

    private TransferSteps() {}

    /**
     * With the domain leased ({@code pendingTransfer}: it is a pending transfer and this job holds its lease).
     * {@code checkedRecently}: its last check is less than half a check interval old.
     */
    public static Step atStart(
            boolean pendingTransfer,
            boolean request,
            String transferStatus,
            int transferAttempts,
            boolean checkedRecently) {
        if (!pendingTransfer) {
            return Step.SKIP;
        }
        if (request) {
            // not "requested" any more: the request was made already
            return NotTwice.firstStep(
                    "requested".equals(transferStatus), transferAttempts, Step.SKIP, Step.RECONCILE, Step.REQUEST);
        }
        return checkedRecently ? Step.SKIP : Step.CHECK;
    }

    /** After asking the registrar: {@code registrarStatus} is null when the domain is not in our account. */
    public static Step afterReconcile(String registrarStatus) {
        return RegistrarStatus.owned(registrarStatus) ? Step.REQUESTED : Step.REQUEST;
    }

    /**
     * After a status check: ACTIVE means complete; a status of the not-ours families (FAILED, CANCELLED, …) means
     * failed; anything else (PENDING*, AWAITING*, or not visible yet) is still pending, with an email when the status
     * is new.
     */
    public static Step afterCheck(String registrarStatus, String previousStatus) {
        String status = registrarStatus == null ? "" : registrarStatus.toUpperCase(Locale.ROOT);
        if (status.startsWith("ACTIVE")) {
            return Step.COMPLETE;
        }
        if (!status.isEmpty() && !RegistrarStatus.owned(status)) {
            return Step.FAIL;
        }
        if (!status.isEmpty() && !status.equals(previousStatus)) {
            return Step.UPDATE;
        }
        return Step.PENDING;
    }

    /** Giving up (a request refused or never answered): fail what is still pending. */
    public static Step atGiveUp(boolean pending) {
        return pending ? Step.FAIL : Step.SKIP;
    }
}
