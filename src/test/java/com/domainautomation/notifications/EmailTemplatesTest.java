package com.domainautomation.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.clients.ClientDirectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every email type renders its HTML and plain-text templates through camel-mustache, from the model
 * {@link EmailComposer#compose} builds, as the email-queue route does.
 */
class EmailTemplatesTest {
    private static final String HOSTILE = "<script>alert(1)</script>";
    private static final Pattern HTML_TAG = Pattern.compile("<[A-Za-z/!][^>]*>");

    private static CamelContext camel;
    private static ProducerTemplate producer;
    private static String clientName = "Ada Lovelace";
    private static final ClientDirectory CLIENTS = new ClientDirectory(null, null, "EUR") {
        @Override
        public Document find(String clientId) {
            return new Document("_id", clientId).append("name", clientName).append("email", "ada@example.com");
        }
    };
    private static final EmailComposer COMPOSER =
            new EmailComposer(CLIENTS, "noreply@example.com", "https://panel.example.com/domains/{domain}");

    /** One email type, sample job data, and a line both the HTML and the text part must show. */
    record Case(String type, Map<String, Object> data, String keyLine) {
        @Override
        public String toString() {
            return type;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case(
                        "domain-registered",
                        data(
                                "years",
                                1,
                                "privacy",
                                true,
                                "autoRenew",
                                true,
                                "registeredAt",
                                "2025-03-15",
                                "expiresAt",
                                "2026-03-15"),
                        "has been registered successfully"),
                new Case(
                        "domain-registration-failed",
                        data(
                                "reason",
                                "The registrar refused the registration (UNAVAILABLE_DOMAIN): taken",
                                "refund",
                                "12.99",
                                "currency",
                                "EUR"),
                        "12.99 EUR"),
                new Case(
                        "domain-renewed",
                        data(
                                "years",
                                2,
                                "previousExpiresAt",
                                "2026-03-15",
                                "expiresAt",
                                "2028-03-15",
                                "price",
                                "25.98",
                                "currency",
                                "EUR",
                                "autoRenew",
                                true),
                        "registered until 2028-03-15"),
                new Case(
                        "domain-renewal-failed",
                        data(
                                "reason",
                                "The registrar could not be reached after several attempts",
                                "refund",
                                "25.98",
                                "currency",
                                "EUR",
                                "expiresAt",
                                "2026-03-15"),
                        "25.98 EUR"),
                new Case(
                        "domain-expiring",
                        data(
                                "daysLeft",
                                7,
                                "expiresAt",
                                "2026-03-15",
                                "autoRenew",
                                false,
                                "renewalPrice",
                                "14.49",
                                "currency",
                                "EUR"),
                        "expires in 7 day(s)"),
                new Case(
                        "domain-expired",
                        data("expiredAt", "2026-03-15", "renewableUntil", "2026-04-14"),
                        "renew it until 2026-04-14"),
                new Case(
                        "domain-transfer-complete",
                        data("expiresAt", "2027-06-01"),
                        "has been transferred to your account"),
                new Case(
                        "domain-transfer-failed",
                        data("reason", "The authorization code is not valid", "refund", "9.50", "currency", "EUR"),
                        "9.50 EUR"),
                new Case(
                        "dns-update-failed",
                        data(
                                "change",
                                "Add an A record for www pointing to 203.0.113.7",
                                "reason",
                                "The registrar rejected the record",
                                "attempts",
                                5),
                        "after 5 attempt(s)"),
                new Case(
                        "auto-renew-failed",
                        data(
                                "reason",
                                "Insufficient wallet balance",
                                "attempts",
                                3,
                                "autoRenewDisabled",
                                true,
                                "balance",
                                "3.20",
                                "renewalPrice",
                                "14.49",
                                "currency",
                                "EUR",
                                "expiresAt",
                                "2026-03-15"),
                        "switched off for example.com after 3 failed attempts"));
    }

    @BeforeAll
    static void start_camel() {
        camel = new DefaultCamelContext();
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop_camel() throws Exception {
        camel.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void html_part_shows_the_facts_in_the_responsive_layout(Case c) {
        String html = render(c.type(), "html", c.data());
        assertTrue(html.contains("example.com"), "domain");
        assertTrue(html.contains(c.keyLine()), () -> "key line '" + c.keyLine() + "' in\n" + html);
        assertTrue(
                html.contains("class=\"button\" href=\"https://panel.example.com/domains/example.com\""),
                "action button");
        assertTrue(html.contains("<div class=\"header"), "header block");
        assertTrue(html.contains("linear-gradient"), "gradient header");
        assertTrue(html.contains("@media"), "responsive styles");
        assertTrue(html.contains("<table class=\"details\""), "details table");
        assertTrue(html.contains("Hello Ada Lovelace,"), "greeting");
        assertTrue(html.contains("<title>" + subject(c.type(), c.data()) + "</title>"), "subject as title");
        assertTrue(html.trim().endsWith("</html>"), "footer partial closes the page");
        assertFalse(html.contains("{{"), "no unrendered tag");
        assertEachValueShown(c, html);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void text_part_has_the_same_facts_and_no_html(Case c) {
        String text = render(c.type(), "txt", c.data());
        assertTrue(text.contains("example.com"), "domain");
        assertTrue(text.contains(c.keyLine()), () -> "key line '" + c.keyLine() + "' in\n" + text);
        assertTrue(text.contains("https://panel.example.com/domains/example.com"), "the panel's link");
        assertTrue(text.startsWith("Hello Ada Lovelace,"), "greeting");
        assertFalse(HTML_TAG.matcher(text).find(), () -> "HTML tag in the text part:\n" + text);
        assertFalse(text.contains("{{"), "no unrendered tag");
        assertEachValueShown(c, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostile_values_are_escaped_in_the_html_part(Case c) {
        Map<String, Object> data = new LinkedHashMap<>(c.data());
        data.replaceAll((key, value) -> value instanceof String && !key.equals("asciiDomain") ? HOSTILE : value);
        clientName = HOSTILE;
        try {
            String html = render(c.type(), "html", data);
            assertFalse(html.contains("<script"), () -> "unescaped script in\n" + html);
            assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped value");
        } finally {
            clientName = "Ada Lovelace";
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void without_a_link_pattern_there_is_no_link(Case c) {
        EmailComposer noLinks = new EmailComposer(CLIENTS, "noreply@example.com", "");
        for (String format : List.of("html", "txt")) {
            String rendered = render(noLinks, c.type(), format, c.data());
            assertFalse(rendered.contains("class=\"button\""), () -> format + " has a button:\n" + rendered);
            assertFalse(rendered.contains("http"), () -> format + " has a link:\n" + rendered);
            assertTrue(rendered.contains(c.keyLine()), () -> format + " lost its key line:\n" + rendered);
        }
    }

    @Test
    void text_part_is_not_html_escaped() {
        Map<String, Object> data =
                data("reason", "The registry said \"can't transfer\" & gave up", "refund", "9.50", "currency", "EUR");
        String text = render("domain-transfer-failed", "txt", data);
        assertTrue(text.contains("Reason:                  The registry said \"can't transfer\" & gave up"), text);
    }

    @Test
    void expiring_says_whether_the_domain_renews_automatically() {
        Map<String, Object> data = data(
                "daysLeft",
                30,
                "expiresAt",
                "2026-03-15",
                "autoRenew",
                true,
                "renewalPrice",
                "14.49",
                "currency",
                "EUR");
        for (String format : List.of("html", "txt")) {
            String on = render("domain-expiring", format, data);
            assertTrue(on.contains("expires in 30 day(s)"), on);
            assertTrue(on.contains("it will renew automatically for 14.49 EUR"), on);
            assertFalse(on.contains("will not renew automatically"), on);
        }
        data.put("autoRenew", false);
        for (String format : List.of("html", "txt")) {
            String off = render("domain-expiring", format, data);
            assertTrue(off.contains("it will not renew automatically"), off);
            assertTrue(off.contains("Renew it before 2026-03-15"), off);
        }
    }

    @Test
    void the_notice_after_expiry_says_it_is_a_reminder() {
        Map<String, Object> data =
                data("expiredAt", "2026-03-15", "renewableUntil", "2026-04-14", "reminder", true, "daysSinceExpiry", 3);
        for (String format : List.of("html", "txt")) {
            String reminder = render("domain-expired", format, data);
            assertTrue(reminder.contains("3 days ago we wrote that your domain had expired"), reminder);
            assertTrue(reminder.contains("until 2026-04-14"), reminder);
        }
        data.put("reminder", false);
        for (String format : List.of("html", "txt")) {
            assertFalse(render("domain-expired", format, data).contains("days ago we wrote"));
        }
    }

    @Test
    void auto_renew_failed_says_clearly_when_auto_renew_was_switched_off() {
        Map<String, Object> data = data(
                "reason",
                "Insufficient wallet balance",
                "attempts",
                3,
                "autoRenewDisabled",
                true,
                "balance",
                "3.20",
                "renewalPrice",
                "14.49",
                "currency",
                "EUR",
                "expiresAt",
                "2026-03-15");
        for (String format : List.of("html", "txt")) {
            String disabled = render("auto-renew-failed", format, data);
            assertTrue(
                    disabled.contains("auto-renew has been switched off for example.com after 3 failed attempts")
                            || disabled.contains(
                                    "Auto-renew has been switched off for example.com after 3 failed attempts"),
                    disabled);
            assertTrue(disabled.contains("It will not be renewed automatically any more"), disabled);
        }
        data.put("autoRenewDisabled", false);
        data.put("attempts", 1);
        for (String format : List.of("html", "txt")) {
            String retrying = render("auto-renew-failed", format, data);
            assertFalse(retrying.contains("switched off"), retrying);
            assertTrue(retrying.contains("we will try again"), retrying);
        }
    }

    @Test
    void known_type_covers_all_ten_templates() {
        for (Case c : cases()) {
            assertTrue(EmailComposer.knownType(c.type()), c.type());
        }
        assertEquals(10, cases().size());
        assertFalse(EmailComposer.knownType("nope"));
    }

    @Test
    void subjects_are_built_from_the_data() {
        assertEquals("example.com expires in 7 day(s)", subject("domain-expiring", data("daysLeft", 7)));
        assertEquals("example.com expires in 1 day(s)", subject("domain-expiring", data("daysLeft", 1)));
        assertEquals("Your domain example.com is registered", subject("domain-registered", data()));
        assertEquals("We could not register example.com", subject("domain-registration-failed", data()));
        assertEquals("Your domain example.com is renewed", subject("domain-renewed", data()));
        assertEquals("We could not renew example.com", subject("domain-renewal-failed", data()));
        assertEquals("example.com has expired", subject("domain-expired", data()));
        assertEquals("The transfer of example.com is complete", subject("domain-transfer-complete", data()));
        assertEquals("The transfer of example.com failed", subject("domain-transfer-failed", data()));
        assertEquals("A DNS change for example.com failed", subject("dns-update-failed", data()));
        assertEquals("Auto-renewal of example.com failed", subject("auto-renew-failed", data()));
        assertEquals(
                "$1 \\ expires in  day(s)",
                subject("domain-expiring", Map.of("domain", "$1 \\")),
                "literal values, absent = empty");
    }

    private static void assertEachValueShown(Case c, String rendered) {
        c.data().forEach((key, value) -> {
            if (!(value instanceof Boolean) && !key.equals("asciiDomain")) {
                assertTrue(
                        rendered.contains(String.valueOf(value)),
                        () -> key + " = " + value + " not shown in\n" + rendered);
            }
        });
    }

    /** Sample job data: domain example.com plus the given key/value pairs. */
    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("domain", "example.com");
        data.put("asciiDomain", "example.com");
        for (int i = 0; i < pairs.length; i += 2) {
            data.put((String) pairs[i], pairs[i + 1]);
        }
        return data;
    }

    private static Map<String, Object> model(String type, Map<String, Object> data) {
        return model(COMPOSER, type, data);
    }

    private static Map<String, Object> model(EmailComposer composer, String type, Map<String, Object> data) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("type", type);
        job.put("clientId", "cli_1");
        job.put("domainId", "dom_1");
        job.put("data", data);
        return composer.compose(job).model();
    }

    private static String subject(String type, Map<String, Object> data) {
        return (String) model(type, data).get("subject");
    }

    private static String render(String type, String format, Map<String, Object> data) {
        return render(COMPOSER, type, format, data);
    }

    private static String render(EmailComposer composer, String type, String format, Map<String, Object> data) {
        return producer.requestBody(
                "mustache:templates/email/" + type + "." + format + ".mustache",
                model(composer, type, data),
                String.class);
    }
}
