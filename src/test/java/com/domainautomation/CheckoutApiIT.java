package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Db;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.SharedStores;
import com.domainautomation.testing.TestApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkout API: validation, money, idempotency, ownership and authentication, through real HTTP. */
class CheckoutApiIT extends AppTestSupport {
    @Override
    protected boolean checksApiContract() {
        return true;
    }

    @Override
    protected void customize(Map<String, String> settings) {
        // No worker in this class: what checkout itself writes and queues stays visible.
        settings.put("roles", "api");
        // a TLD the bundled prices do not list, priced from outside the jar (PRICING_REGISTRATION_XYZ)
        settings.put("pricing.registration.xyz", "5.00");
    }

    @Test
    void a_tld_priced_from_outside_the_jar_can_be_bought() {
        Client client = newClient("20.00");

        ApiClient.Response response = checkout(client, cart("ada-example.xyz"));

        assertEquals(202, response.status(), response.text());
        assertEquals("15.00", balance(client), "charged the price set for .xyz");
    }

    @Test
    void insufficient_funds_is_402_and_changes_nothing() {
        Client client = newClient("10.00");

        ApiClient.Response response = checkout(client, cart("ada-example.com"));

        assertEquals(402, response.status(), response.text());
        assertEquals("insufficient_funds", response.map().get("error"));
        assertEquals("10.00", balance(client));
        assertTrue(app.api().get("/api/domains", client.token()).list().isEmpty());
        assertTrue(app.api().get("/api/invoices", client.token()).list().isEmpty());
        assertEquals(List.of("credit"), types(client));
        assertEquals(0, queued(), "no registration job");
        assertEquals(202, checkout(newClient("20.00"), cart("ada-example.com")).status(), "the name was released");
    }

    @Test
    void malformed_and_hostile_checkout_bodies_are_400_with_a_json_error_and_charge_nothing() {
        Client client = newClient("100.00");
        List<Object> bodies = new ArrayList<>(List.of(
                "{not json",
                "[]",
                "\"a string\"",
                "{}",
                Map.of("items", "ada-example.com", "contact", contact(), "agreeToTerms", true),
                cart("<script>alert(1)</script>.com"),
                cart("ada-example.zz"),
                cart("a..com"),
                cart("-ada.com"),
                cart("x".repeat(64) + ".com"),
                cart("ada-example.com", "ADA-example.com"),
                cart(b -> b.put("agreeToTerms", false), "ada-example.com"),
                cart(b -> b.remove("contact"), "ada-example.com"),
                cart(b -> ((Map<String, Object>) b.get("contact")).put("phone", "555-1234"), "ada-example.com"),
                cart(b -> ((Map<String, Object>) b.get("contact")).put("email", "ada@"), "ada-example.com"),
                cart(
                        b -> ((Map<String, Object>) b.get("contact")).put("nameFirst", "x".repeat(10_000)),
                        "ada-example.com"),
                cart(b -> b.put("items", List.of(Map.of("domain", "ada-example.com", "years", 0))), "ada-example.com"),
                cart(b -> b.put("items", List.of(Map.of("domain", "ada-example.com", "years", 11))), "ada-example.com"),
                cart(
                        b -> b.put("items", List.of(Map.of("domain", "ada-example.com", "years", "2"))),
                        "ada-example.com"),
                cart(
                        b -> b.put("items", List.of(Map.of("domain", "ada-example.com", "price", "0.01"))),
                        "ada-example.com"),
                cart(b -> b.put("items", List.of(Map.of("domain", 42))), "ada-example.com")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add("many-" + i + ".com");
        }
        bodies.add(cart(many.toArray(String[]::new)));
        Map<String, Object> countryless = cart("ada-example.com");
        Map<String, Object> badAddress = new LinkedHashMap<>(
                (Map<String, Object>) ((Map<String, Object>) countryless.get("contact")).get("addressMailing"));
        badAddress.put("country", "Narnia");
        ((Map<String, Object>) countryless.get("contact")).put("addressMailing", badAddress);
        bodies.add(countryless);

        for (Object body : bodies) {
            ApiClient.Response response =
                    checkout(client, body instanceof String s ? Map.of("raw", s) : (Map<String, Object>) body);
            if (body instanceof String raw) {
                response = app.api().post("/api/cart/checkout", client.token(), raw);
            }
            assertEquals(400, response.status(), "for " + body + ": " + response.text());
            assertNotNull(response.map(), "a JSON error body for " + body);
            assertNotNull(response.map().get("error"));
            assertFalse(((String) response.map().get("message")).isBlank());
        }
        assertEquals("100.00", balance(client));
        assertEquals(List.of("credit"), types(client));
        assertEquals(0, queued());
    }

    @Test
    void a_form_encoded_body_is_415() {
        Client client = newClient("100.00");
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + app.settings().get("http.port") + "/api/cart/checkout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("domain=ada-example.com"));
        ApiClient.Response response = app.api().send(request, client.token(), Map.of());
        assertEquals(415, response.status(), response.text());
        assertEquals("100.00", balance(client));
    }

    @Test
    void an_idn_domain_is_bought_as_punycode() {
        Client client = newClient("100.00");

        ApiClient.Response response = checkout(client, cart("bücher.com"));

        assertEquals(202, response.status(), response.text());
        Map<?, ?> domain = ((List<Map<?, ?>>) response.map().get("domains")).get(0);
        assertEquals("xn--bcher-kva.com", domain.get("domain"));
        assertEquals("bücher.com", domain.get("unicodeDomain"));
        assertEquals("pending", domain(client, "bücher.com").get("status"));
    }

    @Test
    void charges_once_when_checkout_is_retried_with_the_same_idempotency_key() {
        Client client = newClient("100.00");
        Map<String, String> key = Map.of("Idempotency-Key", "order-42");

        ApiClient.Response first =
                app.api().post("/api/cart/checkout", client.token(), cart("ada-example.com", "ada-example.net"), key);
        ApiClient.Response second =
                app.api().post("/api/cart/checkout", client.token(), cart("ada-example.com", "ada-example.net"), key);

        assertEquals(202, first.status(), first.text());
        assertEquals(202, second.status(), second.text());
        assertEquals(
                ((Map<?, ?>) first.map().get("order")).get("id"),
                ((Map<?, ?>) second.map().get("order")).get("id"));
        assertEquals("72.02", balance(client), "100.00 - 12.99 - 14.99, once");
        assertEquals(1, types(client).stream().filter("charge"::equals).count());
        assertEquals(2, queued(), "one job per domain, not per request");

        ApiClient.Response other = app.api().post("/api/cart/checkout", client.token(), cart("other-example.com"), key);
        assertEquals(422, other.status(), "the key belongs to another body: " + other.text());
    }

    @Test
    void a_name_already_being_registered_through_us_is_409() {
        Client ada = newClient("100.00");
        Client bob = newClient("100.00");
        assertEquals(202, checkout(ada, cart("ada-example.com")).status());

        ApiClient.Response response = checkout(bob, cart("bob-example.com", "ada-example.com"));

        assertEquals(409, response.status(), response.text());
        assertEquals("100.00", balance(bob));
        assertEquals(202, checkout(bob, cart("bob-example.com")).status(), "bob's own name was not kept claimed");
    }

    @Test
    void one_client_cannot_see_another_clients_domain() {
        Client ada = newClient("100.00");
        Client bob = newClient("100.00");
        assertEquals(202, checkout(ada, cart("ada-example.com")).status());

        ApiClient.Response response = app.api().get("/api/domains/ada-example.com", bob.token());

        assertEquals(404, response.status(), response.text());
        assertEquals("not_found", response.map().get("error"));
        assertTrue(app.api().get("/api/domains", bob.token()).list().isEmpty());
        assertEquals(
                200, app.api().get("/api/domains/ada-example.com", ada.token()).status());
    }

    @Test
    void tokens_are_checked_and_roles_enforced() {
        Client client = newClient("100.00");
        assertEquals(401, app.api().get("/api/wallet", null).status());
        assertEquals(401, app.api().get("/api/wallet", "da_not-a-token").status());
        assertEquals("unauthorized", app.api().get("/api/wallet", "nope").map().get("error"));
        assertEquals(
                403,
                app.api()
                        .post("/api/admin/clients", client.token(), Map.of("name", "Eve", "email", "eve@example.com"))
                        .status());
        assertEquals(403, app.api().get("/api/wallet", TestApp.ADMIN_TOKEN).status(), "the admin has no wallet");
        assertEquals(
                400,
                app.api()
                        .post("/api/admin/clients", TestApp.ADMIN_TOKEN, Map.of("name", "", "email", "x"))
                        .status());
        assertEquals(
                400,
                app.api()
                        .post(
                                "/api/admin/clients/" + client.id() + "/wallet/credit",
                                TestApp.ADMIN_TOKEN,
                                Map.of("amount", "-5"))
                        .status());
        assertEquals(
                404,
                app.api()
                        .post(
                                "/api/admin/clients/cli_unknown/wallet/credit",
                                TestApp.ADMIN_TOKEN,
                                Map.of("amount", "5"))
                        .status());
        // the token is stored only as a hash
        Db db = app.db();
        assertTrue(db.get(Db.API_TOKENS).find().into(new ArrayList<>()).stream()
                .noneMatch(t -> t.toJson().contains(client.token())));
    }

    private List<String> types(Client client) {
        return app.api().get("/api/transactions", client.token()).list().stream()
                .map(t -> (String) t.get("type"))
                .toList();
    }

    private long queued() {
        return SharedStores.redis().sync().xlen("da:q:{domain-registration}:p2");
    }
}
