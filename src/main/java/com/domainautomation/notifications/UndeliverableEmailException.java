package com.domainautomation.notifications;

/** An email that can never be sent (no such client, no valid address, unknown type): failed without retry. */
public class UndeliverableEmailException extends RuntimeException {
    public UndeliverableEmailException(String message) {
        super(message);
    }
}
