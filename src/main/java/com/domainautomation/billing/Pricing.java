package com.domainautomation.billing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Yearly registration prices per TLD we sell, in minor units of one currency. */
public final class Pricing {
    private final String currency;
    private final Map<String, Long> yearlyByTld;

    public Pricing(String currency, Map<String, Long> yearlyByTld) {
        this.currency = currency;
        this.yearlyByTld = Map.copyOf(yearlyByTld);
    }

    public String currency() {
        return currency;
    }

    /** The price of {@code years} years for an ASCII (punycode) domain name, if we sell its TLD. */
    public Optional<Long> registration(String asciiDomain, int years) {
        String tld = asciiDomain.substring(asciiDomain.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Long yearly = yearlyByTld.get(tld);
        return yearly == null ? Optional.empty() : Optional.of(Math.multiplyExact(yearly, (long) years));
    }

    public Map<String, Long> yearlyByTld() {
        return yearlyByTld;
    }
}
