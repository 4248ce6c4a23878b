package com.domainautomation.transfers;

/** The payload of a {@code domain-transfer} job: the domain, and whether to send the request or check its status. */
public record TransferJob(String domainId, String action) {
    public static final String REQUEST = "request";
    public static final String CHECK = "check";

    public boolean isRequest() {
        return REQUEST.equals(action);
    }
}
