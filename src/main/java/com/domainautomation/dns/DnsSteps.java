package com.domainautomation.dns;

/**
 * The decisions of a DNS job: it applies the OLDEST pending change of its domain, holding the domain's DNS lease, so
 * the changes of one domain apply in order and never at once.
 */
public final class DnsSteps {
    public enum Step {
        /** nothing to do: the domain is gone or has no pending change (an earlier job applied it) */
        SKIP,
        /** add or update records: a read-modify-PUT per type and name (GoDaddy's records have no ids) */
        UPSERT,
        /** replace every record */
        REPLACE,
        /** delete the records of a type and name */
        DELETE,
        /** the change failed for good: marked failed, the owner emailed */
        FAIL
    }

    private DnsSteps() {}

    /** {@code changeKind}: the kind of the oldest pending change, null when there is none (or no domain). */
    public static Step atStart(boolean leased, String changeKind) {
        if (!leased || changeKind == null) {
            return Step.SKIP;
        }
        return switch (changeKind) {
            case "upsert" -> Step.UPSERT;
            case "replace" -> Step.REPLACE;
            case "delete" -> Step.DELETE;
            default -> throw new IllegalArgumentException("unknown DNS change kind " + changeKind);
        };
    }

    /** Giving up: fail the change the job was applying, if it got that far. */
    public static Step atGiveUp(boolean domainKnown, boolean changeKnown) {
        return domainKnown && changeKnown ? Step.FAIL : Step.SKIP;
    }
}
