package com.domainautomation.config;

import com.domainautomation.clients.Authenticator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The app's configuration: {@code application.properties} gives every key its default; an environment variable
 * named after the key (upper case, dots and dashes as underscores: {@code http.port} → {@code HTTP_PORT}) or a
 * {@code -D} system property overrides it. {@link #load} checks every value and fails with one line that names
 * the key.
 */
public final class Settings {
    public static final Set<String> ROLES = Set.of("api", "workers", "cron");
    /** The scheduled jobs; each has a {@code cron.<name>.schedule}. */
    public static final List<String> CRONS = List.of("domain-expiry", "auto-renew", "transfer-status");

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Defaults from application.properties, then the environment, then system properties, then {@code overrides}. */
    public static Settings load(Map<String, String> env, Properties system, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        Properties defaults = defaults();
        // a prices file (PRICING_FILE) sits between the bundled prices and the environment
        String pricesFile = overrides.getOrDefault(
                "pricing.file",
                system.getProperty(
                        "pricing.file",
                        env.getOrDefault(envName("pricing.file"), defaults.getProperty("pricing.file"))));
        if (pricesFile != null && !pricesFile.isBlank()) {
            pricesFrom(Path.of(pricesFile.trim())).forEach(defaults::setProperty);
        }
        for (String key : defaults.stringPropertyNames()) {
            if (key.startsWith("camel.")) {
                continue; // Camel's own keys; they read ours through placeholders
            }
            String value = defaults.getProperty(key);
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                value = fromEnv;
            }
            if (system.getProperty(key) != null) {
                value = system.getProperty(key);
            }
            values.put(key, value.trim());
        }
        // keys of an open family that the bundled file cannot list: a price for any TLD
        env.forEach((name, value) -> {
            String key = openFamilyKey(name);
            if (key != null && !values.containsKey(key)) {
                values.put(key, value.trim());
            }
        });
        overrides.forEach((k, v) -> values.put(k, v == null ? "" : v.trim()));
        Settings settings = new Settings(values);
        settings.validate();
        return settings;
    }

    /** Families of keys with a name part of the operator's choosing, by the prefix of their environment variable. */
    private static final Map<String, String> OPEN_FAMILIES = Map.of(
            "PRICING_REGISTRATION_", "pricing.registration.",
            "PRICING_RENEWAL_", "pricing.renewal.",
            "PRICING_TRANSFER_", "pricing.transfer.");

    /** The price keys of a prices file; anything else in it stops start-up. */
    private static Map<String, String> pricesFrom(Path file) {
        Properties prices = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            prices.load(in);
        } catch (IOException e) {
            throw new InvalidSettingException(
                    "PRICING_FILE (pricing.file) = '" + file + "' cannot be read: " + e.getMessage());
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : prices.stringPropertyNames()) {
            if (!key.matches("pricing\\.(registration|renewal|transfer)\\.[a-z0-9-]+")) {
                throw new InvalidSettingException("PRICING_FILE (pricing.file) = '" + file + "' has '" + key
                        + "': only pricing.registration.<tld>, pricing.renewal.<tld> and pricing.transfer.<tld>");
            }
            keys.put(key, prices.getProperty(key).trim());
        }
        return keys;
    }

    /**
     * The key an environment variable of an open family stands for: {@code PRICING_REGISTRATION_XYZ} is
     * {@code pricing.registration.xyz}, and {@code PRICING_REGISTRATION_XN__P1AI} (two underscores for the dashes
     * of an IDN's A-label) is {@code pricing.registration.xn--p1ai}. Null for any other variable.
     */
    static String openFamilyKey(String envName) {
        for (Map.Entry<String, String> family : OPEN_FAMILIES.entrySet()) {
            String rest = envName.startsWith(family.getKey())
                    ? envName.substring(family.getKey().length())
                    : "";
            if (rest.matches("[A-Z0-9]+(__[A-Z0-9]+)?")) {
                return family.getValue() + rest.toLowerCase(Locale.ROOT).replace("__", "--");
            }
        }
        return null;
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Properties defaults() {
        Properties properties = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private void validate() {
        port("http.port");
        port("management.port");
        if (get("data.dir").isBlank()) {
            throw invalid("data.dir", "must name a folder");
        }
        if (!List.of("text", "json").contains(get("log.format"))) {
            throw invalid("log.format", "must be text or json");
        }
        for (String folder : List.of("routes.dir", "templates.dir")) {
            if (!get(folder).isBlank() && !Files.isDirectory(Path.of(get(folder)))) {
                throw invalid(folder, "must be an existing folder");
            }
        }
        url("redis.url", "redis", "rediss");
        url("mongodb.uri", "mongodb", "mongodb+srv");
        if (!List.of("fsync", "commit").contains(get("embedded.sync"))) {
            throw invalid("embedded.sync", "must be fsync or commit");
        }
        url("godaddy.api.url", "http", "https");
        url("mail.link-domain", "http", "https");
        if (!get("mail.link-domain").isBlank() && !get("mail.link-domain").contains("{domain}")) {
            throw invalid("mail.link-domain", "must contain {domain}, which becomes the domain's name");
        }
        if (!get("godaddy.api.key").isBlank() && get("godaddy.api.secret").isBlank()) {
            throw invalid("godaddy.api.secret", "must be set when GODADDY_API_KEY is set");
        }
        if (!smtpHost().isBlank()) {
            port("smtp.port");
        }
        if (!get("mail.from").matches("^(.*<)?[^@\\s<>]+@[^@\\s<>]+>?$")) {
            throw invalid("mail.from", "must be an email address, e.g. Domains <noreply@example.com>");
        }
        if (!get("mail.admin").isBlank()
                && !com.domainautomation.clients.ClientDirectory.validEmail(get("mail.admin"))) {
            throw invalid("mail.admin", "must be an email address");
        }
        String adminToken = get("admin.token");
        if (!adminToken.isBlank()
                && (adminToken.length() < 16
                        || !Authenticator.TOKEN.matcher(adminToken).matches())) {
            throw invalid(
                    "admin.token", "must be 16 to 512 characters of letters, digits and - . _ ~ + / (a bearer token)");
        }
        String managementToken = get("management.token");
        for (String key : List.of("management.token", "viewer.token")) {
            String token = get(key);
            if (!token.isBlank()
                    && (token.length() < 16
                            || !Authenticator.TOKEN.matcher(token).matches())) {
                throw invalid(key, "must be 16 to 512 characters of letters, digits and - . _ ~ + / (a bearer token)");
            }
        }
        if (!get("viewer.token").isBlank() && get("viewer.token").equals(adminToken)) {
            throw invalid("viewer.token", "must not be the admin token (the viewer may only read)");
        }
        if (!loopback(get("management.host")) && adminToken.isBlank() && managementToken.isBlank()) {
            // a generated admin token is printed once in a log: not a credential to put a network-facing port behind
            throw invalid(
                    "management.host",
                    "is not a loopback address: set MANAGEMENT_TOKEN or ADMIN_TOKEN first, or keep 127.0.0.1");
        }
        roles();
        for (String key : values.keySet()) {
            if (key.matches("pricing\\.(registration|renewal|transfer)\\..+")) {
                priceMinor(key);
            } else if ((key.startsWith("queue.") && !key.equals("queue.names"))
                    || key.endsWith(".concurrency")
                    || key.endsWith(".rate-per-minute")
                    || key.endsWith(".max-attempts")
                    || key.endsWith("-ms")
                    || key.startsWith("ratelimit.")) {
                positiveInt(key);
            }
        }
        creditMaxMinor();
        for (String cron : CRONS) {
            schedule(cron);
        }
        for (String key : values.keySet()) {
            if (key.endsWith("-days")) {
                positiveInt(key);
            }
        }
        if (getInt("expiry.after-expiry-notice-days") > 5) {
            throw invalid(
                    "expiry.after-expiry-notice-days",
                    "must be 1 to 5 (registrars send the post-expiry notice within 5 days)");
        }
        if (getInt("expiry.renewal-grace-days") <= getInt("expiry.after-expiry-notice-days")) {
            throw invalid("expiry.renewal-grace-days", "must be longer than expiry.after-expiry-notice-days");
        }
        if (getInt("transfer.failed-after-days") <= getInt("transfer.stalled-after-days")) {
            throw invalid("transfer.failed-after-days", "must be longer than transfer.stalled-after-days");
        }
        if (!get("pricing.currency").matches("[A-Z]{3}")) {
            throw invalid("pricing.currency", "must be a three-letter ISO currency code");
        }
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("unknown setting " + key);
        }
        return value;
    }

    public int getInt(String key) {
        return Integer.parseInt(get(key));
    }

    public Map<String, String> all() {
        return values;
    }

    public Path dataDir() {
        return Path.of(get("data.dir")).toAbsolutePath().normalize();
    }

    public String smtpHost() {
        return get("smtp.host");
    }

    public boolean sandboxRegistrar() {
        return get("godaddy.api.key").isBlank();
    }

    public Set<String> roles() {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : get("roles").split(",")) {
            String r = role.trim().toLowerCase(Locale.ROOT);
            if (r.isEmpty()) {
                continue;
            }
            if (!ROLES.contains(r)) {
                throw invalid("roles", "unknown role '" + r + "' (use api, workers, cron)");
            }
            roles.add(r);
        }
        if (roles.isEmpty()) {
            throw invalid("roles", "must name at least one of api, workers, cron");
        }
        return roles;
    }

    /** The cron's schedule: a Quartz cron expression in UTC, or off. */
    public com.domainautomation.cron.CronSchedule schedule(String cron) {
        String key = "cron." + cron + ".schedule";
        try {
            return new com.domainautomation.cron.CronSchedule(cron, get(key));
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
        }
    }

    /** The largest credit one request may post, in minor units ({@code wallet.credit-max}). */
    public long creditMaxMinor() {
        return priceMinor("wallet.credit-max");
    }

    /** TLD (without dot) → yearly price of {@code kind} (registration, renewal, transfer) in minor units. */
    public Map<String, Long> prices(String kind) {
        String prefix = "pricing." + kind + ".";
        Map<String, Long> prices = new LinkedHashMap<>();
        for (String key : values.keySet()) {
            if (key.startsWith(prefix)) {
                prices.put(key.substring(prefix.length()).toLowerCase(Locale.ROOT), priceMinor(key));
            }
        }
        return prices;
    }

    public List<String> agreementKeys() {
        List<String> keys = new ArrayList<>();
        for (String key : get("registrar.agreement-keys").split(",")) {
            if (!key.isBlank()) {
                keys.add(key.trim());
            }
        }
        return keys;
    }

    private long priceMinor(String key) {
        try {
            BigDecimal price = new BigDecimal(get(key));
            if (price.signum() <= 0 || price.scale() > 2) {
                throw invalid(key, "must be a positive amount with at most two decimals, e.g. 12.99");
            }
            return price.movePointRight(2).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, "must be a positive amount with at most two decimals, e.g. 12.99");
        }
    }

    private void port(String key) {
        int port = positiveInt(key);
        if (port > 65535) {
            throw invalid(key, "must be a port number from 1 to 65535");
        }
    }

    private int positiveInt(String key) {
        try {
            int value = Integer.parseInt(get(key));
            if (value < 1) {
                throw invalid(key, "must be a positive whole number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a positive whole number");
        }
    }

    private void url(String key, String... schemes) {
        String value = get(key);
        if (value.isBlank()) {
            return;
        }
        int sep = value.indexOf("://");
        String scheme = sep < 0 ? "" : value.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = sep < 0 ? "" : value.substring(sep + 3);
        String hosts = rest.contains("@") ? rest.substring(rest.lastIndexOf('@') + 1) : rest;
        if (!List.of(schemes).contains(scheme)
                || hosts.isEmpty()
                || hosts.startsWith("/")
                || hosts.startsWith(":")
                || hosts.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(key, "must be a URL starting with " + String.join("://, ", schemes) + "://");
        }
    }

    static boolean loopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private InvalidSettingException invalid(String key, String problem) {
        String shown = key.contains("password") || key.contains("secret") || key.contains("token")
                ? "(hidden)"
                : "'" + values.get(key).replaceAll("//[^@/]*@", "//***@") + "'";
        return new InvalidSettingException(envName(key) + " (" + key + ") = " + shown + " " + problem);
    }

    /** One line that says which key is wrong and why. */
    public static final class InvalidSettingException extends IllegalArgumentException {
        InvalidSettingException(String message) {
            super(message);
        }
    }
}
