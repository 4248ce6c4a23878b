package com.domainautomation.checkout;

import com.domainautomation.billing.Pricing;
import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.Requests;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a checkout body field by field and collects every problem, so the client fixes them all at once.
 * The contact is GoDaddy's Contact shape (the registrant, admin, tech and billing contact of each domain).
 */
public final class CheckoutValidator {
    public static final int MAX_ITEMS = 20;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> FIELDS = Set.of("items", "contact", "agreeToTerms");
    private static final Set<String> ITEM_FIELDS = Set.of("domain", "years", "privacy", "autoRenew");
    private static final Set<String> CONTACT_FIELDS =
            Set.of("nameFirst", "nameLast", "organization", "email", "phone", "addressMailing");
    private static final Set<String> ADDRESS_FIELDS =
            Set.of("address1", "address2", "city", "state", "postalCode", "country");

    private final Pricing pricing;

    public CheckoutValidator(Pricing pricing) {
        this.pricing = pricing;
    }

    public CheckoutRequest validate(Map<String, Object> body) {
        List<Map<String, Object>> problems = new ArrayList<>(Requests.unknownFields(body, "", FIELDS));
        List<CheckoutRequest.Item> items = items(body.get("items"), problems);
        Map<String, Object> contact = contact(body.get("contact"), problems);
        if (!Boolean.TRUE.equals(body.get("agreeToTerms"))) {
            problems.add(problem(
                    "agreeToTerms",
                    "must be true: the registrant accepts the registration agreement ("
                            + "GoDaddy requires the end user's consent for every purchase)"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("The checkout is not valid: " + problems.size() + " problem(s)", problems);
        }
        long total = items.stream().mapToLong(CheckoutRequest.Item::price).sum();
        return new CheckoutRequest(items, contact, total, pricing.currency());
    }

    private List<CheckoutRequest.Item> items(Object value, List<Map<String, Object>> problems) {
        List<CheckoutRequest.Item> items = new ArrayList<>();
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(problem("items", "must be a non-empty list of {domain, years, privacy, autoRenew}"));
            return items;
        }
        if (list.size() > MAX_ITEMS) {
            problems.add(problem("items", "may hold at most " + MAX_ITEMS + " domains per checkout"));
            return items;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "items[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> item)) {
                problems.add(problem(at, "must be an object"));
                continue;
            }
            problems.addAll(Requests.unknownFields(item, at, ITEM_FIELDS));
            DomainName domain = null;
            Object rawDomain = item.get("domain");
            if (!(rawDomain instanceof String text)) {
                problems.add(problem(at + ".domain", "is required and must be a string"));
            } else {
                try {
                    domain = DomainName.parse(text);
                    if (!seen.add(domain.ascii())) {
                        problems.add(problem(at + ".domain", "appears twice in this checkout"));
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(problem(at + ".domain", e.getMessage()));
                }
            }
            int years = 1;
            Object rawYears = item.get("years");
            if (rawYears != null) {
                if (rawYears instanceof Integer y && y >= 1 && y <= 10) {
                    years = y;
                } else {
                    problems.add(problem(at + ".years", "must be a whole number from 1 to 10"));
                }
            }
            boolean privacy = flag(item.get("privacy"), at + ".privacy", problems);
            boolean autoRenew = flag(item.get("autoRenew"), at + ".autoRenew", problems);
            if (domain != null) {
                Optional<Long> price = pricing.registration(domain.ascii(), years);
                if (price.isEmpty()) {
                    problems.add(problem(
                            at + ".domain",
                            "we do not sell ." + domain.tld() + " domains (we sell: ."
                                    + String.join(
                                            ", .",
                                            pricing.yearlyByTld().keySet().stream()
                                                    .sorted()
                                                    .toList()) + ")"));
                } else {
                    items.add(new CheckoutRequest.Item(domain, years, privacy, autoRenew, price.get()));
                }
            }
        }
        return items;
    }

    private static boolean flag(Object value, String field, List<Map<String, Object>> problems) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        problems.add(problem(field, "must be true or false"));
        return false;
    }

    /** GoDaddy's Contact shape, checked field by field; problems are added to {@code problems}. */
    public static Map<String, Object> contact(Object value, List<Map<String, Object>> problems) {
        Map<String, Object> contact = new LinkedHashMap<>();
        if (!(value instanceof Map<?, ?> raw)) {
            problems.add(problem("contact", "is required: {nameFirst, nameLast, email, phone, addressMailing{...}}"));
            return contact;
        }
        problems.addAll(Requests.unknownFields(raw, "contact", CONTACT_FIELDS));
        text(raw, "nameFirst", 1, 30, null, "contact", contact, problems);
        text(raw, "nameLast", 1, 30, null, "contact", contact, problems);
        optionalText(raw, "organization", 100, "contact", contact, problems);
        Object email = raw.get("email");
        if (email instanceof String e
                && ClientDirectory.validEmail(e.trim())
                && e.trim().length() <= 80) {
            contact.put("email", e.trim());
        } else {
            problems.add(problem("contact.email", "must be a valid email address (80 characters at most)"));
        }
        text(raw, "phone", 5, 17, "\\+\\d{1,3}\\.\\d{4,14}", "contact", contact, problems);
        Object address = raw.get("addressMailing");
        if (!(address instanceof Map<?, ?> a)) {
            problems.add(
                    problem("contact.addressMailing", "is required: {address1, city, state, postalCode, country}"));
            return contact;
        }
        problems.addAll(Requests.unknownFields(a, "contact.addressMailing", ADDRESS_FIELDS));
        Map<String, Object> mailing = new LinkedHashMap<>();
        text(a, "address1", 1, 41, null, "contact.addressMailing", mailing, problems);
        optionalText(a, "address2", 41, "contact.addressMailing", mailing, problems);
        text(a, "city", 1, 30, null, "contact.addressMailing", mailing, problems);
        text(a, "state", 1, 30, null, "contact.addressMailing", mailing, problems);
        text(a, "postalCode", 2, 10, "[A-Za-z0-9 -]+", "contact.addressMailing", mailing, problems);
        Object country = a.get("country");
        if (country instanceof String c
                && COUNTRIES.contains(c.trim().toUpperCase(Locale.ROOT))
                && c.trim().length() == 2) {
            mailing.put("country", c.trim().toUpperCase(Locale.ROOT));
        } else {
            problems.add(
                    problem("contact.addressMailing.country", "must be an ISO 3166 two-letter country code, e.g. US"));
        }
        contact.put("addressMailing", mailing);
        return contact;
    }

    private static void text(
            Map<?, ?> raw,
            String field,
            int min,
            int max,
            String pattern,
            String prefix,
            Map<String, Object> out,
            List<Map<String, Object>> problems) {
        Object value = raw.get(field);
        String at = prefix + "." + field;
        if (!(value instanceof String s) || s.trim().length() < min || s.trim().length() > max) {
            problems.add(problem(at, "is required (" + min + " to " + max + " characters)"));
        } else if (pattern != null && !s.trim().matches(pattern)) {
            problems.add(problem(
                    at,
                    field.equals("phone")
                            ? "must look like +1.4805058800 (country code, dot, number)"
                            : "has characters that are not allowed"));
        } else if (!Requests.isPlainText(s)) {
            problems.add(problem(at, "must be plain text (no markup, control or invisible characters)"));
        } else {
            out.put(field, s.trim());
        }
    }

    private static void optionalText(
            Map<?, ?> raw,
            String field,
            int max,
            String prefix,
            Map<String, Object> out,
            List<Map<String, Object>> problems) {
        if (raw.get(field) != null) {
            text(raw, field, 1, max, null, prefix, out, problems);
        }
    }

    private static Map<String, Object> problem(String field, String message) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("field", field);
        problem.put("message", message);
        return problem;
    }
}
