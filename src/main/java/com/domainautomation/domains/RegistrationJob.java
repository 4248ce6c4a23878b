package com.domainautomation.domains;

import com.domainautomation.queue.JobRequest;

/** The payload of a {@code domain-registration} job: the paid domain to buy. */
public record RegistrationJob(String domainId) {
    /** The job to queue: its id dedupes it (one registration job per domain). */
    public static JobRequest of(String domainId) {
        return JobRequest.of(new RegistrationJob(domainId), "registration:" + domainId);
    }
}
