package com.domainautomation.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.billing.Pricing;
import com.domainautomation.support.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckoutValidatorTest {

    private final CheckoutValidator validator =
            new CheckoutValidator(new Pricing("USD", Map.of("com", 1299L, "net", 1499L)));

    private static Map<String, Object> item(String domain) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("domain", domain);
        return item;
    }

    private static Map<String, Object> item(String domain, Object years) {
        Map<String, Object> item = item(domain);
        item.put("years", years);
        return item;
    }

    private static Map<String, Object> address() {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("address1", "14455 N Hayden Rd");
        address.put("city", "Scottsdale");
        address.put("state", "AZ");
        address.put("postalCode", "85260");
        address.put("country", "us");
        return address;
    }

    private static Map<String, Object> contact() {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("nameFirst", "Ada");
        contact.put("nameLast", "Lovelace");
        contact.put("email", " ada@example.com ");
        contact.put("phone", "+1.4805058800");
        contact.put("addressMailing", address());
        return contact;
    }

    /** A body that passes; tests change one thing in it. */
    private static Map<String, Object> validBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> first = item("Example.com", 2);
        first.put("privacy", true);
        first.put("autoRenew", false);
        body.put("items", new ArrayList<>(List.of(first, item("bücher.net"))));
        body.put("contact", contact());
        body.put("agreeToTerms", true);
        return body;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> items(Map<String, Object> body) {
        return (List<Object>) body.get("items");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> contactOf(Map<String, Object> body) {
        return (Map<String, Object>) body.get("contact");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> addressOf(Map<String, Object> body) {
        return (Map<String, Object>) contactOf(body).get("addressMailing");
    }

    private ApiException invalid(Map<String, Object> body) {
        ApiException e = assertThrows(ApiException.class, () -> validator.validate(body));
        assertEquals(400, e.status());
        assertEquals("validation_failed", e.code());
        return e;
    }

    private static List<String> fields(ApiException e) {
        return e.details().stream().map(d -> String.valueOf(d.get("field"))).toList();
    }

    private void assertOnlyProblem(Map<String, Object> body, String field) {
        ApiException e = invalid(body);
        assertEquals(List.of(field), fields(e), () -> "details: " + e.details());
    }

    @Test
    void accepts_a_valid_body_and_totals_price_times_years_in_minor_units() {
        CheckoutRequest request = validator.validate(validBody());

        assertEquals(2, request.items().size());
        CheckoutRequest.Item first = request.items().get(0);
        assertEquals("example.com", first.domain().ascii());
        assertEquals(2, first.years());
        assertTrue(first.privacy());
        assertFalse(first.autoRenew());
        assertEquals(2 * 1299L, first.price());
        CheckoutRequest.Item second = request.items().get(1);
        assertEquals("xn--bcher-kva.net", second.domain().ascii());
        assertEquals(1, second.years(), "years defaults to 1");
        assertFalse(second.privacy(), "privacy defaults to false");
        assertEquals(1499L, second.price());
        assertEquals(2 * 1299L + 1499L, request.total());
        assertEquals("USD", request.currency());
    }

    @Test
    void normalises_the_contact() {
        CheckoutRequest request = validator.validate(validBody());
        assertEquals("ada@example.com", request.contact().get("email"));
        @SuppressWarnings("unchecked")
        Map<String, Object> mailing = (Map<String, Object>) request.contact().get("addressMailing");
        assertEquals("US", mailing.get("country"));
    }

    @Test
    void accepts_twenty_items() {
        Map<String, Object> body = validBody();
        List<Object> twenty = new ArrayList<>();
        for (int i = 0; i < CheckoutValidator.MAX_ITEMS; i++) {
            twenty.add(item("shop" + i + ".com"));
        }
        body.put("items", twenty);
        CheckoutRequest request = validator.validate(body);
        assertEquals(20, request.items().size());
        assertEquals(20 * 1299L, request.total());
    }

    @Test
    void collects_every_problem_with_its_field_path() {
        Map<String, Object> body = validBody();
        items(body).add(item("bad_name.com", 0));
        Map<String, Object> c = contactOf(body);
        c.put("email", "nope");
        c.put("phone", "480-505-8800");
        body.put("agreeToTerms", false);

        ApiException e = invalid(body);

        assertEquals(
                List.of("items[2].domain", "items[2].years", "contact.email", "contact.phone", "agreeToTerms"),
                fields(e));
        assertTrue(e.getMessage().contains("5 problem"), e.getMessage());
        e.details().forEach(d -> assertFalse(String.valueOf(d.get("message")).isBlank(), "message for " + d));
    }

    @Test
    void rejects_missing_items() {
        Map<String, Object> body = validBody();
        body.remove("items");
        assertOnlyProblem(body, "items");
    }

    @Test
    void rejects_empty_item_list() {
        Map<String, Object> body = validBody();
        body.put("items", List.of());
        assertOnlyProblem(body, "items");
    }

    @Test
    void rejects_items_that_is_not_a_list() {
        Map<String, Object> body = validBody();
        body.put("items", item("example.com"));
        assertOnlyProblem(body, "items");
    }

    @Test
    void rejects_more_than_twenty_items() {
        Map<String, Object> body = validBody();
        List<Object> many = new ArrayList<>();
        for (int i = 0; i <= CheckoutValidator.MAX_ITEMS; i++) {
            many.add(item("shop" + i + ".com"));
        }
        body.put("items", many);
        ApiException e = invalid(body);
        assertEquals(List.of("items"), fields(e));
        assertTrue(String.valueOf(e.details().get(0).get("message")).contains("20"));
    }

    @Test
    void rejects_item_that_is_not_an_object() {
        Map<String, Object> body = validBody();
        items(body).set(1, "example.net");
        assertOnlyProblem(body, "items[1]");
    }

    @Test
    void rejects_unknown_item_field() {
        Map<String, Object> body = validBody();
        Map<String, Object> item = item("example.net");
        item.put("price", 1);
        items(body).set(1, item);
        assertOnlyProblem(body, "items[1].price");
    }

    @Test
    void rejects_missing_domain() {
        Map<String, Object> body = validBody();
        items(body).set(1, new HashMap<>(Map.of("years", 1)));
        assertOnlyProblem(body, "items[1].domain");
    }

    @Test
    void rejects_invalid_domain_with_the_parser_reason() {
        Map<String, Object> body = validBody();
        items(body).set(1, item("a.b.com"));
        ApiException e = invalid(body);
        assertEquals(List.of("items[1].domain"), fields(e));
        assertTrue(String.valueOf(e.details().get(0).get("message")).contains("subdomain"));
    }

    @Test
    void rejects_duplicate_domain() {
        Map<String, Object> body = validBody();
        items(body).add(item("EXAMPLE.com"));
        assertOnlyProblem(body, "items[2].domain");
    }

    @Test
    void rejects_duplicate_domain_after_idn_normalisation() {
        Map<String, Object> body = validBody();
        body.put("items", new ArrayList<>(List.of(item("BÜCHER.com"), item("xn--bcher-kva.com"))));
        ApiException e = invalid(body);
        assertEquals(List.of("items[1].domain"), fields(e));
        assertTrue(String.valueOf(e.details().get(0).get("message")).contains("twice"));
    }

    @Test
    void rejects_years_zero() {
        Map<String, Object> body = validBody();
        items(body).set(1, item("example.net", 0));
        assertOnlyProblem(body, "items[1].years");
    }

    @Test
    void rejects_years_eleven() {
        Map<String, Object> body = validBody();
        items(body).set(1, item("example.net", 11));
        assertOnlyProblem(body, "items[1].years");
    }

    @Test
    void accepts_years_ten() {
        Map<String, Object> body = validBody();
        items(body).set(1, item("example.net", 10));
        assertEquals(10 * 1499L, validator.validate(body).items().get(1).price());
    }

    @Test
    void rejects_years_as_string() {
        Map<String, Object> body = validBody();
        items(body).set(1, item("example.net", "2"));
        assertOnlyProblem(body, "items[1].years");
    }

    @Test
    void rejects_fractional_years() {
        Map<String, Object> body = validBody();
        items(body).set(1, item("example.net", 2.5));
        assertOnlyProblem(body, "items[1].years");
    }

    @Test
    void rejects_privacy_that_is_not_boolean() {
        Map<String, Object> body = validBody();
        Map<String, Object> item = item("example.net");
        item.put("privacy", "yes");
        items(body).set(1, item);
        assertOnlyProblem(body, "items[1].privacy");
    }

    @Test
    void rejects_auto_renew_that_is_not_boolean() {
        Map<String, Object> body = validBody();
        Map<String, Object> item = item("example.net");
        item.put("autoRenew", 1);
        items(body).set(1, item);
        assertOnlyProblem(body, "items[1].autoRenew");
    }

    @Test
    void rejects_tld_we_do_not_sell() {
        Map<String, Object> body = validBody();
        items(body).set(1, item("example.org"));
        ApiException e = invalid(body);
        assertEquals(List.of("items[1].domain"), fields(e));
        String message = String.valueOf(e.details().get(0).get("message"));
        assertTrue(message.contains(".org") && message.contains(".com") && message.contains(".net"), message);
    }

    @Test
    void rejects_missing_contact() {
        Map<String, Object> body = validBody();
        body.remove("contact");
        assertOnlyProblem(body, "contact");
    }

    @Test
    void rejects_contact_that_is_not_an_object() {
        Map<String, Object> body = validBody();
        body.put("contact", "ada@example.com");
        assertOnlyProblem(body, "contact");
    }

    @Test
    void rejects_missing_contact_name() {
        Map<String, Object> body = validBody();
        contactOf(body).remove("nameFirst");
        contactOf(body).put("nameLast", " ");
        ApiException e = invalid(body);
        assertEquals(List.of("contact.nameFirst", "contact.nameLast"), fields(e));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "ada", "ada@", "@example.com", "ada@example", "ada example@example.com", "<a>@example.com"})
    void rejects_bad_email(String email) {
        Map<String, Object> body = validBody();
        contactOf(body).put("email", email);
        assertOnlyProblem(body, "contact.email");
    }

    @Test
    void rejects_email_longer_than_80_characters() {
        Map<String, Object> body = validBody();
        contactOf(body).put("email", "a".repeat(70) + "@example.com");
        assertOnlyProblem(body, "contact.email");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4805058800",
                "+1 480 505 8800",
                "+1-4805058800",
                "+1.480",
                "+1234.4805058800",
                "1.4805058800",
                "+1.480505880012345"
            })
    void rejects_bad_phone(String phone) {
        Map<String, Object> body = validBody();
        contactOf(body).put("phone", phone);
        assertOnlyProblem(body, "contact.phone");
    }

    @Test
    void rejects_missing_phone() {
        Map<String, Object> body = validBody();
        contactOf(body).remove("phone");
        assertOnlyProblem(body, "contact.phone");
    }

    @Test
    void rejects_missing_mailing_address() {
        Map<String, Object> body = validBody();
        contactOf(body).remove("addressMailing");
        assertOnlyProblem(body, "contact.addressMailing");
    }

    @Test
    void rejects_missing_address_fields_with_their_paths() {
        Map<String, Object> body = validBody();
        Map<String, Object> address = addressOf(body);
        address.remove("address1");
        address.remove("city");
        address.put("postalCode", "852#60");
        ApiException e = invalid(body);
        assertEquals(
                List.of(
                        "contact.addressMailing.address1",
                        "contact.addressMailing.city",
                        "contact.addressMailing.postalCode"),
                fields(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"XX", "usa", "USA", "U", ""})
    void rejects_bad_country(String country) {
        Map<String, Object> body = validBody();
        addressOf(body).put("country", country);
        assertOnlyProblem(body, "contact.addressMailing.country");
    }

    @Test
    void rejects_missing_country() {
        Map<String, Object> body = validBody();
        addressOf(body).remove("country");
        assertOnlyProblem(body, "contact.addressMailing.country");
    }

    @Test
    void rejects_control_characters_in_contact_text() {
        Map<String, Object> body = validBody();
        contactOf(body).put("nameLast", "Love\u0000lace");
        assertOnlyProblem(body, "contact.nameLast");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<b>Ada</b>", "Ada<script>", "Ada\u202E", "A\u200Bda", "Ada\n", "Ada\u0085"})
    void rejects_markup_control_and_invisible_characters_in_contact_text(String value) {
        Map<String, Object> body = validBody();
        contactOf(body).put("nameFirst", value);
        assertOnlyProblem(body, "contact.nameFirst");
        Map<String, Object> other = validBody();
        ((Map<String, Object>) contactOf(other).get("addressMailing")).put("city", value);
        assertOnlyProblem(other, "contact.addressMailing.city");
    }

    @Test
    void rejects_missing_agree_to_terms() {
        Map<String, Object> body = validBody();
        body.remove("agreeToTerms");
        assertOnlyProblem(body, "agreeToTerms");
    }

    @Test
    void rejects_agree_to_terms_false() {
        Map<String, Object> body = validBody();
        body.put("agreeToTerms", false);
        assertOnlyProblem(body, "agreeToTerms");
    }

    @Test
    void rejects_agree_to_terms_as_string() {
        Map<String, Object> body = validBody();
        body.put("agreeToTerms", "true");
        assertOnlyProblem(body, "agreeToTerms");
    }

    @Test
    void reports_items_contact_and_terms_problems_together() {
        Map<String, Object> body = new LinkedHashMap<>();
        ApiException e = invalid(body);
        assertEquals(List.of("items", "contact", "agreeToTerms"), fields(e));
    }
}
