package com.domainautomation.billing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prices per TLD we sell, in minor units of one currency: a year's registration; a year's renewal and a transfer (one
 * year included), each the registration's unless set apart.
 */
public final class Pricing {
    private final String currency;
    private final Map<String, Long> yearlyByTld;
    private final Map<String, Long> renewalByTld;
    private final Map<String, Long> transferByTld;

    public Pricing(String currency, Map<String, Long> yearlyByTld) {
        this(currency, yearlyByTld, Map.of(), Map.of());
    }

    public Pricing(
            String currency,
            Map<String, Long> yearlyByTld,
            Map<String, Long> renewalByTld,
            Map<String, Long> transferByTld) {
        this.currency = currency;
        this.yearlyByTld = Map.copyOf(yearlyByTld);
        this.renewalByTld = Map.copyOf(renewalByTld);
        this.transferByTld = Map.copyOf(transferByTld);
    }

    public String currency() {
        return currency;
    }

    /** The price of {@code years} years for an ASCII (punycode) domain name, if we sell its TLD. */
    public Optional<Long> registration(String asciiDomain, int years) {
        return times(yearlyByTld.get(tld(asciiDomain)), years);
    }

    /** The price of renewing for {@code years} years, if we renew its TLD. */
    public Optional<Long> renewal(String asciiDomain, int years) {
        String tld = tld(asciiDomain);
        return times(renewalByTld.getOrDefault(tld, yearlyByTld.get(tld)), years);
    }

    /** The price of a transfer in (one year included), if we take its TLD. */
    public Optional<Long> transfer(String asciiDomain) {
        String tld = tld(asciiDomain);
        return Optional.ofNullable(transferByTld.getOrDefault(tld, yearlyByTld.get(tld)));
    }

    public Map<String, Long> yearlyByTld() {
        return yearlyByTld;
    }

    private static String tld(String asciiDomain) {
        return asciiDomain.substring(asciiDomain.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    private static Optional<Long> times(Long yearly, int years) {
        return yearly == null ? Optional.empty() : Optional.of(Math.multiplyExact(yearly, (long) years));
    }
}
