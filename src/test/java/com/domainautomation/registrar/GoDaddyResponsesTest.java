package com.domainautomation.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.RetryableException;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GoDaddyResponsesTest {
    private static CamelContext context;
    private final GoDaddyResponses responses = new GoDaddyResponses();

    @BeforeAll
    static void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterAll
    static void closeContext() throws Exception {
        context.close();
    }

    private static Exchange answer(Integer status, String body) {
        Exchange exchange = new DefaultExchange(context);
        if (status != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @Test
    void success_turns_the_json_body_into_a_map() {
        Exchange exchange = answer(200, "{\"domain\":\"example.com\",\"status\":\"ACTIVE\",\"nameServers\":[\"ns1\"]}");
        responses.requireSuccess(exchange);
        Map<?, ?> body = assertInstanceOf(Map.class, exchange.getMessage().getBody());
        assertEquals("example.com", body.get("domain"));
        assertEquals("ACTIVE", body.get("status"));
        assertEquals(List.of("ns1"), body.get("nameServers"));
    }

    @Test
    void success_with_empty_body_gives_an_empty_map() {
        Exchange exchange = answer(204, "");
        responses.requireSuccess(exchange);
        assertEquals(Map.of(), exchange.getMessage().getBody());
    }

    @Test
    void too_many_requests_is_unavailable_with_retry_after() {
        Exchange exchange =
                answer(429, "{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"slow down\",\"retryAfterSec\":30}");
        RegistrarUnavailableException e =
                assertThrows(RegistrarUnavailableException.class, () -> responses.requireSuccess(exchange));
        assertEquals(429, e.status());
        assertEquals(30, e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("TOO_MANY_REQUESTS"), e.getMessage());
        assertInstanceOf(RetryableException.class, e);
    }

    @Test
    void server_error_with_non_json_body_is_unavailable() {
        Exchange exchange = answer(503, "<html><body>Service Unavailable</body></html>");
        RegistrarUnavailableException e =
                assertThrows(RegistrarUnavailableException.class, () -> responses.requireSuccess(exchange));
        assertEquals(503, e.status());
        assertNull(e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("HTTP_503"), e.getMessage());
        assertTrue(e.getMessage().contains("Service Unavailable"), e.getMessage());
    }

    @Test
    void long_non_json_error_body_is_abbreviated() {
        Exchange exchange = answer(502, "x".repeat(1000));
        RegistrarUnavailableException e =
                assertThrows(RegistrarUnavailableException.class, () -> responses.requireSuccess(exchange));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void client_error_is_rejected_with_code_and_field_paths() {
        Exchange exchange = answer(
                422,
                "{\"code\":\"UNAVAILABLE_DOMAIN\",\"message\":\"The domain is not available\","
                        + "\"fields\":[{\"path\":\"domain\",\"code\":\"X\"}]}");
        RegistrarRejectedException e =
                assertThrows(RegistrarRejectedException.class, () -> responses.requireSuccess(exchange));
        assertEquals(422, e.status());
        assertEquals("UNAVAILABLE_DOMAIN", e.code());
        assertEquals(List.of("domain"), e.fieldPaths());
        assertTrue(e.getMessage().contains("The domain is not available"), e.getMessage());
    }

    @Test
    void field_messages_are_appended_to_their_paths() {
        Exchange exchange = answer(
                400,
                "{\"code\":\"INVALID_BODY\",\"message\":\"bad\",\"fields\":["
                        + "{\"path\":\"contactAdmin.phone\",\"code\":\"PHONE\",\"message\":\"is not a phone\"},{\"code\":\"NO_PATH\"}]}");
        RegistrarRejectedException e =
                assertThrows(RegistrarRejectedException.class, () -> responses.requireSuccess(exchange));
        assertEquals(List.of("contactAdmin.phone is not a phone"), e.fieldPaths());
    }

    @Test
    void client_error_without_code_uses_the_http_status() {
        Exchange exchange = answer(403, "Forbidden");
        RegistrarRejectedException e =
                assertThrows(RegistrarRejectedException.class, () -> responses.requireSuccess(exchange));
        assertEquals("HTTP_403", e.code());
        assertEquals(List.of(), e.fieldPaths());
    }

    @Test
    void missing_status_is_unavailable() {
        Exchange exchange = answer(null, "{}");
        RegistrarUnavailableException e =
                assertThrows(RegistrarUnavailableException.class, () -> responses.requireSuccess(exchange));
        assertEquals(0, e.status());
    }

    @Test
    void lookup_of_a_domain_not_in_the_account_gives_null_body() {
        Exchange exchange = answer(404, "{\"code\":\"NOT_FOUND\",\"message\":\"Domain not found\"}");
        responses.domainOrNull(exchange);
        assertNull(exchange.getMessage().getBody());
    }

    @Test
    void lookup_of_an_owned_domain_gives_the_map() {
        Exchange exchange = answer(200, "{\"domain\":\"example.com\",\"status\":\"ACTIVE\"}");
        responses.domainOrNull(exchange);
        Map<?, ?> body = assertInstanceOf(Map.class, exchange.getMessage().getBody());
        assertEquals("ACTIVE", body.get("status"));
    }

    @Test
    void lookup_failure_other_than_404_still_throws() {
        Exchange exchange = answer(500, "{\"code\":\"INTERNAL_SERVER_ERROR\"}");
        assertThrows(RegistrarUnavailableException.class, () -> responses.domainOrNull(exchange));
    }
}
