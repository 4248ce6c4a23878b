package com.domainautomation.support;

import com.domainautomation.queue.JobRequest;

/** A request taken on for later work: the 202 answer, and the job to queue before it is sent. */
public record Accepted(ApiAnswer answer, JobRequest job) {
    public static Accepted of(Object body, JobRequest job) {
        return new Accepted(ApiAnswer.accepted(body), job);
    }
}
