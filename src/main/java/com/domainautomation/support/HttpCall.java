package com.domainautomation.support;

import org.apache.camel.Exchange;

/**
 * An outgoing HTTP call as a bean describes it (method, path, JSON body or null); {@link #prepare} makes the exchange
 * that call, for an {@code http} endpoint: every header of ours is removed first, so nothing leaks to the other side.
 */
public record HttpCall(String method, String path, String body) {
    /** Exchange property in which a route keeps the call it is about to make. */
    public static final String PROPERTY = "httpCall";

    /** Route step before the {@code http} endpoint: the call in the property {@value #PROPERTY}. */
    public static void prepare(Exchange exchange) {
        HttpCall call = exchange.getProperty(PROPERTY, HttpCall.class);
        var message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_METHOD, call.method());
        message.setHeader(Exchange.HTTP_PATH, call.path());
        message.setHeader("Accept", "application/json");
        if (call.body() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(call.body());
    }
}
