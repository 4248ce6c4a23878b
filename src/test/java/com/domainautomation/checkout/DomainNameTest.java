package com.domainautomation.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNameTest {

    private static String repeat(char c, int times) {
        return String.valueOf(c).repeat(times);
    }

    private static IllegalArgumentException rejected(String input) {
        return assertThrows(IllegalArgumentException.class, () -> DomainName.parse(input), () -> "accepted " + input);
    }

    @Test
    void lower_cases_a_valid_name() {
        DomainName name = DomainName.parse("Example.COM");
        assertEquals("example.com", name.ascii());
        assertEquals("example.com", name.unicode());
        assertEquals("com", name.tld());
    }

    @Test
    void trims_surrounding_whitespace() {
        assertEquals("example.com", DomainName.parse("  example.com ").ascii());
    }

    @Test
    void accepts_digits_and_inner_hyphens() {
        assertEquals("my-shop-24.net", DomainName.parse("my-shop-24.net").ascii());
    }

    @Test
    void converts_idn_to_punycode_and_keeps_unicode() {
        DomainName name = DomainName.parse("bücher.com");
        assertEquals("xn--bcher-kva.com", name.ascii());
        assertEquals("bücher.com", name.unicode());
    }

    @Test
    void normalises_upper_case_idn_to_the_same_punycode() {
        assertEquals("xn--bcher-kva.com", DomainName.parse("BÜCHER.com").ascii());
    }

    @Test
    void accepts_punycode_input_and_derives_unicode() {
        DomainName name = DomainName.parse("xn--bcher-kva.com");
        assertEquals("xn--bcher-kva.com", name.ascii());
        assertEquals("bücher.com", name.unicode());
    }

    @Test
    void accepts_trailing_dot() {
        DomainName name = DomainName.parse("example.com.");
        assertEquals("example.com", name.ascii());
        assertEquals("com", name.tld());
    }

    @Test
    void accepts_label_of_63_characters() {
        String label = repeat('a', 63);
        assertEquals(label + ".com", DomainName.parse(label + ".com").ascii());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void rejects_empty_input(String input) {
        assertEquals("is required", rejected(input).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example", "com", "example."})
    void rejects_single_label(String input) {
        assertTrue(rejected(input).getMessage().contains("name and a TLD"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-example.com", "example.-com"})
    void rejects_label_starting_with_hyphen(String input) {
        rejected(input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example-.com", "example.com-"})
    void rejects_label_ending_with_hyphen(String input) {
        rejected(input);
    }

    @Test
    void rejects_label_longer_than_63_characters() {
        rejected(repeat('a', 64) + ".com");
    }

    @Test
    void rejects_name_longer_than_253_characters() {
        String label = repeat('a', 60);
        String name = String.join(".", label, label, label, label, label) + ".com"; // 309 characters
        assertTrue(rejected(name).getMessage().contains("253"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my_shop.com", "my shop.com", "example.c_m"})
    void rejects_underscores_and_spaces(String input) {
        rejected(input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b.com", "www.example.com"})
    void rejects_subdomains(String input) {
        assertTrue(rejected(input).getMessage().contains("subdomain"));
    }

    @Test
    void rejects_double_hyphen_in_third_and_fourth_place_unless_punycode() {
        assertTrue(rejected("ab--cd.com").getMessage().contains("'--'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>.com", "<script>alert(1)</script>.com", "exa\"mple.com", "example.com/path"})
    void rejects_script_injection_and_markup(String input) {
        rejected(input);
    }

    @Test
    void rejects_empty_label_between_dots() {
        rejected("example..com");
    }
}
