package com.domainautomation.support;

import java.util.Map;

/** A request taken on for later work: the 202 answer, and the job to queue before it is sent. */
public record Accepted(ApiAnswer answer, Map<String, Object> job) {
    public static Accepted of(Object body, Map<String, Object> job) {
        return new Accepted(ApiAnswer.accepted(body), job);
    }
}
