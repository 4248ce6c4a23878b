package com.domainautomation.registrar;

import com.domainautomation.support.RetryableException;

/** The circuit breaker is open: the registrar kept failing, so calls are held back for a while. Never burns an attempt. */
public class RegistrarCircuitOpenException extends RetryableException {
    public RegistrarCircuitOpenException(String message) {
        super(message);
    }
}
