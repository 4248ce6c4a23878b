package com.domainautomation.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.RetryableException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoDaddyResponsesTest {
    private final GoDaddyResponses responses = new GoDaddyResponses();

    /** An answer as the HTTP endpoint leaves it: the status header and the body text. */
    private record Answer(Integer status, String body) {}

    private static Answer answer(Integer status, String body) {
        return new Answer(status, body);
    }

    @Test
    void success_turns_the_json_body_into_a_map() {
        Answer exchange = answer(200, "{\"domain\":\"example.com\",\"status\":\"ACTIVE\",\"nameServers\":[\"ns1\"]}");
        Object result = responses.requireSuccess(exchange.status(), exchange.body());
        Map<?, ?> body = assertInstanceOf(Map.class, result);
        assertEquals("example.com", body.get("domain"));
        assertEquals("ACTIVE", body.get("status"));
        assertEquals(List.of("ns1"), body.get("nameServers"));
    }

    @Test
    void success_with_empty_body_gives_an_empty_map() {
        Answer exchange = answer(204, "");
        Object result = responses.requireSuccess(exchange.status(), exchange.body());
        assertEquals(Map.of(), result);
    }

    @Test
    void too_many_requests_is_unavailable_with_retry_after() {
        Answer exchange =
                answer(429, "{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"slow down\",\"retryAfterSec\":30}");
        RegistrarUnavailableException e = assertThrows(
                RegistrarUnavailableException.class,
                () -> responses.requireSuccess(exchange.status(), exchange.body()));
        assertEquals(429, e.status());
        assertEquals(30, e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("TOO_MANY_REQUESTS"), e.getMessage());
        assertInstanceOf(RetryableException.class, e);
    }

    @Test
    void server_error_with_non_json_body_is_unavailable() {
        Answer exchange = answer(503, "<html><body>Service Unavailable</body></html>");
        RegistrarUnavailableException e = assertThrows(
                RegistrarUnavailableException.class,
                () -> responses.requireSuccess(exchange.status(), exchange.body()));
        assertEquals(503, e.status());
        assertNull(e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("HTTP_503"), e.getMessage());
        assertTrue(e.getMessage().contains("Service Unavailable"), e.getMessage());
    }

    @Test
    void long_non_json_error_body_is_abbreviated() {
        Answer exchange = answer(502, "x".repeat(1000));
        RegistrarUnavailableException e = assertThrows(
                RegistrarUnavailableException.class,
                () -> responses.requireSuccess(exchange.status(), exchange.body()));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void client_error_is_rejected_with_code_and_field_paths() {
        Answer exchange = answer(
                422,
                "{\"code\":\"UNAVAILABLE_DOMAIN\",\"message\":\"The domain is not available\","
                        + "\"fields\":[{\"path\":\"domain\",\"code\":\"X\"}]}");
        RegistrarRejectedException e = assertThrows(
                RegistrarRejectedException.class, () -> responses.requireSuccess(exchange.status(), exchange.body()));
        assertEquals(422, e.status());
        assertEquals("UNAVAILABLE_DOMAIN", e.code());
        assertEquals(List.of("domain"), e.fieldPaths());
        assertTrue(e.getMessage().contains("The domain is not available"), e.getMessage());
    }

    @Test
    void field_messages_are_appended_to_their_paths() {
        Answer exchange = answer(
                400,
                "{\"code\":\"INVALID_BODY\",\"message\":\"bad\",\"fields\":["
                        + "{\"path\":\"contactAdmin.phone\",\"code\":\"PHONE\",\"message\":\"is not a phone\"},{\"code\":\"NO_PATH\"}]}");
        RegistrarRejectedException e = assertThrows(
                RegistrarRejectedException.class, () -> responses.requireSuccess(exchange.status(), exchange.body()));
        assertEquals(List.of("contactAdmin.phone is not a phone"), e.fieldPaths());
    }

    @Test
    void client_error_without_code_uses_the_http_status() {
        Answer exchange = answer(403, "Forbidden");
        RegistrarRejectedException e = assertThrows(
                RegistrarRejectedException.class, () -> responses.requireSuccess(exchange.status(), exchange.body()));
        assertEquals("HTTP_403", e.code());
        assertEquals(List.of(), e.fieldPaths());
    }

    @Test
    void missing_status_is_unavailable() {
        Answer exchange = answer(null, "{}");
        RegistrarUnavailableException e = assertThrows(
                RegistrarUnavailableException.class,
                () -> responses.requireSuccess(exchange.status(), exchange.body()));
        assertEquals(0, e.status());
    }

    @Test
    void lookup_of_a_domain_not_in_the_account_gives_null_body() {
        Answer exchange = answer(404, "{\"code\":\"NOT_FOUND\",\"message\":\"Domain not found\"}");
        Object result = responses.domainOrNull(exchange.status(), exchange.body());
        assertNull(result);
    }

    @Test
    void lookup_of_an_owned_domain_gives_the_map() {
        Answer exchange = answer(200, "{\"domain\":\"example.com\",\"status\":\"ACTIVE\"}");
        Object result = responses.domainOrNull(exchange.status(), exchange.body());
        Map<?, ?> body = assertInstanceOf(Map.class, result);
        assertEquals("ACTIVE", body.get("status"));
    }

    @Test
    void lookup_failure_other_than_404_still_throws() {
        Answer exchange = answer(500, "{\"code\":\"INTERNAL_SERVER_ERROR\"}");
        assertThrows(
                RegistrarUnavailableException.class, () -> responses.domainOrNull(exchange.status(), exchange.body()));
    }
}
