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

    @ParameterizedTest
    @ValueSource(
            strings = {
                "  example.com ",
                " example.com",
                "example.com ",
                "\texample.com",
                "example.com\n",
                "example.com\u00A0",
                "\u3000example.com"
            })
    void takes_a_name_as_sent_without_surrounding_spaces(String input) {
        assertTrue(
                rejected(input).getMessage().contains("space"), rejected(input).getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "exa\u200Bmple.com",
                "\u202Eexample.com",
                "exam\u00ADple.com",
                "example\uFEFF.com",
                "ex\u200Dample.com",
                "ex\u200Cample.com",
                "exa\u2060mple.com",
                "examp\u034Fle.com",
                "example\uFE0F.com",
                "exa\u2066mple\u2069.com",
                "a\u0000b.com"
            })
    void rejects_invisible_and_bidi_control_characters(String input) {
        assertTrue(rejected(input).getMessage().contains("U+"), rejected(input).getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u0440\u0430ypal.com",
                "g\u03BFogle.com",
                "\u0430pple.com",
                "paypa\u04CF.com",
                "a\u05D0.com",
                "\u0561mazon.com"
            })
    void rejects_labels_that_mix_scripts(String input) {
        rejected(input);
        rejected(aLabels(input)); // also as A-labels
    }

    /** The name in A-label form, whatever IDNA thinks of it (ICU's UTS-46 with no checks). */
    private static String aLabels(String name) {
        StringBuilder out = new StringBuilder();
        com.ibm
                .icu
                .text
                .IDNA
                .getUTS46Instance(com.ibm.icu.text.IDNA.NONTRANSITIONAL_TO_ASCII)
                .nameToASCII(name, out, new com.ibm.icu.text.IDNA.Info());
        assertTrue(out.toString().startsWith("xn--"), out.toString());
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u0430\u0441\u0435.com",
                "alice-\u0274ew.com",
                "\u0440\u0435\u0440.com",
                "g\u043E\u043Egle.com",
                "xn--80ak6aa92e.com"
            })
    void rejects_lookalikes_of_plain_ascii_labels(String input) {
        rejected(input);
    }

    @Test
    void accepts_one_script_per_label_and_latin_with_japanese() {
        assertEquals(
                "xn--e1afmkfd.com",
                DomainName.parse("\u043F\u0440\u0438\u043C\u0435\u0440.com").ascii());
        assertEquals(
                "\u043F\u0440\u0438\u043C\u0435\u0440.com",
                DomainName.parse("xn--e1afmkfd.com").unicode());
        DomainName japanese = DomainName.parse("\u65E5\u672C\u30C6\u30B9\u30C8abc.com");
        assertEquals("\u65E5\u672C\u30C6\u30B9\u30C8abc.com", japanese.unicode());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com",
                "example\uFF0Ecom",
                "\u2460\u2461.com",
                "\u2126hm.com"
            })
    void rejects_characters_idna_would_map_to_others(String input) {
        rejected(input);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u2603.com",
                "i\u2665ny.com",
                "xn--n3h.com",
                "xn--zz.com",
                "xn--.com",
                "xn--bcher-kva-.com",
                "\u0301abc.com"
            })
    void rejects_names_idna2008_does_not_allow(String input) {
        rejected(input);
    }

    @Test
    void keeps_sharp_s_as_idna2008_non_transitional_does() {
        DomainName name = DomainName.parse("fa\u00DF.com");
        assertEquals("xn--fa-hia.com", name.ascii());
        assertEquals("fa\u00DF.com", name.unicode());
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
