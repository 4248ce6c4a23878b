package com.domainautomation.domains;

import com.domainautomation.queue.JobRequest;

/** The payload of a {@code domain-registration} job: the paid domain to buy. */
public record RegistrationJob(String domainId) {
    /** The job to queue: its id dedupes it (one registration job per domain). */
    public static JobRequest of(String domainId) {
        return JobRequest.of(new RegistrationJob(domainId), "registration:" + domainId);
    }

    /** {@link #of(String)}, found by a search for the domain's name, order or owner while it waits. */
    public static JobRequest of(Domain domain) {
        return of(domain.id()).about(domain.name(), domain.orderId(), domain.clientId());
    }
}
