package com.domainautomation.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RegistrarMetricsTest {
    @Test
    void an_operation_is_named_by_method_and_path_never_by_the_domain() {
        assertEquals("purchase", RegistrarMetrics.operation("POST", "/v1/domains/purchase"));
        assertEquals("available", RegistrarMetrics.operation("GET", "/v1/domains/available?domain=a.com"));
        assertEquals("get_domain", RegistrarMetrics.operation("GET", "/v1/domains/example.com"));
        assertEquals("update_domain", RegistrarMetrics.operation("PATCH", "/v1/domains/example.com"));
        assertEquals("renew", RegistrarMetrics.operation("POST", "/v1/domains/example.com/renew"));
        assertEquals("transfer", RegistrarMetrics.operation("POST", "/v1/domains/example.com/transfer"));
        assertEquals("get_records", RegistrarMetrics.operation("GET", "/v1/domains/example.com/records"));
        assertEquals("put_records", RegistrarMetrics.operation("PUT", "/v1/domains/example.com/records/A/www"));
        assertEquals("patch_records", RegistrarMetrics.operation("PATCH", "/v1/domains/example.com/records"));
        assertEquals("get_other", RegistrarMetrics.operation("GET", "/v1/shoppers/1"));
    }
}
