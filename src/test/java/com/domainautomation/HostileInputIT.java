package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Json;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.RawHttp;
import com.domainautomation.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of hostile requests against a running app with two clients that own a domain each: malformed and ambiguous
 * JSON, wrong types, NoSQL operators in every string field, path traversal, header injection, oversize requests,
 * confusable and invisible characters, money and DNS edge cases, auth bypass attempts and every client resource
 * read and written with the other client's token. Each must be a 4xx JSON error, answered within seconds; afterwards
 * both clients' wallets and ledgers are as they were, the ledger verifies (after the test) and no answer holds the
 * other client's data or a secret.
 */
@SuppressWarnings("unchecked")
class HostileInputIT extends AppTestSupport {
    private static final List<Object> OPERATORS = Arrays.asList(
            Map.of("$ne", ""),
            Map.of("$gt", ""),
            Map.of("$regex", ".*"),
            Map.of("$where", "sleep(1000)"),
            List.of("a"),
            Collections.singletonMap("$exists", true));
    private static final List<String> MALFORMED = List.of(
            "",
            " ",
            "{",
            "}",
            "[",
            "{\"a\":}",
            "{'a':1}",
            "{a:1}",
            "{\"a\":1,}",
            "[1,]",
            "{\"a\":1}{\"a\":2}",
            "{\"a\":1} x",
            "\u0000",
            "{\"a\":NaN}",
            "{\"a\":Infinity}",
            "{\"a\":01}",
            "{\"a\":\"\\x41\"}",
            "\uFEFF{}",
            "null",
            "true",
            "123",
            "\"text\"",
            "{\"a\":1,\"a\":2}",
            "[".repeat(100) + "]".repeat(100),
            "{\"a\":\"\u0001\"}",
            "/* x */{}",
            "{\"a\":1}//x");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final List<String> failures = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private int sent;
    private long slowestMs;
    private Client alice;
    private Client bob;

    @Override
    protected void customize(Map<String, String> settings) {
        // the suite is hundreds of requests from one client: its budget must not be what answers them
        settings.put("ratelimit.client-writes-per-minute", "100000");
        settings.put("ratelimit.client-reads-per-minute", "100000");
    }

    @Test
    void every_hostile_request_is_a_4xx_json_error_and_changes_nothing() throws Exception {
        godaddy.purchaseSucceeds("alice-hostile.com");
        godaddy.purchaseSucceeds("bob-hostile.com");
        alice = newClient("100.00");
        bob = newClient("100.00");
        assertEquals(202, checkout(alice, cart("alice-hostile.com")).status());
        assertEquals(202, checkout(bob, cart("bob-hostile.com")).status());
        awaitStatus(alice, "alice-hostile.com", "active");
        awaitStatus(bob, "bob-hostile.com", "active");
        Map<String, Object> before = state();

        malformedBodies();
        wrongTypes();
        operatorsInEveryStringField();
        pathTraversal();
        headerInjection();
        oversize();
        confusablesAndInvisibles();
        money();
        dnsRecords();
        authBypass();
        otherClientsResources();

        assertTrue(sent >= 300, "the suite sent " + sent + " requests");
        assertTrue(
                failures.isEmpty(),
                failures.size() + " of " + sent + " hostile requests were not refused as the contract says:\n"
                        + String.join("\n", failures));
        assertTrue(slowestMs < 10_000, "no request hung: the slowest took " + slowestMs + " ms");
        assertEquals(before, state(), "both wallets, ledgers and domains are as they were");
        List<String> leaks = new ArrayList<>();
        for (String answer : answers) {
            for (String secret : List.of(
                    bob.id(),
                    bob.token(),
                    "ada+2@",
                    TestApp.ADMIN_TOKEN,
                    app.settings().get("godaddy.api.secret"))) {
                if (answer.contains(secret)) {
                    leaks.add(secret + " in " + answer);
                }
            }
        }
        assertTrue(
                leaks.isEmpty(),
                "answers to Alice's requests hold Bob's data or a secret:\n" + String.join("\n", leaks));
        System.out.printf(
                "hostile suite: %d requests, all refused with a 4xx JSON error, slowest %d ms%n", sent, slowestMs);
    }

    // --- the attacks --------------------------------------------------------------------------------------------

    private void malformedBodies() {
        for (String body : MALFORMED) {
            for (String[] endpoint : bodyEndpoints()) {
                expectRefused(
                        "malformed " + endpoint[0] + " " + endpoint[1] + " " + abbreviate(body),
                        endpoint[0],
                        endpoint[1],
                        token(endpoint),
                        body);
            }
        }
    }

    private void wrongTypes() {
        List<Object> notText = Arrays.asList(1, 1.5, true, List.of(), Map.of());
        List<Object> notNumber = Arrays.asList("1", 1.0, 1.5, -1, 0, 11, true, List.of(1), Map.of(), 1e2, 99999999999L);
        List<Object> notFlag = Arrays.asList("true", 1, 0, "false", List.of(true), Map.of());
        for (Object value : notNumber) {
            refusedForAlice(
                    "years " + value, "POST", "/api/cart/checkout", checkoutBody(b -> item(b).put("years", value)));
            refusedForAlice(
                    "renew years " + value, "POST", "/api/domains/alice-hostile.com/renew", map("years", value));
            refusedForAlice(
                    "ttl " + value,
                    "POST",
                    dns("alice-hostile.com"),
                    List.of(map("type", "A", "name", "www", "data", "203.0.113.1", "ttl", value)));
        }
        for (Object value : notFlag) {
            refusedForAlice(
                    "privacy " + value, "POST", "/api/cart/checkout", checkoutBody(b -> item(b).put("privacy", value)));
            refusedForAlice("autoRenew " + value, "PATCH", "/api/domains/alice-hostile.com", map("autoRenew", value));
            refusedForAlice(
                    "agreeToTerms " + value,
                    "POST",
                    "/api/cart/checkout",
                    checkoutBody(b -> b.put("agreeToTerms", value)));
        }
        for (Object value : notText) {
            refusedForAlice(
                    "domain " + value, "POST", "/api/cart/checkout", checkoutBody(b -> item(b).put("domain", value)));
            refusedForAlice("items " + value, "POST", "/api/cart/checkout", checkoutBody(b -> b.put("items", value)));
            refusedForAlice(
                    "contact " + value, "POST", "/api/cart/checkout", checkoutBody(b -> b.put("contact", value)));
        }
    }

    private void operatorsInEveryStringField() {
        for (Object operator : OPERATORS) {
            String op = String.valueOf(operator);
            refusedForAlice("item.domain " + op, "POST", "/api/cart/checkout", checkoutBody(b -> item(b).put(
                            "domain", operator)));
            for (String field : List.of("nameFirst", "nameLast", "organization", "email", "phone")) {
                refusedForAlice(
                        "contact." + field + " " + op, "POST", "/api/cart/checkout", checkoutBody(b -> contactOf(b)
                                .put(field, operator)));
            }
            for (String field : List.of("address1", "address2", "city", "state", "postalCode", "country")) {
                refusedForAlice("address." + field + " " + op, "POST", "/api/cart/checkout", checkoutBody(b -> ((Map<
                                        String, Object>)
                                contactOf(b).get("addressMailing"))
                        .put(field, operator)));
            }
            for (String field : List.of("domain", "authCode")) {
                Map<String, Object> transfer = transferBody("alice-transfer.com");
                transfer.put(field, operator);
                refusedForAlice("transfer." + field + " " + op, "POST", "/api/transfers", transfer);
            }
            for (String field : List.of("name", "email")) {
                Map<String, Object> client = map("name", "Mallory", "email", "mallory@example.com");
                client.put(field, operator);
                expectRefused(
                        "client." + field + " " + op, "POST", "/api/admin/clients", TestApp.ADMIN_TOKEN, json(client));
            }
            for (String field : List.of("amount", "currency", "reference", "description")) {
                Map<String, Object> credit = map("amount", "5.00");
                credit.put(field, operator);
                expectRefused("credit." + field + " " + op, "POST", credit(alice), TestApp.ADMIN_TOKEN, json(credit));
            }
            for (String field : List.of("type", "name", "data")) {
                Map<String, Object> record = map("type", "TXT", "name", "www", "data", "hello");
                record.put(field, operator);
                refusedForAlice("dns." + field + " " + op, "POST", dns("alice-hostile.com"), List.of(record));
            }
        }
        for (String query :
                List.of("domain[$ne]=x", "limit[$gt]=0", "limit=-1", "limit=99999999999", "limit=1e3", "limit=%00")) {
            expectRefused("activity ?" + query, "GET", "/api/admin/activity?" + query, TestApp.ADMIN_TOKEN, null);
        }
    }

    private void pathTraversal() {
        for (String path : List.of(
                "/api/domains/..%2Fwallet",
                "/api/domains/%2e%2e",
                "/api/domains/..%2F..%2Fadmin%2Fqueues",
                "/api/domains/bob-hostile.com%2F..%2Falice-hostile.com",
                "/api/domains/bob-hostile.com%00",
                "/api/domains/%00",
                "/api/domains/BOB-HOSTILE.COM",
                "/api/domains/bob-hostile.com.",
                "/api/domains/%252e%252e",
                "/api/domains/..;/admin/queues",
                "/api/domains/bob-hostile.com%20",
                "/api/domains/bob-hostile.com/dns/records",
                "/api/domains/%62ob-hostile.com",
                "/api/admin%2Fqueues",
                "/api/./admin/queues",
                "/api//admin/queues",
                "/API/admin/queues",
                "/api/admin/queues/..%2F..%2Fwallet",
                "/api/domains/xn--",
                "/api/domains/" + "a".repeat(300) + ".com",
                "/api/domains/bob-hostile.com/activity",
                "/api/admin/queues/domain-registration/failed/..%2F..%2F..%2Fclients",
                "/api/admin/cron/..%2F..%2Fclients/run")) {
            rawRefused(
                    "GET " + path,
                    "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token()
                            + "\r\nConnection: close\r\n\r\n");
        }
        for (String path : List.of(
                "/api/domains/../admin/queues",
                "/api/domains/./../admin/audit",
                "/../api/admin/queues",
                "/api/domains/%2e%2e/%2e%2e/api/admin/queues",
                "\\api\\admin\\queues",
                "/api/domains/bob-hostile.com\\..\\alice-hostile.com")) {
            rawRefused(
                    "GET raw " + path,
                    "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token()
                            + "\r\nConnection: close\r\n\r\n");
        }
    }

    private void headerInjection() {
        String body = "{\"items\":[]}";
        String auth = "Authorization: Bearer " + alice.token();
        List<String> requests = List.of(
                "GET /api/wallet HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token()
                        + "\rX-Injected: 1\r\nConnection: close\r\n\r\n",
                "GET /api/wallet HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token()
                        + "\u0000\r\nConnection: close\r\n\r\n",
                "GET /api/wallet HTTP/1.1\r\nHost: x\r\nAuthorization : Bearer " + alice.token()
                        + "\r\nConnection: close\r\n\r\n",
                "GET /api/wallet HTTP/1.1\r\nHost: x\r\nX\u0000Y: 1\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "POST /api/cart/checkout HTTP/1.1\r\nHost: x\r\n" + auth
                        + "\r\nContent-Type: application/json\r\nContent-Length: 12\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
                        + body,
                "POST /api/cart/checkout HTTP/1.1\r\nHost: x\r\n" + auth
                        + "\r\nContent-Type: application/json\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nc\r\n"
                        + body + "\r\n0\r\n\r\n",
                "POST /api/cart/checkout HTTP/1.1\r\nHost: x\r\n" + auth
                        + "\r\nContent-Type: application/json\r\nContent-Length: 12abc\r\nConnection: close\r\n\r\n"
                        + body,
                "POST /api/cart/checkout HTTP/1.1\r\nHost: x\r\n" + auth
                        + "\r\nContent-Type: application/json\r\nIdempotency-Key: a\rb\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
                        + body,
                "POST /api/cart/checkout HTTP/1.1\r\nHost: x\r\n" + auth
                        + "\r\nContent-Type: application/json\r\nIdempotency-Key: %0d%0aSet-Cookie: x\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
                        + body,
                "POST /api/cart/checkout HTTP/1.1\r\nHost: x\r\n" + auth
                        + "\r\nContent-Type: application/json\r\nIdempotency-Key: caf\u00e9\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
                        + body,
                "GET /api/wallet\r\nHTTP/1.1\r\nHost: x\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET /api/wallet?x=%0d%0aSet-Cookie:%20x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %0d%0a"
                        + alice.token() + "\r\nConnection: close\r\n\r\n");
        for (String request : requests) {
            rawRefused(
                    "header "
                            + abbreviate(request.replace("\r", "\\r")
                                    .replace("\n", "\\n")
                                    .replace(alice.token(), "<alice>")),
                    request);
        }
    }

    private void oversize() {
        expectRefused("10 KB URL", "GET", "/api/wallet?x=" + "a".repeat(10_000), alice.token(), null);
        expectRefused(
                "20 KB header", "GET", "/api/wallet", alice.token(), null, Map.of("X-Padding", "p".repeat(20_000)));
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            many.put("X-H" + i, "v".repeat(40));
        }
        expectRefused("300 headers", "GET", "/api/wallet", alice.token(), null, many);
        refusedForAlice(
                "70 KB body", "POST", "/api/cart/checkout", checkoutBody(b -> b.put("note", "x".repeat(70_000))));
        expectRefused(
                "3 MB body",
                "POST",
                credit(alice),
                TestApp.ADMIN_TOKEN,
                "{\"amount\":\"5.00\",\"description\":\"" + "x".repeat(3_000_000) + "\"}");
        expectRefused("5 KB token", "GET", "/api/wallet", "t".repeat(5_000), null);
        expectRefused("10 KB token", "GET", "/api/wallet", "t".repeat(10_000), null);
        refusedForAlice("domain of 1000 labels", "POST", "/api/cart/checkout", checkoutBody(b -> item(b).put(
                        "domain", "a.".repeat(1000) + "com")));
        refusedForAlice("21 items", "POST", "/api/cart/checkout", checkoutBody(b -> {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                items.add(map("domain", "many-" + i + ".com", "years", 1));
            }
            b.put("items", items);
        }));
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            records.add(map("type", "A", "name", "h" + i, "data", "203.0.113.1"));
        }
        refusedForAlice("501 DNS records", "PUT", dns("alice-hostile.com"), records);
    }

    private void confusablesAndInvisibles() {
        for (String name : List.of(
                " alice-new.com",
                "alice-new.com ",
                "alice-n\u200Bew.com",
                "\u202Ealice-new.com",
                "\u0430lice-new.com",
                "xn--lice-new-2ig.com",
                "alic\u0435-new.com",
                "\uFF41lice-new.com",
                "alice\u00ADnew.com",
                "alice-new\u3002com",
                "alice-new.c\u03BFm",
                "\u2603-new.com",
                "a\u05D0-new.com",
                "alice-new.com\u0000",
                "alice-new.com/../x",
                "alice\u2010new.com",
                "alice\uFE58new.com",
                "\u0661\u0662\u0663-new.com",
                "alice-new.\u0441\u043E\u043C",
                "ALICE-\u0274EW.com")) {
            refusedForAlice("domain [" + name + "]", "POST", "/api/cart/checkout", checkoutBody(b -> item(b).put(
                            "domain", name)));
            Map<String, Object> transfer = transferBody(name);
            refusedForAlice("transfer [" + name + "]", "POST", "/api/transfers", transfer);
        }
        for (String text : List.of(
                "<script>alert(1)</script>",
                "Ada\u202Eecalevol",
                "A\u200Bda",
                "Ada\u0000",
                "Ada\nBcc: x@example.com",
                "Ada\r\n",
                "<img src=x onerror=alert(1)>",
                "Ada\u0007",
                "\u2066Ada\u2069")) {
            for (String field : List.of("nameFirst", "nameLast", "organization")) {
                refusedForAlice(
                        "contact." + field + " [" + abbreviate(text) + "]",
                        "POST",
                        "/api/cart/checkout",
                        checkoutBody(b -> contactOf(b).put(field, text)));
            }
            refusedForAlice(
                    "address1 [" + abbreviate(text) + "]", "POST", "/api/cart/checkout", checkoutBody(b -> ((Map<
                                            String, Object>)
                                    contactOf(b).get("addressMailing"))
                            .put("address1", text)));
            expectRefused(
                    "client name [" + abbreviate(text) + "]",
                    "POST",
                    "/api/admin/clients",
                    TestApp.ADMIN_TOKEN,
                    json(map("name", text, "email", "mallory@example.com")));
        }
        for (String email : List.of(
                "ada@exa\u200Bmple.com",
                "ada@example.com\r\nBcc: x@example.com",
                "<ada@example.com>",
                "ada@@example.com",
                "ada@example",
                "\u0430da@example.com",
                "ada@example.com ",
                "ADA@EXAMPLE.COM")) {
            expectRefused(
                    "client email [" + abbreviate(email) + "]",
                    "POST",
                    "/api/admin/clients",
                    TestApp.ADMIN_TOKEN,
                    json(map("name", "Mallory", "email", email)));
        }
    }

    private void money() {
        for (Object amount : Arrays.asList(
                "-1",
                "-0.01",
                "0",
                "0.00",
                "0.001",
                "12.345",
                "1e3",
                "1E3",
                "+5",
                ".5",
                "5.",
                "1,00",
                " 5.00",
                "5.00 ",
                "5.00\n",
                "\u0665",
                "NaN",
                "Infinity",
                "-Infinity",
                "0x10",
                "10000.01",
                "99999999999999999999",
                "5.00;",
                "5.00 USD",
                "$5",
                5,
                5.0,
                -5,
                0,
                1e308,
                true,
                null,
                "",
                List.of("5.00"),
                Map.of("value", "5.00"))) {
            expectRefused(
                    "credit amount " + amount, "POST", credit(alice), TestApp.ADMIN_TOKEN, json(map("amount", amount)));
        }
        for (Object currency : Arrays.asList("XXX", "usd", "", " USD", "EUR", null, 1, "USD\u0000", "US")) {
            expectRefused(
                    "credit currency " + currency,
                    "POST",
                    credit(alice),
                    TestApp.ADMIN_TOKEN,
                    json(map("amount", "5.00", "currency", currency)));
        }
        expectRefused(
                "credit of an unknown client",
                "POST",
                "/api/admin/clients/cli_nobody/wallet/credit",
                TestApp.ADMIN_TOKEN,
                json(map("amount", "5.00")));
        refusedForAlice("credit by a client", "POST", credit(alice), map("amount", "5.00"));
        expectRefused("credit by the other client", "POST", credit(alice), bob.token(), json(map("amount", "5.00")));
    }

    private void dnsRecords() {
        List<Map<String, Object>> bad = new ArrayList<>();
        for (String data : List.of(
                "256.1.1.1", "1.1.1", "::1", "1.1.1.1/24", "01.1.1.1", "1.1.1.1.1", "a.b.c.d", "", "1.1.1.-1")) {
            bad.add(map("type", "A", "name", "www", "data", data));
        }
        for (String data : List.of("1.1.1.1", "gggg::1", ":::", "2001:db8::1::2", "2001:db8:::1", "fe80::1%eth0")) {
            bad.add(map("type", "AAAA", "name", "www", "data", data));
        }
        for (String data : List.of(
                "not a host",
                "a..b",
                "-a.example.com",
                "a.example.com/x",
                "http://a.example.com",
                "a_b.example.com.x_",
                "*.example.com")) {
            bad.add(map("type", "CNAME", "name", "shop", "data", data));
        }
        bad.add(map("type", "CNAME", "name", "@", "data", "shops.example.net"));
        bad.add(map("type", "MX", "name", "@", "data", "mail.example.com"));
        bad.add(map("type", "MX", "name", "@", "data", "mail.example.com", "priority", -1));
        bad.add(map("type", "MX", "name", "@", "data", "mail.example.com", "priority", 65536));
        bad.add(map("type", "MX", "name", "@", "data", "mail.example.com", "priority", "10"));
        bad.add(map("type", "TXT", "name", "@", "data", "x".repeat(1025)));
        bad.add(map("type", "TXT", "name", "@", "data", "a\u0000b"));
        bad.add(map("type", "TXT", "name", "@", "data", "a\nb"));
        bad.add(map("type", "SRV", "name", "@", "data", "sip.example.com", "priority", 1));
        bad.add(srv(0, "_sip", "_tcp"));
        bad.add(srv(5060, "sip", "_tcp"));
        bad.add(srv(5060, "_sip", "_sctp"));
        bad.add(map("type", "A", "name", "@", "data", "203.0.113.1", "port", 80));
        for (String type : List.of("SOA", "ANY", "", "A ", "PTR", "CAA", "A\u0000")) {
            bad.add(map("type", type, "name", "www", "data", "203.0.113.1"));
        }
        for (String name :
                List.of("", "a b", "*.*.x", "www.", ".www", "a".repeat(64), "www/x", "../x", "w\u200Bw", "*x")) {
            bad.add(map("type", "A", "name", name, "data", "203.0.113.1"));
        }
        for (Object ttl : Arrays.asList(0, 599, 604_801, -1, "3600", 3600.5)) {
            bad.add(map("type", "A", "name", "www", "data", "203.0.113.1", "ttl", ttl));
        }
        for (Map<String, Object> record : bad) {
            refusedForAlice("dns " + abbreviate(record.toString()), "POST", dns("alice-hostile.com"), List.of(record));
        }
        refusedForAlice(
                "dns CNAME beside A",
                "PUT",
                dns("alice-hostile.com"),
                List.of(
                        map("type", "A", "name", "www", "data", "203.0.113.1"),
                        map("type", "CNAME", "name", "www", "data", "a.example.net")));
        for (String[] delete :
                new String[][] {{"NS", "@"}, {"SOA", "@"}, {"A", "a%20b"}, {"XYZ", "www"}, {"A", "..%2F.."}}) {
            expectRefused(
                    "dns delete " + delete[0] + " " + delete[1],
                    "DELETE",
                    dns("alice-hostile.com") + "/" + delete[0] + "/" + delete[1],
                    alice.token(),
                    null);
        }
    }

    private void authBypass() {
        for (String header : List.of(
                "",
                "Bearer",
                "Bearer ",
                "Bearer  ",
                "Basic " + Base64.getEncoder().encodeToString((alice.token() + ":").getBytes(StandardCharsets.UTF_8)),
                "Token " + alice.token(),
                "Bearer null",
                "Bearer undefined",
                "Bearer " + alice.token() + "x",
                "Bearer " + alice.token().substring(1),
                "Bearer " + alice.token() + bob.token(),
                "Bearer " + TestApp.ADMIN_TOKEN.substring(0, 10),
                "Bearer *",
                "Bearer " + "%" + alice.token(),
                "Bearer " + alice.token().toUpperCase(),
                "Bearer {\"$ne\":null}",
                "Bearer ' OR '1'='1")) {
            for (String path : List.of("/api/wallet", "/api/admin/queues")) {
                expectRefused(
                        "Authorization ["
                                + header.replace(alice.token(), "<alice>").replace(bob.token(), "<bob>") + "] " + path,
                        "GET",
                        path,
                        null,
                        null,
                        Map.of("Authorization", header));
            }
        }
        expectRefused("no Authorization", "GET", "/api/wallet", null, null);
        expectRefused("token in the query", "GET", "/api/wallet?access_token=" + alice.token(), null, null);
        expectRefused("admin token in the query", "GET", "/api/admin/queues?token=" + TestApp.ADMIN_TOKEN, null, null);
        String clientId = alice.id();
        for (String[] admin : new String[][] {
            {"POST", "/api/admin/clients"},
            {"POST", credit(alice)},
            {"POST", "/api/admin/clients/" + clientId + "/token"},
            {"POST", "/api/admin/clients/" + clientId + "/disable"},
            {"POST", "/api/admin/clients/" + clientId + "/enable"},
            {"POST", "/api/admin/token"},
            {"POST", "/api/admin/cron/auto-renew/run"},
            {"POST", "/api/admin/queues/domain-registration/failed/x/retry"},
            {"POST", "/api/admin/queues/domain-registration/failed/retry"},
            {"POST", "/api/admin/queues/domain-registration/delayed/x/promote"},
            {"POST", "/api/admin/queues/domain-registration/pause"},
            {"POST", "/api/admin/queues/domain-registration/resume"},
            {"GET", "/api/admin/queues/domain-registration/delayed"},
            {"GET", "/api/admin/audit"},
            {"GET", "/api/admin/ledger/verify"},
            {"GET", "/api/admin/activity"},
            {"GET", "/api/admin/cron"},
            {"GET", "/api/admin/queues"},
            {"GET", "/api/admin/queues/domain-registration/failed"},
            {"GET", "/api/admin/jobs?domain=bob-hostile.com"},
            {"GET", "/api/admin/jobs?clientId=" + clientId},
            {"GET", "/api/admin/me"},
            {"DELETE", "/api/admin/queues/domain-registration/failed/x"}
        }) {
            String body =
                    admin[0].equals("POST") ? "{\"amount\":\"5.00\",\"name\":\"M\",\"email\":\"m@example.com\"}" : null;
            expectRefused("client token on " + admin[0] + " " + admin[1], admin[0], admin[1], alice.token(), body);
        }
        expectRefused("admin token on a client path", "GET", "/api/wallet", TestApp.ADMIN_TOKEN, null);
        expectRefused(
                "admin token checks out",
                "POST",
                "/api/cart/checkout",
                TestApp.ADMIN_TOKEN,
                json(checkoutBody(b -> {})));
    }

    private void otherClientsResources() {
        String domain = "bob-hostile.com";
        for (String[] request : new String[][] {
            {"GET", "/api/domains/" + domain, null},
            {"GET", "/api/domains/" + domain + "/activity", null},
            {"GET", dns(domain), null},
            {"PATCH", "/api/domains/" + domain, "{\"autoRenew\":true}"},
            {"POST", "/api/domains/" + domain + "/renew", "{\"years\":1}"},
            {"POST", dns(domain), "[{\"type\":\"A\",\"name\":\"www\",\"data\":\"203.0.113.66\"}]"},
            {"PUT", dns(domain), "[{\"type\":\"A\",\"name\":\"@\",\"data\":\"203.0.113.66\"}]"},
            {"DELETE", dns(domain) + "/A/www", null},
            {"POST", "/api/cart/checkout", json(checkoutBody(b -> item(b).put("domain", domain)))},
            {"POST", "/api/transfers", json(transferBody(domain))}
        }) {
            expectRefused(
                    "Alice on Bob's " + request[0] + " " + request[1],
                    request[0],
                    request[1],
                    alice.token(),
                    request[2]);
            String own = request[1].replace("bob-hostile", "alice-hostile");
            String body = request[2] == null ? null : request[2].replace("bob-hostile", "alice-hostile");
            if (!own.equals(request[1]) && !request[0].equals("GET")) {
                expectRefused("Bob on Alice's " + request[0] + " " + own, request[0], own, bob.token(), body);
            }
        }
    }

    // --- sending and checking -----------------------------------------------------------------------------------

    /** A request of Alice's with {@code body} as JSON, which must be refused. */
    private void refusedForAlice(String what, String method, String path, Object body) {
        expectRefused(what, method, path, alice.token(), json(body));
    }

    private void expectRefused(String what, String method, String path, String token, String body) {
        expectRefused(what, method, path, token, body, Map.of());
    }

    private void expectRefused(
            String what, String method, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(app.api().uri("/") + path.substring(1)))
                .timeout(Duration.ofSeconds(15))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            check(
                    what,
                    response.statusCode(),
                    response.headers().firstValue("content-type").orElse(""),
                    response.body(),
                    started,
                    token);
        } catch (Exception e) {
            sent++;
            failures.add(what + ": no answer (" + e + ")");
        }
    }

    private void rawRefused(String what, String request) {
        long started = System.nanoTime();
        try {
            RawHttp.Answer answer = RawHttp.send(app.api().uri("/"), request);
            String type = answer.head()
                    .lines()
                    .filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .findFirst()
                    .orElse("")
                    .toLowerCase();
            check(
                    what,
                    answer.status(),
                    type.replace("content-type:", "").trim(),
                    answer.body(),
                    started,
                    alice.token());
        } catch (RuntimeException e) {
            sent++;
            failures.add(what + ": no answer (" + e + ")");
        }
    }

    private void check(String what, int status, String contentType, String body, long started, String token) {
        sent++;
        slowestMs = Math.max(slowestMs, (System.nanoTime() - started) / 1_000_000);
        if (!TestApp.ADMIN_TOKEN.equals(token)) {
            answers.add(what + " -> " + body);
        }
        if (status < 400 || status > 499) {
            failures.add(what + " -> " + status + " " + abbreviate(body));
            return;
        }
        try {
            Map<String, Object> error = Json.readMap(body);
            if (!contentType.startsWith("application/json")
                    || !error.keySet().equals(java.util.Set.of("error", "message", "details"))) {
                failures.add(what + " -> " + status + " not the JSON error: " + contentType + " " + abbreviate(body));
            }
        } catch (RuntimeException e) {
            failures.add(what + " -> " + status + " not JSON: " + abbreviate(body));
        }
    }

    /** What the suite must not change: both wallets, their ledgers and domains. */
    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        for (Client client : List.of(alice, bob)) {
            state.put(
                    client.id() + " wallet",
                    app.api().get("/api/wallet", client.token()).text());
            state.put(
                    client.id() + " ledger",
                    app.api().get("/api/transactions", client.token()).text());
            state.put(
                    client.id() + " invoices",
                    app.api().get("/api/invoices", client.token()).text());
            List<Map<String, Object>> domains =
                    app.api().get("/api/domains", client.token()).list();
            domains.forEach(d -> d.remove("updatedAt"));
            state.put(client.id() + " domains", domains);
            for (Map<String, Object> domain : domains) {
                org.bson.Document byDomain = new org.bson.Document("domainId", domain.get("id"));
                state.put(
                        domain.get("name") + " dns changes",
                        app.db()
                                .get("dns_changes")
                                .find(byDomain)
                                .into(new ArrayList<>())
                                .size());
                state.put(
                        domain.get("name") + " renewals",
                        app.db()
                                .get("renewals")
                                .find(byDomain)
                                .into(new ArrayList<>())
                                .size());
            }
        }
        state.put("clients", app.db().get("clients").countDocuments());
        return state;
    }

    // --- bodies -------------------------------------------------------------------------------------------------

    private List<String[]> bodyEndpoints() {
        return List.of(
                new String[] {"POST", "/api/cart/checkout"},
                new String[] {"POST", "/api/transfers"},
                new String[] {"PATCH", "/api/domains/alice-hostile.com"},
                new String[] {"POST", "/api/domains/alice-hostile.com/renew"},
                new String[] {"POST", dns("alice-hostile.com")},
                new String[] {"PUT", dns("alice-hostile.com")},
                new String[] {"POST", "/api/admin/clients"},
                new String[] {"POST", credit(alice)});
    }

    private String token(String[] endpoint) {
        return endpoint[1].startsWith("/api/admin") ? TestApp.ADMIN_TOKEN : alice.token();
    }

    private static Map<String, Object> checkoutBody(Consumer<Map<String, Object>> change) {
        Map<String, Object> body = cart("alice-new.com");
        List<Map<String, Object>> items = new ArrayList<>();
        items.add(new LinkedHashMap<>(((List<Map<String, Object>>) body.get("items")).get(0)));
        body.put("items", items);
        Map<String, Object> contact = new LinkedHashMap<>(contact());
        contact.put("addressMailing", new LinkedHashMap<>((Map<String, Object>) contact.get("addressMailing")));
        body.put("contact", contact);
        change.accept(body);
        return body;
    }

    private static Map<String, Object> transferBody(String domain) {
        return new LinkedHashMap<>(
                Map.of("domain", domain, "authCode", "EPP-123", "contact", contact(), "agreeToTerms", true));
    }

    private static Map<String, Object> item(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.get("items")).get(0);
    }

    private static Map<String, Object> contactOf(Map<String, Object> body) {
        return (Map<String, Object>) body.get("contact");
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** An SRV record at the apex, valid but for its port, service and protocol as given. */
    private static Map<String, Object> srv(int port, String service, String protocol) {
        return map(
                "type",
                "SRV",
                "name",
                "@",
                "data",
                "sip.example.com",
                "priority",
                1,
                "weight",
                1,
                "port",
                port,
                "service",
                service,
                "protocol",
                protocol);
    }

    private static String credit(Client client) {
        return "/api/admin/clients/" + client.id() + "/wallet/credit";
    }

    private static String dns(String domain) {
        return "/api/domains/" + domain + "/dns/records";
    }

    private static String json(Object value) {
        return Json.write(value);
    }

    private static String abbreviate(String text) {
        String flat = text.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
        return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
    }
}
