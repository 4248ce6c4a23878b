package com.domainautomation.support;

import java.util.Map;
import org.apache.camel.Exchange;

/** Reading API request bodies: JSON objects only, with a clear 4xx for anything else. */
public final class Requests {
    private Requests() {}

    public static Map<String, Object> jsonObject(Exchange exchange, String example) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
        }
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object like " + example);
        }
        try {
            return Json.readMap(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object like " + example + " (" + e.getMessage() + ")");
        }
    }
}
