package com.domainautomation.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    private static Settings load(Map<String, String> env) {
        return Settings.load(env, new Properties(), Map.of());
    }

    private static Settings.InvalidSettingException invalid(Map<String, String> env) {
        return assertThrows(Settings.InvalidSettingException.class, () -> load(env), () -> "accepted " + env);
    }

    @Test
    void reads_defaults_from_application_properties() {
        Settings settings = load(Map.of());
        assertEquals(8080, settings.getInt("http.port"));
        assertEquals("9876", settings.get("management.port"));
        assertEquals("USD", settings.get("pricing.currency"));
        assertEquals("https://api.ote-godaddy.com", settings.get("godaddy.api.url"));
        assertEquals("", settings.get("redis.url"));
        assertEquals(Set.of("api", "workers", "cron"), settings.roles());
        assertEquals(List.of("DNRA"), settings.agreementKeys());
        assertTrue(settings.sandboxRegistrar());
    }

    @Test
    void leaves_out_camel_keys() {
        Settings settings = load(Map.of());
        assertTrue(
                settings.all().keySet().stream().noneMatch(k -> k.startsWith("camel.")),
                settings.all().keySet().toString());
        assertThrows(IllegalArgumentException.class, () -> settings.get("camel.main.name"));
    }

    @Test
    void unknown_key_throws() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> load(Map.of()).get("no.such.key"));
        assertTrue(e.getMessage().contains("no.such.key"));
    }

    @Test
    void env_var_overrides_default() {
        assertEquals(9090, load(Map.of("HTTP_PORT", "9090")).getInt("http.port"));
    }

    @Test
    void a_price_for_a_tld_the_bundled_file_does_not_list_is_read_from_the_environment() {
        Settings settings = load(Map.of("PRICING_REGISTRATION_XYZ", "5.00", "PRICING_REGISTRATION_XN__80ASWG", "7.50"));
        assertEquals(500L, settings.prices("registration").get("xyz"));
        assertEquals(750L, settings.prices("registration").get("xn--80aswg"));
        assertEquals(1299L, settings.prices("registration").get("com"), "the bundled prices stay");
        // and it is checked like the bundled ones
        assertTrue(invalid(Map.of("PRICING_REGISTRATION_XYZ", "cheap"))
                .getMessage()
                .contains("PRICING_REGISTRATION_XYZ"));
        assertEquals(null, Settings.openFamilyKey("PRICING_REGISTRATION_"), "no TLD, no key");
        assertEquals(null, Settings.openFamilyKey("HOME"));
    }

    @Test
    void env_var_with_dashes_in_key_overrides_default() {
        Settings settings = load(Map.of("QUEUE_REGISTRATION_RATE_PER_MINUTE", "42"));
        assertEquals(42, settings.getInt("queue.registration.rate-per-minute"));
    }

    @Test
    void env_values_are_trimmed() {
        assertEquals(9090, load(Map.of("HTTP_PORT", " 9090 ")).getInt("http.port"));
    }

    @Test
    void system_property_overrides_env_var() {
        Properties system = new Properties();
        system.setProperty("http.port", "7070");
        assertEquals(
                7070,
                Settings.load(Map.of("HTTP_PORT", "9090"), system, Map.of()).getInt("http.port"));
    }

    @Test
    void overrides_win_over_env_var() {
        Settings settings = Settings.load(Map.of("HTTP_PORT", "9090"), new Properties(), Map.of("http.port", "6060"));
        assertEquals(6060, settings.getInt("http.port"));
    }

    @Test
    void invalid_override_is_rejected() {
        Settings.InvalidSettingException e = assertThrows(
                Settings.InvalidSettingException.class,
                () -> Settings.load(Map.of(), new Properties(), Map.of("http.port", "0")));
        assertTrue(e.getMessage().contains("HTTP_PORT (http.port)"), e.getMessage());
    }

    @Test
    void a_management_port_off_loopback_needs_a_chosen_credential() {
        Settings.InvalidSettingException e = invalid(Map.of("MANAGEMENT_HOST", "0.0.0.0"));
        assertEquals(
                "MANAGEMENT_HOST (management.host) = '0.0.0.0' is not a loopback address: set MANAGEMENT_TOKEN or ADMIN_TOKEN first,"
                        + " or keep 127.0.0.1",
                e.getMessage());
        invalid(Map.of("MANAGEMENT_HOST", "10.0.0.5"));
        invalid(Map.of("MANAGEMENT_HOST", "127.0.0.1.example.com"));
        invalid(Map.of("MANAGEMENT_TOKEN", "too-short"));
        assertEquals(
                "0.0.0.0",
                load(Map.of("MANAGEMENT_HOST", "0.0.0.0", "MANAGEMENT_TOKEN", "management-token-0123456789"))
                        .get("management.host"));
        assertEquals(
                "0.0.0.0",
                load(Map.of("MANAGEMENT_HOST", "0.0.0.0", "ADMIN_TOKEN", "admin-token-0123456789"))
                        .get("management.host"));
        for (String loopback : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "::1"}) {
            assertEquals(loopback, load(Map.of("MANAGEMENT_HOST", loopback)).get("management.host"));
        }
        assertEquals("127.0.0.1", load(Map.of()).get("management.host"), "loopback by default");
    }

    @Test
    void env_name_is_key_in_upper_case_with_underscores() {
        assertEquals("HTTP_PORT", Settings.envName("http.port"));
        assertEquals("QUEUE_REGISTRATION_RATE_PER_MINUTE", Settings.envName("queue.registration.rate-per-minute"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "HTTP_PORT|abc|http.port",
                "HTTP_PORT|70000|http.port",
                "HTTP_PORT|0|http.port",
                "MANAGEMENT_PORT|-1|management.port",
                "REDIS_URL|http://x|redis.url",
                "REDIS_URL|redis://|redis.url",
                "MONGODB_URI|foo|mongodb.uri",
                "GODADDY_API_URL|ftp://api.godaddy.com|godaddy.api.url",
                "ROLES|api,bogus|roles",
                "PRICING_REGISTRATION_COM|12.999|pricing.registration.com",
                "PRICING_REGISTRATION_COM|0|pricing.registration.com",
                "PRICING_REGISTRATION_COM|abc|pricing.registration.com",
                "PRICING_CURRENCY|usd|pricing.currency",
                "QUEUE_EMAIL_CONCURRENCY|0|queue.email.concurrency",
                "QUEUE_REGISTRATION_BACKOFF_MS|1.5|queue.registration.backoff-ms",
                "MAIL_FROM|nobody|mail.from",
                "LOG_FORMAT|xml|log.format",
                "MAIL_LINK_DOMAIN|panel.example.com/{domain}|mail.link-domain",
                "MAIL_LINK_DOMAIN|https://panel.example.com/domains|mail.link-domain",
                "DATA_DIR|' '|data.dir",
            })
    void invalid_value_names_env_var_and_key(String envVar, String value, String key) {
        Settings.InvalidSettingException e = invalid(Map.of(envVar, value));
        assertTrue(e.getMessage().startsWith(envVar + " (" + key + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + value.trim() + "'"), "shows the offending value: " + e.getMessage());
    }

    @Test
    void a_domain_link_pattern_is_taken_and_none_is_the_default() {
        assertEquals("", load(Map.of()).get("mail.link-domain"));
        assertEquals(
                "https://panel.example.com/domains/{domain}",
                load(Map.of("MAIL_LINK_DOMAIN", "https://panel.example.com/domains/{domain}"))
                        .get("mail.link-domain"));
    }

    @Test
    void blank_roles_are_rejected() {
        Settings.InvalidSettingException e = invalid(Map.of("ROLES", " "));
        assertTrue(e.getMessage().startsWith("ROLES (roles)"), e.getMessage());
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }

    @Test
    void unknown_role_is_named_in_the_message() {
        assertTrue(invalid(Map.of("ROLES", "api,bogus")).getMessage().contains("'bogus'"));
    }

    @Test
    void smtp_port_is_checked_only_when_smtp_host_is_set() {
        assertEquals("x", load(Map.of("SMTP_PORT", "x")).get("smtp.port"));
        Settings.InvalidSettingException e = invalid(Map.of("SMTP_HOST", "mail.example.com", "SMTP_PORT", "x"));
        assertTrue(e.getMessage().startsWith("SMTP_PORT (smtp.port)"), e.getMessage());
    }

    @Test
    void short_admin_token_is_rejected_without_printing_it() {
        Settings.InvalidSettingException e = invalid(Map.of("ADMIN_TOKEN", "short"));
        assertTrue(e.getMessage().startsWith("ADMIN_TOKEN (admin.token)"), e.getMessage());
        assertFalse(e.getMessage().contains("short"), e.getMessage());
        assertTrue(e.getMessage().contains("(hidden)"), e.getMessage());
    }

    @Test
    void admin_token_of_sixteen_characters_is_accepted() {
        assertEquals(
                "0123456789abcdef",
                load(Map.of("ADMIN_TOKEN", "0123456789abcdef")).get("admin.token"));
    }

    @Test
    void godaddy_key_without_secret_is_rejected_without_printing_the_key() {
        Settings.InvalidSettingException e = invalid(Map.of("GODADDY_API_KEY", "dKy7example9Key"));
        assertTrue(e.getMessage().startsWith("GODADDY_API_SECRET (godaddy.api.secret)"), e.getMessage());
        assertTrue(e.getMessage().contains("GODADDY_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("dKy7example9Key"), e.getMessage());
    }

    @Test
    void godaddy_key_with_secret_turns_off_the_sandbox() {
        Settings settings = load(Map.of("GODADDY_API_KEY", "key", "GODADDY_API_SECRET", "secret"));
        assertFalse(settings.sandboxRegistrar());
    }

    @Test
    void invalid_url_does_not_print_its_password() {
        Settings.InvalidSettingException e = invalid(Map.of("REDIS_URL", "http://:hunter2secret@cache:6379"));
        assertTrue(e.getMessage().startsWith("REDIS_URL (redis.url)"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2secret"), e.getMessage());
    }

    @Test
    void accepts_redis_and_mongodb_urls() {
        Settings settings = load(
                Map.of("REDIS_URL", "redis://:pw@cache:6379/0", "MONGODB_URI", "mongodb://db1:27017/?replicaSet=rs0"));
        assertEquals("redis://:pw@cache:6379/0", settings.get("redis.url"));
        assertEquals("mongodb://db1:27017/?replicaSet=rs0", settings.get("mongodb.uri"));
    }

    @Test
    void accepts_mongodb_srv_uri() {
        assertEquals(
                "mongodb+srv://cluster0.example.net/app",
                load(Map.of("MONGODB_URI", "mongodb+srv://cluster0.example.net/app"))
                        .get("mongodb.uri"));
    }

    @Test
    void accepts_multi_host_mongodb_uri() {
        assertEquals(
                "mongodb://db1,db2/?replicaSet=rs0",
                load(Map.of("MONGODB_URI", "mongodb://db1,db2/?replicaSet=rs0")).get("mongodb.uri"));
    }

    @Test
    void roles_are_parsed_from_a_comma_list() {
        assertEquals(
                Set.of("api", "workers"), load(Map.of("ROLES", "api, workers")).roles());
        assertEquals(Set.of("cron"), load(Map.of("ROLES", " CRON ,")).roles());
    }

    @Test
    void registration_prices_are_in_minor_units() {
        Map<String, Long> prices = load(Map.of("PRICING_REGISTRATION_COM", "10", "PRICING_REGISTRATION_NET", "14.5"))
                .prices("registration");
        assertEquals(1000L, prices.get("com"));
        assertEquals(1450L, prices.get("net"));
        assertEquals(1399L, prices.get("org"));
        assertEquals(999L, prices.get("xn--p1ai"));
        assertEquals(8, prices.size(), prices.toString());
    }

    @Test
    void renewal_and_transfer_prices_are_set_apart_per_tld_in_the_environment() {
        Settings settings = load(Map.of("PRICING_RENEWAL_COM", "15.00", "PRICING_TRANSFER_XYZ", "4.00"));
        assertEquals(Map.of("com", 1500L), settings.prices("renewal"));
        assertEquals(Map.of("xyz", 400L), settings.prices("transfer"));
        assertTrue(invalid(Map.of("PRICING_RENEWAL_COM", "free")).getMessage().startsWith("PRICING_RENEWAL_COM"));
    }

    @Test
    void a_prices_file_replaces_the_bundled_prices_and_the_environment_wins_over_it(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("prices.properties");
        Files.writeString(
                file,
                "pricing.registration.com=11.00\npricing.registration.shop=3.50\npricing.renewal.shop=30.00\n"
                        + "pricing.transfer.com=8.00\n");

        Settings settings = load(Map.of("PRICING_FILE", file.toString(), "PRICING_REGISTRATION_SHOP", "3.99"));

        assertEquals(1100L, settings.prices("registration").get("com"));
        assertEquals(399L, settings.prices("registration").get("shop"), "the environment wins");
        assertEquals(1399L, settings.prices("registration").get("org"), "what the file does not say stays");
        assertEquals(Map.of("shop", 3000L), settings.prices("renewal"));
        assertEquals(Map.of("com", 800L), settings.prices("transfer"));
    }

    @Test
    void a_bad_prices_file_stops_start_up_with_one_line() throws Exception {
        Path dir = Files.createTempDirectory("prices");
        Path file = dir.resolve("prices.properties");
        Files.writeString(file, "http.port=1\n");
        assertTrue(invalid(Map.of("PRICING_FILE", file.toString())).getMessage().contains("'http.port'"));
        Files.writeString(file, "pricing.registration.com=twelve\n");
        assertTrue(invalid(Map.of("PRICING_FILE", file.toString()))
                .getMessage()
                .startsWith("PRICING_REGISTRATION_COM (pricing.registration.com) = 'twelve'"));
        assertTrue(invalid(Map.of("PRICING_FILE", dir.resolve("none.properties").toString()))
                .getMessage()
                .startsWith("PRICING_FILE (pricing.file)"));
    }

    @Test
    void registration_prices_default_from_properties() {
        assertEquals(1299L, load(Map.of()).prices("registration").get("com"));
    }

    @Test
    void cron_schedules_are_checked_and_can_be_off() {
        Settings.InvalidSettingException e = invalid(Map.of("CRON_DOMAIN_EXPIRY_SCHEDULE", "0 2 * *"));
        assertTrue(e.getMessage().contains("CRON_DOMAIN_EXPIRY_SCHEDULE"), e.getMessage());
        assertTrue(e.getMessage().contains("not a cron expression"), e.getMessage());
        assertFalse(load(Map.of("CRON_AUTO_RENEW_SCHEDULE", "off"))
                .schedule("auto-renew")
                .enabled());
        assertEquals("0 0 * * * ?", load(Map.of()).schedule("transfer-status").expression());
    }

    @Test
    void the_notice_after_expiry_must_come_within_five_days_and_before_the_grace_ends() {
        assertTrue(invalid(Map.of("EXPIRY_AFTER_EXPIRY_NOTICE_DAYS", "6"))
                .getMessage()
                .contains("1 to 5"));
        assertTrue(
                invalid(Map.of("EXPIRY_RENEWAL_GRACE_DAYS", "2")).getMessage().contains("EXPIRY_RENEWAL_GRACE_DAYS"));
        assertTrue(invalid(Map.of("TRANSFER_FAILED_AFTER_DAYS", "10"))
                .getMessage()
                .contains("TRANSFER_FAILED_AFTER_DAYS"));
        assertTrue(invalid(Map.of("AUTO_RENEW_MAX_ATTEMPTS", "0")).getMessage().contains("AUTO_RENEW_MAX_ATTEMPTS"));
    }
}
