package com.domainautomation.domains;

/**
 * The rule every paid registrar call that is not idempotent follows (a purchase, a renewal, a transfer request): once
 * an attempt may have reached the registrar, a later attempt asks the registrar first instead of calling again.
 */
public final class NotTwice {
    private NotTwice() {}

    /**
     * A job's first step: {@code skip} when it has nothing to do (settled already, or not its to settle); {@code ask}
     * after an earlier attempt; else {@code call}.
     */
    public static <S> S firstStep(boolean pendingAndLeased, int attempts, S skip, S ask, S call) {
        if (!pendingAndLeased) {
            return skip;
        }
        return attempts > 0 ? ask : call;
    }
}
