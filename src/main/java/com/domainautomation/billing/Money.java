package com.domainautomation.billing;

import java.math.BigDecimal;

/** Amounts are whole minor units (cents); text is a decimal string with two places ("12.99"). */
public final class Money {
    private Money() {}

    public static String format(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString();
    }

    /** Parses a positive amount with at most two decimals; throws IllegalArgumentException otherwise. */
    public static long parsePositive(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("is required");
        }
        String text = value.toString().trim();
        if (!text.matches("\\d{1,9}(\\.\\d{1,2})?")) {
            throw new IllegalArgumentException("must be a positive amount with at most two decimals, e.g. \"25.00\"");
        }
        long minor = new BigDecimal(text).movePointRight(2).longValueExact();
        if (minor <= 0) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return minor;
    }
}
