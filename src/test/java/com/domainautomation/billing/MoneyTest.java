package com.domainautomation.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({"1299, 12.99", "5, 0.05", "-250, -2.50", "0, 0.00", "100, 1.00", "123456789, 1234567.89"})
    void formats_minor_units_with_two_decimals(long minor, String text) {
        assertEquals(text, Money.format(minor));
    }

    @ParameterizedTest
    @CsvSource({"25, 2500", "25.5, 2550", "25.50, 2550", "0.01, 1", "999999999.99, 99999999999"})
    void parses_positive_amount_into_minor_units(String text, long minor) {
        assertEquals(minor, Money.parsePositive(text));
    }

    @Test
    void refuses_json_numbers_and_other_types() {
        assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(25));
        assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(12.99));
        assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(new BigDecimal("12.99")));
        assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(true));
        assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(java.util.Map.of("$ne", 0)));
    }

    @Test
    void rejects_null() {
        assertEquals(
                "is required",
                assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(null))
                        .getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "0.0"})
    void rejects_zero(String text) {
        assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-1",
                "1.234",
                "abc",
                "1e3",
                "1E3",
                "",
                " ",
                "1,00",
                ".5",
                "5.",
                "+5",
                "1234567890",
                "12345678901.00",
                "NaN",
                " 12.34",
                "12.34\n",
                "12.34 ",
                "\t1",
                "\u0661\u0662",
                "00.5e1",
                "Infinity",
                "0x10",
                "1_000"
            })
    void rejects_malformed_amounts(String text) {
        assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(text), () -> "accepted " + text);
    }

    @Test
    void format_and_parse_round_trip() {
        assertEquals(1299, Money.parsePositive(Money.format(1299)));
        assertEquals(5, Money.parsePositive(Money.format(5)));
    }
}
