package com.domainautomation.domains;

import java.util.List;
import java.util.Locale;

/** GoDaddy's free-text domain status, read by prefix family (there are over 200 values). */
public final class RegistrarStatus {
    private static final List<String> NOT_OURS =
            List.of("FAILED", "CANCELLED", "TRANSFERRED", "DELETED", "REVERTED", "UNKNOWN");

    private RegistrarStatus() {}

    /** True when a domain in this status is in our account (ACTIVE, PENDING*, AWAITING*, LOCKED*, ...). */
    public static boolean owned(String status) {
        if (status == null || status.isBlank() || status.equals("null")) {
            return false;
        }
        String upper = status.toUpperCase(Locale.ROOT);
        return NOT_OURS.stream().noneMatch(upper::startsWith);
    }
}
