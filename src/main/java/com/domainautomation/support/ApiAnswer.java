package com.domainautomation.support;

/** What an API bean answers when it is not a plain 200: the status and the body ({@link ApiResponder} writes it). */
public record ApiAnswer(int status, Object body) {
    public static ApiAnswer created(Object body) {
        return new ApiAnswer(201, body);
    }

    public static ApiAnswer accepted(Object body) {
        return new ApiAnswer(202, body);
    }
}
