package com.domainautomation.registrar;

import java.util.List;

/** The registrar refused the request for good (400/401/403/404/409/422): retrying cannot help. */
public class RegistrarRejectedException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<String> fieldPaths;

    public RegistrarRejectedException(int status, String code, String message, List<String> fieldPaths) {
        super(code + ": " + message + (fieldPaths.isEmpty() ? "" : " " + fieldPaths));
        this.status = status;
        this.code = code;
        this.fieldPaths = fieldPaths;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<String> fieldPaths() {
        return fieldPaths;
    }
}
