package com.domainautomation.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobKeysTest {
    @Test
    void a_payloads_own_fields_are_its_keys_and_an_emails_domain_comes_from_its_data() {
        assertEquals(
                Map.of("clientId", "cli-1", "domainId", "dom-1"),
                JobKeys.of(Map.of("clientId", "cli-1", "domainId", "dom-1", "type", "domain-registered")));
        assertEquals(
                Map.of("domain", "example.com", "clientId", "cli-1"),
                JobKeys.of(Map.of("clientId", "cli-1", "data", Map.of("domain", "Example.com"))));
    }

    @Test
    void free_text_numbers_and_overlong_values_are_not_kept() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("domain", "not a domain <b>");
        payload.put("orderId", 42);
        payload.put("clientId", "c".repeat(254));
        payload.put("domainId", "");
        assertEquals(Map.of(), JobKeys.of(payload));
        assertNull(JobKeys.normalised("jobId", "job-1"), "only the keys a job is about");
    }

    @Test
    void the_producers_keys_come_first_and_the_payload_fills_the_rest() {
        assertEquals(
                Map.of("domain", "a.com", "orderId", "ord-1", "clientId", "cli-1"),
                JobKeys.merged(
                        Map.of("domain", "A.COM", "orderId", "ord-1"), Map.of("domain", "b.com", "clientId", "cli-1")));
    }
}
