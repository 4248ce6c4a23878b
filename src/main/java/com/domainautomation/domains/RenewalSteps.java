package com.domainautomation.domains;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The decisions of a renewal job. A v1 renewal is not idempotent (a retry could renew, and charge, twice): once an
 * attempt may have reached the registrar, the registrar's {@code expires} is compared with the expiry recorded before
 * the first call; if it moved, the renewal happened.
 */
public final class RenewalSteps {
    public enum Step {
        /** nothing to do: the renewal is settled already */
        SKIP,
        /** compare the registrar's expiry with the one before our first call */
        RECONCILE,
        RENEW,
        /** it is renewed: record it, email the owner, store the new expiry */
        FINISH,
        /** refund, email the owner, mark the renewal failed */
        FAIL
    }

    private RenewalSteps() {}

    /** With the domain's renewal lease taken (or not: the renewal is no longer pending). */
    public static Step atStart(boolean pendingAndLeased, int renewAttempts) {
        return NotTwice.firstStep(pendingAndLeased, renewAttempts, Step.SKIP, Step.RECONCILE, Step.RENEW);
    }

    /** The registrar's expiry against the one before our first call (either may be unknown: null). */
    public static boolean renewedAlready(Instant registrarExpires, Instant expiresBeforeCall) {
        return registrarExpires != null && expiresBeforeCall != null && registrarExpires.isAfter(expiresBeforeCall);
    }

    public static Step afterReconcile(Instant registrarExpires, Instant expiresBeforeCall) {
        return renewedAlready(registrarExpires, expiresBeforeCall) ? Step.FINISH : Step.RENEW;
    }

    /** Giving up: the last look is needed only when an attempt may have renewed it. */
    public static boolean needsLastLook(boolean pending, int renewAttempts) {
        return pending && renewAttempts > 0;
    }

    /** Giving up, after the last look ({@code registrarExpires} null when not asked or the registrar did not answer). */
    public static Step atGiveUp(boolean pending, Instant registrarExpires, Instant expiresBeforeCall) {
        if (!pending) {
            return Step.SKIP;
        }
        return renewedAlready(registrarExpires, expiresBeforeCall) ? Step.FINISH : Step.FAIL;
    }

    /**
     * The new expiry: the registrar's when it moved past ours, else ours plus the years renewed (the registrar's
     * answer was lost or unreadable). {@code current} is null for a domain without an expiry (then from {@code now}).
     */
    public static Instant newExpiry(Instant registrarExpires, Instant current, Instant now, int years) {
        Instant previous = current == null ? now : current;
        return registrarExpires != null && registrarExpires.isAfter(previous)
                ? registrarExpires
                : previous.atZone(ZoneOffset.UTC).plusYears(years).toInstant();
    }
}
