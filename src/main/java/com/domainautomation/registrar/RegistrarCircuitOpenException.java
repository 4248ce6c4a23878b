package com.domainautomation.registrar;

import com.domainautomation.queue.JobPutBackException;

/** The circuit breaker is open: the registrar kept failing, so calls are held back for a while. Never burns an attempt. */
public class RegistrarCircuitOpenException extends JobPutBackException {
    public RegistrarCircuitOpenException(String message, long retryAfterMillis) {
        super(message, retryAfterMillis);
    }

    public RegistrarCircuitOpenException(String message, long retryAfterMillis, Throwable cause) {
        super(message, retryAfterMillis);
        initCause(cause);
    }
}
