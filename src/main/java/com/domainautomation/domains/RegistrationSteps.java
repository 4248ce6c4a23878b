package com.domainautomation.domains;

/**
 * The decisions of a registration job, each a function of what the job knows at that point. A purchase at GoDaddy v1
 * is not idempotent: once an attempt may have reached the registrar, the registrar is asked before buying again.
 */
public final class RegistrationSteps {
    public enum Step {
        /** nothing to do: settled already, or another job holds it and will settle it */
        SKIP,
        /** ask the registrar whether an earlier attempt bought it */
        RECONCILE,
        PURCHASE,
        /** it is ours: record it, email the owner, mark it active */
        ACTIVATE,
        /** refund, free the name, email the owner, mark it failed */
        FAIL
    }

    private RegistrationSteps() {}

    /** With the domain leased (or not: it is no longer pending, or gone). */
    public static Step atStart(boolean pendingAndLeased, int purchaseAttempts) {
        return NotTwice.firstStep(pendingAndLeased, purchaseAttempts, Step.SKIP, Step.RECONCILE, Step.PURCHASE);
    }

    /** After asking the registrar: {@code registrarStatus} is null when the domain is not in our account. */
    public static Step afterReconcile(String registrarStatus) {
        return registrarStatus != null && RegistrarStatus.owned(registrarStatus) ? Step.ACTIVATE : Step.PURCHASE;
    }

    /** Giving up: does the last look at the registrar need to happen? Only when an attempt may have bought it. */
    public static boolean needsLastLook(boolean pending, boolean heldByAnotherJob, int purchaseAttempts) {
        return pending && !heldByAnotherJob && purchaseAttempts > 0;
    }

    /**
     * Giving up, after the last look ({@code registrarStatus}: null when not asked, not ours, or the registrar could
     * not answer, which all count as "not bought").
     */
    public static Step atGiveUp(boolean pending, boolean heldByAnotherJob, String registrarStatus) {
        if (!pending || heldByAnotherJob) {
            return Step.SKIP;
        }
        return registrarStatus != null && RegistrarStatus.owned(registrarStatus) ? Step.ACTIVATE : Step.FAIL;
    }
}
