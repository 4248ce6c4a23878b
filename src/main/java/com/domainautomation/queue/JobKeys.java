package com.domainautomation.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a job is about, as its searchable record keeps it: the domain's name, the order, the client (the keys a search
 * takes) and the domain's id. They come from the payload's fields of those names (an email's domain from its {@code
 * data}), from the producer ({@link JobRequest#about}) and from what the job's steps learned ({@link JobLog#domain}).
 */
public final class JobKeys {
    /** The keys a search takes, besides the job's id. */
    public static final List<String> SEARCHABLE = List.of("domain", "orderId", "clientId");

    static final List<String> ALL = List.of("domain", "orderId", "clientId", "domainId");

    /** A value worth keeping: an id or a domain name, never free text. */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:-]{1,253}");

    private JobKeys() {}

    /** The keys found in a job's payload. */
    public static Map<String, String> of(Map<String, ?> payload) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : ALL) {
            put(keys, key, payload.get(key));
        }
        if (!keys.containsKey("domain") && payload.get("data") instanceof Map<?, ?> data) {
            put(keys, "domain", data.get("domain"));
        }
        return keys;
    }

    /** {@code first} with the keys of {@code more} it lacks; values are checked as {@link #put} does. */
    public static Map<String, String> merged(Map<String, String> first, Map<String, String> more) {
        Map<String, String> keys = new LinkedHashMap<>();
        first.forEach((key, value) -> put(keys, key, value));
        more.forEach((key, value) -> {
            if (!keys.containsKey(key)) {
                put(keys, key, value);
            }
        });
        return keys;
    }

    /** The value as a search compares it (a domain in lower case), or null when it is no key's value. */
    public static String normalised(String key, Object value) {
        if (!(value instanceof String text)
                || !ALL.contains(key)
                || !VALUE.matcher(text).matches()) {
            return null;
        }
        return key.equals("domain") ? text.toLowerCase(Locale.ROOT) : text;
    }

    private static void put(Map<String, String> keys, String key, Object value) {
        String kept = normalised(key, value);
        if (kept != null) {
            keys.put(key, kept);
        }
    }
}
