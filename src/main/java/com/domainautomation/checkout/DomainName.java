package com.domainautomation.checkout;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A registrable domain name: lower case, internationalised names turned into punycode (IDNA 2003 with STD3
 * rules), each label 1–63 letters, digits or inner hyphens, at most 253 characters, at least two labels.
 */
public record DomainName(String ascii, String unicode) {
    private static final Pattern LABEL = Pattern.compile("^(?!-)[a-z0-9-]{1,63}(?<!-)$");

    /** Parses user input; throws IllegalArgumentException with a sentence that says what is wrong. */
    public static DomainName parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        String trimmed = input.trim();
        if (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.length() > 253 * 4) {
            throw new IllegalArgumentException("is too long");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(trimmed, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid domain name (" + e.getMessage() + ")");
        }
        if (ascii.length() > 253) {
            throw new IllegalArgumentException("is longer than 253 characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("must have a name and a TLD, e.g. example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("has an invalid label '" + label
                        + "' (1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)");
            }
        }
        if (labels.length > 2) {
            throw new IllegalArgumentException("must be a registrable name (name.tld), not a subdomain");
        }
        if (labels[0].length() >= 4 && labels[0].charAt(2) == '-' && labels[0].charAt(3) == '-' && !labels[0].startsWith("xn--")) {
            throw new IllegalArgumentException("must not have '--' in the third and fourth place unless it is punycode (xn--)");
        }
        return new DomainName(ascii, IDN.toUnicode(ascii));
    }

    public String tld() {
        return ascii.substring(ascii.lastIndexOf('.') + 1);
    }
}
