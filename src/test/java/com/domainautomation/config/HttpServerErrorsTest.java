package com.domainautomation.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.domainautomation.support.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpServerErrorsTest {

    @ParameterizedTest
    @CsvSource({
        "400, bad_request",
        "403, forbidden",
        "404, not_found",
        "405, method_not_allowed",
        "413, body_too_large",
        "414, uri_too_long",
        "415, unsupported_media_type",
        "431, headers_too_large",
        "500, internal_error",
        "503, unavailable",
        "418, bad_request",
        "599, internal_error"
    })
    void every_status_is_the_api_error_shape(int status, String code) {
        Map<String, Object> body = Json.readMap(HttpServerErrors.body(status));

        assertEquals(code, body.get("error"));
        assertEquals(List.of(), body.get("details"));
        assertEquals(3, body.size(), body.toString());
        assertEquals(String.class, body.get("message").getClass());
    }
}
