package com.domainautomation.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsRecordValidatorTest {

    @Test
    void accepts_valid_records_of_every_type() {
        List<DnsRecord> records = DnsRecordValidator.validate(List.of(
                Map.of("type", "A", "name", "@", "data", "203.0.113.10", "ttl", 3600),
                Map.of("type", "aaaa", "name", "www", "data", "2001:db8::1"),
                Map.of("type", "CNAME", "name", "shop", "data", "shops.example.net"),
                Map.of("type", "MX", "name", "@", "data", "mail.example.com", "priority", 10),
                Map.of("type", "NS", "name", "sub", "data", "ns1.example.net"),
                Map.of("type", "TXT", "name", "_dmarc", "data", "v=DMARC1; p=none"),
                Map.of(
                        "type",
                        "SRV",
                        "name",
                        "@",
                        "data",
                        "sip.example.com",
                        "priority",
                        10,
                        "weight",
                        5,
                        "port",
                        5060,
                        "service",
                        "_sip",
                        "protocol",
                        "_TCP"),
                Map.of("type", "A", "name", "*.shop", "data", "198.51.100.1", "ttl", 600)));
        assertEquals(8, records.size());
        assertEquals("AAAA", records.get(1).type());
        assertEquals(3600, records.get(1).ttl(), "default TTL");
        assertEquals(10, records.get(3).priority());
        assertEquals("_tcp", records.get(6).protocol());
        assertEquals(
                Map.of("data", "mail.example.com", "ttl", 3600, "priority", 10),
                records.get(3).toTypeNameBody());
    }

    @ParameterizedTest
    @CsvSource({
        "SOA, @, ns1.example.com, type",
        "A, @, 300.1.1.1, data",
        "A, @, example.com, data",
        "AAAA, @, 203.0.113.1, data",
        "CNAME, www, not a host, data",
        "A, -bad, 203.0.113.1, name",
        "A, a..b, 203.0.113.1, name",
        "A, www.*, 203.0.113.1, name"
    })
    void rejects_a_bad_field(String type, String name, String data, String field) {
        ApiException error = assertThrows(
                ApiException.class,
                () -> DnsRecordValidator.validate(List.of(Map.of("type", type, "name", name, "data", data))));
        assertEquals(400, error.status());
        assertTrue(fields(error).contains("records[0]." + field), fields(error).toString());
    }

    @Test
    void checks_ttl_and_priority_rules() {
        assertEquals(
                List.of("records[0].ttl"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(
                                List.of(Map.of("type", "A", "name", "@", "data", "203.0.113.1", "ttl", 60))))));
        assertEquals(
                List.of("records[0].priority"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(
                                List.of(Map.of("type", "MX", "name", "@", "data", "mail.example.com"))))));
        assertEquals(
                List.of("records[0].priority"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(
                                List.of(Map.of("type", "A", "name", "@", "data", "203.0.113.1", "priority", 1))))));
        Map<String, Object> srv =
                new HashMap<>(Map.of("type", "SRV", "name", "@", "data", "sip.example.com", "priority", 1));
        assertEquals(
                List.of("records[0].port", "records[0].weight", "records[0].service", "records[0].protocol"),
                fields(assertThrows(ApiException.class, () -> DnsRecordValidator.validate(List.of(srv)))));
    }

    @Test
    void collects_every_problem_and_rejects_empty_or_non_array_bodies() {
        ApiException error = assertThrows(
                ApiException.class,
                () -> DnsRecordValidator.validate(List.of(
                        Map.of("type", "A", "name", "@", "data", "nope"),
                        "not an object",
                        Map.of("type", "TXT", "name", "@"))));
        assertEquals(List.of("records[0].data", "records[1]", "records[2].data"), fields(error));
        assertThrows(ApiException.class, () -> DnsRecordValidator.validate(List.of()));
        assertThrows(ApiException.class, () -> DnsRecordValidator.validate(Map.of("type", "A")));
    }

    @Test
    void a_cname_is_neither_at_the_apex_nor_beside_other_records_of_its_name() {
        assertEquals(
                List.of("records[0].name"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(
                                List.of(Map.of("type", "CNAME", "name", "@", "data", "shops.example.net"))))));
        assertEquals(
                List.of("records[1]"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(List.of(
                                Map.of("type", "A", "name", "www", "data", "203.0.113.1"),
                                Map.of("type", "CNAME", "name", "WWW", "data", "shops.example.net"))))));
        assertEquals(
                List.of("records[0]", "records[1]"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(List.of(
                                Map.of("type", "CNAME", "name", "shop", "data", "a.example.net"),
                                Map.of("type", "CNAME", "name", "shop", "data", "b.example.net"))))));
        assertEquals(
                2,
                DnsRecordValidator.validate(List.of(
                                Map.of("type", "CNAME", "name", "shop", "data", "a.example.net"),
                                Map.of("type", "A", "name", "www", "data", "203.0.113.1")))
                        .size());
    }

    @Test
    void a_new_cname_never_joins_the_records_the_registrar_has_at_its_name_nor_a_record_its_cname() {
        List<Map<String, Object>> existing = List.of(
                Map.of("type", "A", "name", "www", "data", "203.0.113.1"),
                Map.of("type", "CNAME", "name", "shop", "data", "shops.example.net"),
                Map.of("type", "MX", "name", "@", "data", "mail.example.com"));
        assertEquals(
                List.of("records[0]", "records[1]"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.checkBesideExisting(
                                DnsRecordValidator.validate(List.of(
                                        Map.of("type", "CNAME", "name", "WWW", "data", "a.example.net"),
                                        Map.of("type", "TXT", "name", "shop", "data", "hello"))),
                                existing))));
        DnsRecordValidator.checkBesideExisting(
                DnsRecordValidator.validate(List.of(
                        Map.of("type", "CNAME", "name", "shop", "data", "other.example.net"),
                        Map.of("type", "A", "name", "www", "data", "203.0.113.2"),
                        Map.of("type", "CNAME", "name", "blog", "data", "blogs.example.net"))),
                existing);
    }

    @Test
    void refuses_unknown_fields_and_srv_fields_on_other_types() {
        assertEquals(
                List.of("records[0].prio"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(List.of(Map.of(
                                "type", "MX", "name", "@", "data", "mail.example.com", "priority", 10, "prio", 10))))));
        assertEquals(
                List.of("records[0].port"),
                fields(assertThrows(
                        ApiException.class,
                        () -> DnsRecordValidator.validate(
                                List.of(Map.of("type", "A", "name", "@", "data", "203.0.113.1", "port", 80))))));
    }

    @Test
    void deletes_only_the_types_godaddy_allows() {
        DnsRecordValidator.validateDelete("mx", "@");
        DnsRecordValidator.validateDelete("TXT", "_dmarc");
        assertEquals(
                List.of("type"),
                fields(assertThrows(ApiException.class, () -> DnsRecordValidator.validateDelete("NS", "@"))));
        assertEquals(
                List.of("type"),
                fields(assertThrows(ApiException.class, () -> DnsRecordValidator.validateDelete("SOA", "@"))));
        assertEquals(
                List.of("name"),
                fields(assertThrows(ApiException.class, () -> DnsRecordValidator.validateDelete("A", "bad name"))));
    }

    private static List<String> fields(ApiException error) {
        return error.details().stream().map(d -> (String) d.get("field")).toList();
    }
}
