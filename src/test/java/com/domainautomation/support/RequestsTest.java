package com.domainautomation.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestsTest {
    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    private static Exchange request(byte[] body, String contentType, String encoding) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.getMessage().setBody(body);
        if (contentType != null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        if (encoding != null) {
            exchange.getMessage().setHeader("Content-Encoding", encoding);
        }
        return exchange;
    }

    private static Exchange json(String body) {
        return request(body.getBytes(StandardCharsets.UTF_8), "application/json", null);
    }

    private static ApiException refused(Exchange exchange) {
        return assertThrows(ApiException.class, () -> Requests.jsonObject(JsonRequest.of(exchange), "{}"));
    }

    @Test
    void one_json_object_is_read() {
        assertEquals(
                Map.of("amount", "12.34", "items", List.of(Map.of("a", 1))),
                Requests.jsonObject(JsonRequest.of(json("{\"amount\": \"12.34\", \"items\": [{\"a\": 1}]}\n")), "{}"));
        assertEquals(
                Map.of("a", "é"),
                Requests.jsonObject(
                        JsonRequest.of(request(
                                "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8),
                                "application/json; charset=UTF-8",
                                "identity")),
                        "{}"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1} x",
                "{\"a\":1}{\"a\":1}",
                "{\"a\":1} {}",
                "{\"a\":1,\"a\":2}",
                "{\"a\":{\"b\":1,\"b\":1}}",
                "{\"a\":1,}",
                "{'a':1}",
                "{\"a\":NaN}",
                "{\"a\":1} // comment",
                "[1]",
                "\"text\"",
                "12",
                "null",
                "",
                "  ",
                "{"
            })
    void anything_but_one_well_formed_object_is_a_400(String body) {
        ApiException e = refused(json(body));
        assertEquals(400, e.status(), body);
        assertEquals("invalid_json", e.body().get("error"), body);
    }

    @Test
    void invalid_utf8_is_a_400_not_replacement_characters() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ApiException e = refused(request(body, "application/json", null));
        assertEquals(400, e.status());
        assertEquals("invalid_utf8", e.body().get("error"));
    }

    @Test
    void deep_nesting_is_a_400() {
        String deep = "{\"a\":".repeat(Requests.MAX_DEPTH + 1) + "1" + "}".repeat(Requests.MAX_DEPTH + 1);
        assertEquals(400, refused(json(deep)).status());
        String allowed = "{\"a\":".repeat(Requests.MAX_DEPTH - 1) + "1" + "}".repeat(Requests.MAX_DEPTH - 1);
        Requests.jsonObject(JsonRequest.of(json(allowed)), "{}");
    }

    @Test
    void a_body_over_the_limit_is_a_413() {
        String big = "{\"a\":\"" + "x".repeat(Requests.MAX_BODY_BYTES) + "\"}";
        ApiException e = refused(json(big));
        assertEquals(413, e.status());
        assertEquals("body_too_large", e.body().get("error"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/plain",
                "application/x-www-form-urlencoded",
                "application/json; charset=iso-8859-1",
                "application/jsonx",
                "application/json; boundary=x",
                "multipart/form-data"
            })
    void a_body_not_declared_as_utf8_json_is_a_415(String contentType) {
        ApiException e = refused(request("{}".getBytes(StandardCharsets.UTF_8), contentType, null));
        assertEquals(415, e.status(), contentType);
        assertEquals("unsupported_media_type", e.body().get("error"));
    }

    @Test
    void a_body_without_content_type_or_with_an_encoding_is_a_415() {
        assertEquals(
                415,
                refused(request("{}".getBytes(StandardCharsets.UTF_8), null, null))
                        .status());
        for (String encoding : List.of("gzip", "deflate", "br", "identity, gzip")) {
            assertEquals(
                    415,
                    refused(request("{}".getBytes(StandardCharsets.UTF_8), "application/json", encoding))
                            .status(),
                    encoding);
        }
    }
}
