package com.domainautomation.billing;

import java.math.BigDecimal;

/** Amounts are whole minor units (cents); text is a decimal string with two places ("12.99"). */
public final class Money {
    private Money() {}

    public static String format(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString();
    }

    /**
     * Parses a positive amount sent as a decimal string with at most two decimals ({@code "25"}, {@code "25.5"},
     * {@code "25.00"}), exactly as sent: no JSON number (a binary float is no way to send money), no sign, no exponent,
     * no whitespace. Throws IllegalArgumentException otherwise.
     */
    public static long parsePositive(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("is required");
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("must be a decimal string such as \"25.00\", not a JSON "
                    + (value instanceof Number ? "number" : "value of another type"));
        }
        if (!text.matches("[0-9]{1,9}(\\.[0-9]{1,2})?")) {
            throw new IllegalArgumentException("must be a positive amount with at most two decimals, e.g. \"25.00\"");
        }
        long minor = new BigDecimal(text).movePointRight(2).longValueExact();
        if (minor <= 0) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return minor;
    }
}
