package com.domainautomation.transfers;

import java.util.Locale;

/** A sentence for the owner about a GoDaddy transfer status, read by prefix family (there are dozens of values). */
public final class TransferStatusText {
    private TransferStatusText() {}

    public static String describe(String status) {
        String s = status == null ? "" : status.toUpperCase(Locale.ROOT);
        if (s.startsWith("AWAITING_TRANSFER_IN_AUTH")) {
            return "The registrar is waiting for a valid authorization (EPP) code.";
        }
        if (s.startsWith("AWAITING_TRANSFER_IN_ACK") || s.startsWith("PENDING_TRANSFER_IN_ACK")) {
            return "The current registrar has been asked to release the domain and has not answered yet.";
        }
        if (s.startsWith("AWAITING_TRANSFER_IN_WHOIS")) {
            return "The transfer waits for the registrant's WHOIS details to be confirmed.";
        }
        if (s.startsWith("PENDING_TRANSFER_IN_LOCK") || s.contains("LOCK")) {
            return "The domain is locked at its current registrar; it must be unlocked there.";
        }
        if (s.startsWith("AWAITING") || s.startsWith("PENDING")) {
            return "The transfer is in progress at the registry.";
        }
        return "The registrar reports " + status + ".";
    }
}
