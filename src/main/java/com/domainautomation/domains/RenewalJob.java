package com.domainautomation.domains;

import com.domainautomation.queue.JobRequest;

/** The payload of a {@code domain-renewal} job: the paid renewal to carry out. */
public record RenewalJob(String renewalId) {
    /** The job to queue: its id dedupes it (one job per renewal). */
    public static JobRequest of(String renewalId) {
        return JobRequest.of(new RenewalJob(renewalId), "renewal:" + renewalId);
    }
}
