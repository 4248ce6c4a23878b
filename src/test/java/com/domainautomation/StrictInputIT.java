package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Json;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.RawHttp;
import com.domainautomation.testing.TestApp;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bodies are taken only as one strict JSON document of known fields and types, over real HTTP: whatever else is sent
 * is a 4xx JSON error that names the problem, and no money moves.
 */
class StrictInputIT extends AppTestSupport {
    @Override
    protected boolean checksApiContract() {
        return true;
    }

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("roles", "api");
    }

    @Test
    void a_credit_body_that_is_not_exactly_one_json_document_is_refused_and_credits_nothing() {
        Client client = newClient("10.00");
        String credit = "/api/admin/clients/" + client.id() + "/wallet/credit";
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("{\"amount\":\"5.00\"} trailing", 400);
        expected.put("{\"amount\":\"5.00\"}{\"amount\":\"5.00\"}", 400);
        expected.put("{\"amount\":\"5.00\"} {}", 400);
        expected.put("{\"amount\":\"5.00\",\"amount\":\"900.00\"}", 400);
        expected.put("{\"amount\":\"5.00\"", 400);
        expected.put("", 400);
        expected.put("   ", 400);
        expected.put("null", 400);
        expected.put("[{\"amount\":\"5.00\"}]", 400);
        expected.put("{\"amount\":\"5.00\",\"description\":" + "[".repeat(40) + "]".repeat(40) + "}", 400);
        expected.put("{\"amount\":\"5.00\",\"description\":\"" + "x".repeat(70_000) + "\"}", 413);
        for (Map.Entry<String, Integer> body : expected.entrySet()) {
            ApiClient.Response answer = app.api().post(credit, TestApp.ADMIN_TOKEN, body.getKey());
            assertJsonError(answer, body.getValue(), abbreviate(body.getKey()));
        }

        byte[] invalidUtf8 =
                "{\"amount\":\"5.00\",\"description\":\"caf\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertJsonError(raw(credit, invalidUtf8, Map.of("Content-Type", "application/json")), 400, "invalid UTF-8");
        byte[] json = "{\"amount\":\"5.00\"}".getBytes(StandardCharsets.UTF_8);
        assertJsonError(raw(credit, json, Map.of("Content-Type", "text/plain")), 415, "text/plain");
        assertJsonError(raw(credit, json, Map.of()), 415, "no Content-Type");
        assertJsonError(
                raw(credit, json, Map.of("Content-Type", "application/json; charset=latin1")), 415, "another charset");
        assertJsonError(
                raw(credit, json, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip")),
                415,
                "a false gzip");

        assertEquals("10.00", balance(client), "nothing was credited");
        assertEquals(
                201,
                raw(credit, json, Map.of("Content-Type", "application/json; charset=UTF-8"))
                        .status());
        assertEquals("15.00", balance(client));
    }

    @Test
    void money_is_a_plain_decimal_string_in_the_wallets_currency_up_to_the_maximum() {
        Client client = newClient("10.00");
        String credit = "/api/admin/clients/" + client.id() + "/wallet/credit";
        List<Object> amounts = Arrays.asList(
                " 12.34",
                "12.34\n",
                "12.34 ",
                12.34,
                12,
                "1e3",
                "1E3",
                "-1",
                "-0.01",
                "0",
                "0.00",
                "0.001",
                "12.345",
                "+5",
                ".5",
                "5.",
                "1,00",
                "10000.01",
                "99999999999",
                "NaN",
                "Infinity",
                "0x10",
                "\u0661\u0662",
                "",
                null,
                true,
                List.of("5"),
                Map.of("$gt", 0),
                java.util.Collections.singletonMap("$ne", null));
        assertEachRefused(credit, Map.of(), "amount", amounts);
        List<Object> currencies = Arrays.asList(
                "XXX",
                "usd",
                "",
                " USD",
                "EUR",
                null,
                1,
                java.util.Collections.singletonMap("$ne", null),
                List.of("USD"));
        assertEachRefused(credit, Map.of("amount", "5.00"), "currency", currencies);
        List<Object> references = Arrays.asList(
                "<b>bank</b>", "x".repeat(101), "line\nbreak", "", " padded", "a\u202Eb", 42, Map.of("$ne", ""));
        assertEachRefused(credit, Map.of("amount", "5.00"), "reference", references);
        assertEquals("10.00", balance(client), "nothing was credited");

        ApiClient.Response ok = app.api()
                .post(
                        credit,
                        TestApp.ADMIN_TOKEN,
                        Map.of("amount", "10000.00", "currency", "USD", "reference", "Bank transfer 2026-12-01"));
        assertEquals(201, ok.status(), ok.text());
        assertEquals("10010.00", balance(client));
        Map<String, Object> entry =
                app.api().get("/api/transactions", client.token()).list().get(0);
        assertEquals("Bank transfer 2026-12-01", entry.get("reference"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void an_unknown_field_is_a_400_naming_it_on_every_body_endpoint() {
        Client client = newClient("100.00");
        assertEquals(202, checkout(client, cart("strict-example.com")).status());
        awaitDomainRow(client, "strict-example.com");
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("credit", new String[] {
            "POST",
            "/api/admin/clients/" + client.id() + "/wallet/credit",
            "{\"amount\":\"5.00\",\"amont\":\"5.00\"}",
            "amont"
        });
        cases.put("client", new String[] {
            "POST", "/api/admin/clients", "{\"name\":\"Bob\",\"email\":\"bob@example.com\",\"admin\":true}", "admin"
        });
        cases.put(
                "auto-renew",
                new String[] {"PATCH", "/api/domains/strict-example.com", "{\"autoRenw\":true}", "autoRenw"});
        cases.put(
                "renewal",
                new String[] {"POST", "/api/domains/strict-example.com/renew", "{\"years\":1,\"yeras\":2}", "yeras"});
        cases.put("dns", new String[] {
            "PUT",
            "/api/domains/strict-example.com/dns/records",
            "[{\"type\":\"MX\",\"name\":\"@\",\"data\":\"mail.example.com\",\"prio\":10,\"priority\":10}]",
            "records[0].prio"
        });
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String[] request = c.getValue();
            String token = request[1].startsWith("/api/admin") ? TestApp.ADMIN_TOKEN : client.token();
            ApiClient.Response answer = app.api()
                    .send(
                            HttpRequest.newBuilder(app.api().uri(request[1]))
                                    .header("Content-Type", "application/json")
                                    .method(request[0], HttpRequest.BodyPublishers.ofString(request[2])),
                            token,
                            Map.of());
            assertJsonError(answer, 400, c.getKey());
            assertTrue(fields(answer).contains(request[3]), c.getKey() + " names " + request[3] + ": " + answer.text());
        }

        Map<String, Object> misspelt = cart("strict-other.com");
        ((Map<String, Object>) misspelt.get("contact")).put("fax", "+1.5555555555");
        ((Map<String, Object>) ((Map<String, Object>) misspelt.get("contact")).get("addressMailing"))
                .put("zip", "12345");
        misspelt.put("coupon", "FREE");
        ApiClient.Response answer = checkout(client, misspelt);
        assertJsonError(answer, 400, "checkout");
        assertTrue(
                fields(answer).containsAll(List.of("coupon", "contact.fax", "contact.addressMailing.zip")),
                answer.text());
        assertEquals(String.format("%.2f", 100 - 12.99), balance(client), "one checkout charged, nothing else");
    }

    @Test
    void json_types_are_not_coerced() {
        Client client = newClient("100.00");
        assertEquals(202, checkout(client, cart("types-example.com")).status());
        awaitDomainRow(client, "types-example.com");
        assertJsonError(
                app.api().patch("/api/domains/types-example.com", client.token(), Map.of("autoRenew", 0)),
                400,
                "autoRenew 0");
        assertJsonError(
                app.api().patch("/api/domains/types-example.com", client.token(), Map.of("autoRenew", "true")),
                400,
                "autoRenew \"true\"");
        assertJsonError(
                app.api().post("/api/domains/types-example.com/renew", client.token(), Map.of("years", "1")),
                400,
                "years \"1\"");
        assertJsonError(
                app.api().post("/api/domains/types-example.com/renew", client.token(), Map.of("years", 1.0)),
                400,
                "years 1.0");
        assertJsonError(
                checkout(client, cart(b -> b.put("agreeToTerms", "true"), "types-other.com")),
                400,
                "agreeToTerms \"true\"");
        assertJsonError(
                app.api()
                        .post(
                                "/api/admin/clients",
                                TestApp.ADMIN_TOKEN,
                                Map.of("name", List.of("Bob"), "email", "bob@example.com")),
                400,
                "name list");
        assertEquals(String.format("%.2f", 100 - 12.99), balance(client));
    }

    @Test
    @SuppressWarnings("unchecked")
    void domain_names_are_taken_as_sent_and_contacts_and_dns_changes_are_checked_before_any_charge() {
        Client client = newClient("100.00");
        List<String> names = List.of(
                " ada-example.com",
                "ada-example.com ",
                "ada-exa\u200Bmple.com",
                "\u202Eada-example.com",
                "\u0440\u0430ypal.com",
                "xn--ypal-43d9g.com",
                "g\u03BFogle.com",
                "\uFF45xample.com",
                "\u2603-example.com",
                "xn--n3h.com",
                "ada\u00ADexample.com",
                "a\u05D0.com");
        for (String name : names) {
            ApiClient.Response answer = checkout(client, cart(name));
            assertJsonError(answer, 400, "checkout of [" + name + "]");
            assertEquals(List.of("items[0].domain"), fields(answer), answer.text());
            Map<String, Object> transfer = new LinkedHashMap<>(
                    Map.of("domain", name, "authCode", "Code-123", "contact", contact(), "agreeToTerms", true));
            assertJsonError(
                    app.api().post("/api/transfers", client.token(), transfer), 400, "transfer of [" + name + "]");
        }
        for (String hostile : List.of("<b>Ada</b>", "Ada\u202E", "Ada\u0000")) {
            ApiClient.Response answer = checkout(
                    client,
                    cart(b -> ((Map<String, Object>) b.get("contact")).put("nameFirst", hostile), "ada-example.com"));
            assertJsonError(answer, 400, "contact name " + hostile);
            assertEquals(List.of("contact.nameFirst"), fields(answer), answer.text());
        }
        assertEquals("100.00", balance(client), "nothing was charged");

        assertEquals(202, checkout(client, cart("ada-example.com")).status());
        String records = "/api/domains/ada-example.com/dns/records";
        assertJsonError(
                app.api()
                        .post(
                                records,
                                client.token(),
                                List.of(Map.of("type", "CNAME", "name", "@", "data", "shops.example.net"))),
                400,
                "CNAME at the apex");
        assertJsonError(
                app.api()
                        .post(
                                records,
                                client.token(),
                                List.of(
                                        Map.of("type", "CNAME", "name", "www", "data", "shops.example.net"),
                                        Map.of("type", "TXT", "name", "www", "data", "hello"))),
                400,
                "CNAME beside a TXT");
    }

    @Test
    void an_email_belongs_to_one_client() {
        Client first = newClient(null);
        ApiClient.Response again = app.api()
                .post(
                        "/api/admin/clients",
                        TestApp.ADMIN_TOKEN,
                        Map.of("name", "Ada Again", "email", "ADA@Example.com"));
        assertJsonError(again, 409, "same email, other case");
        assertEquals("email_taken", again.map().get("error"));
        assertTrue(again.text().contains(first.id()), again.text());
        ApiClient.Response markup = app.api()
                .post(
                        "/api/admin/clients",
                        TestApp.ADMIN_TOKEN,
                        Map.of("name", "<img src=x>", "email", "eve@example.com"));
        assertJsonError(markup, 400, "markup in a name");
        assertEquals(
                201,
                app.api()
                        .post(
                                "/api/admin/clients",
                                TestApp.ADMIN_TOKEN,
                                Map.of("name", "Eve", "email", "eve@example.com"))
                        .status(),
                "the refused create did not claim the email");
    }

    /** Each value of {@code field} added to {@code base} is a 400 that names that field. */
    private void assertEachRefused(String path, Map<String, Object> base, String field, List<Object> values) {
        for (Object value : values) {
            Map<String, Object> body = new HashMap<>(base);
            body.put(field, value);
            ApiClient.Response answer = app.api().post(path, TestApp.ADMIN_TOKEN, body);
            assertJsonError(answer, 400, field + " " + value);
            assertEquals(field, field(answer), answer.text());
        }
    }

    @Test
    void every_error_the_http_server_raises_itself_is_the_json_error() {
        Client client = newClient(null);
        assertJsonError(app.api().get("/no/such/path", client.token()), 404, "unknown path");
        assertJsonError(app.api().get("/api/../etc/passwd", client.token()), 404, "dot segments");
        assertJsonError(app.api().get("/api/wallet?x=" + "a".repeat(10_000), client.token()), 414, "long request line");
        assertJsonError(
                app.api()
                        .send(
                                HttpRequest.newBuilder(app.api().uri("/api/wallet"))
                                        .GET(),
                                client.token(),
                                Map.of("X-Padding", "p".repeat(20_000))),
                431,
                "long headers");
        assertJsonError(
                app.api()
                        .send(
                                HttpRequest.newBuilder(app.api().uri("/api/wallet"))
                                        .DELETE(),
                                client.token(),
                                Map.of()),
                405,
                "DELETE on a GET path");
        assertJsonError(
                app.api()
                        .post(
                                "/api/admin/clients/" + client.id() + "/wallet/credit",
                                TestApp.ADMIN_TOKEN,
                                "{\"amount\":\"5.00\",\"description\":\"" + "x".repeat(2_000_000) + "\"}"),
                413,
                "a 2 MB body");
        String auth = "Authorization: Bearer " + client.token() + "\r\n";
        Map<String, Integer> raw = new LinkedHashMap<>();
        raw.put("GET /api/domains/%ZZ HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n", 400);
        raw.put("BREW /api/wallet HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n", 405);
        raw.put("GET /api/wallet HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n" + auth + "Connection: close\r\n\r\n", 400);
        raw.put(
                "GET /api/wallet HTTP/1.1\r\nHost: x\r\nBad Header Name: a\r\n" + auth + "Connection: close\r\n\r\n",
                400);
        raw.put(
                "POST /api/admin/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestApp.ADMIN_TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
                400);
        for (Map.Entry<String, Integer> request : raw.entrySet()) {
            RawHttp.Answer answer = RawHttp.send(app.api().uri("/"), request.getKey());
            String what = request.getKey().substring(0, request.getKey().indexOf('\r')) + " -> " + answer.head() + "\n"
                    + answer.body();
            assertEquals((int) request.getValue(), answer.status(), what);
            assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), what);
            assertTrue(Json.readMap(answer.body()).keySet().containsAll(List.of("error", "message", "details")), what);
        }
        assertEquals("0.00", balance(client));
    }

    private void awaitDomainRow(Client client, String name) {
        assertEquals(200, app.api().get("/api/domains/" + name, client.token()).status());
    }

    private ApiClient.Response raw(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(app.api().uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return app.api().send(request, TestApp.ADMIN_TOKEN, headers);
    }

    private static void assertJsonError(ApiClient.Response answer, int status, String what) {
        assertEquals(status, answer.status(), what + ": " + answer.text());
        assertNotNull(answer.map(), what + ": the answer is JSON: " + answer.text());
        assertTrue(
                answer.map().keySet().containsAll(List.of("error", "message", "details")), what + ": " + answer.text());
    }

    private static String field(ApiClient.Response answer) {
        List<String> fields = fields(answer);
        return fields.size() == 1 ? fields.get(0) : fields.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> fields(ApiClient.Response answer) {
        List<String> fields = new ArrayList<>();
        for (Map<String, Object> detail :
                (List<Map<String, Object>>) answer.map().get("details")) {
            fields.add((String) detail.get("field"));
        }
        return fields;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
