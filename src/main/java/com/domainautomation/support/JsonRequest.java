package com.domainautomation.support;

import org.apache.camel.Exchange;

/**
 * A request's body as it came, with the headers that say how to read it. An API bean takes it as {@code @Body
 * JsonRequest request} (a type converter makes it with {@link #of}; null when the request has no body) and reads it
 * strictly with {@link Requests#jsonObject(JsonRequest, String)} or {@link Requests#json(JsonRequest, String)}.
 */
public record JsonRequest(byte[] bytes, String contentType, String contentEncoding) {

    public static JsonRequest of(Exchange exchange) {
        return new JsonRequest(
                exchange.getMessage().getBody(byte[].class),
                exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class),
                exchange.getMessage().getHeader("Content-Encoding", String.class));
    }
}
