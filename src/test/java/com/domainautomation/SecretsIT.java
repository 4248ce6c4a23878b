package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.GoDaddyMock;
import com.domainautomation.testing.TestApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The app starts with known secrets (registrar key and secret, SMTP password, admin and management tokens), goes
 * through its flows, failures included, and is read through every surface an operator or a client has (API answers,
 * activity, audit, failed jobs, health, info, metrics, Jolokia). No answer but the one that hands a token out, and no
 * log line, contains a secret.
 */
class SecretsIT extends AppTestSupport {
    private static final String GODADDY_KEY = "gdKey-S3cr3t-a91f07c2";
    private static final String GODADDY_SECRET = "gdSecret-S3cr3t-5be2d8e4";
    private static final String SMTP_PASSWORD = "smtpPass-S3cr3t-77c1";
    private static final String MANAGEMENT_TOKEN = "mgmtToken-S3cr3t-0d93aa41";
    private static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
    private static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            LOG.add(event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null
                            ? ""
                            : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
    };

    private final Map<String, String> answers = new LinkedHashMap<>();

    @BeforeAll
    static void captureLogs() {
        CAPTURE.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(CAPTURE);
    }

    @AfterAll
    static void stopCapture() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(CAPTURE);
    }

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("godaddy.api.key", GODADDY_KEY);
        settings.put("godaddy.api.secret", GODADDY_SECRET);
        settings.put("smtp.user", "mailer");
        settings.put("smtp.password", SMTP_PASSWORD);
        settings.put("management.token", MANAGEMENT_TOKEN);
        settings.put("camel.main.jmx-enabled", "true");
        settings.put("queue.registration.max-attempts", "2");
        settings.put("mail.admin", "ops@example.com");
    }

    @Test
    void no_secret_leaves_the_process_through_any_answer_or_log_line() throws Exception {
        godaddy.purchaseSucceeds("secret-ok.com");
        godaddy.purchaseRefused("secret-refused.com");
        godaddy.stub(GoDaddyMock.purchaseOf("secret-down.com")
                .willReturn(GoDaddyMock.json(500, "{\"code\":\"INTERNAL\",\"message\":\"down\"}")));
        Client ada = newClient("100.00");
        Client bob = newClient("5.00");

        keep("checkout", checkout(ada, cart("secret-ok.com", "secret-refused.com", "secret-down.com")));
        keep("short wallet", checkout(bob, cart("secret-other.com")));
        keep("bad body", app.api().post("/api/cart/checkout", ada.token(), "{\"items\": ["));
        keep("no token", app.api().get("/api/wallet", null));
        keep("wrong token", app.api().get("/api/wallet", "da_not-a-token"));
        keep("client on admin", app.api().get("/api/admin/queues", ada.token()));
        keep("other's domain", app.api().get("/api/domains/secret-ok.com", bob.token()));
        keep(
                "transfer",
                app.api()
                        .post(
                                "/api/transfers",
                                ada.token(),
                                Map.of(
                                        "domain",
                                        "secret-xfer.com",
                                        "authCode",
                                        "EPP-1",
                                        "contact",
                                        contact(),
                                        "agreeToTerms",
                                        true)));
        awaitStatus(ada, "secret-ok.com", "active");
        awaitStatus(ada, "secret-refused.com", "failed");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> app.api()
                                                .get(
                                                        "/api/admin/queues/domain-registration/failed",
                                                        TestApp.ADMIN_TOKEN)
                                                .list()
                                                .size()
                                        + app.api()
                                                .get("/api/admin/queues/domain-transfer/failed", TestApp.ADMIN_TOKEN)
                                                .list()
                                                .size()
                                > 0
                        || "failed".equals(domain(ada, "secret-down.com").get("status")));
        keep(
                "dns",
                app.api()
                        .post(
                                "/api/domains/secret-ok.com/dns/records",
                                ada.token(),
                                List.of(Map.of("type", "A", "name", "www", "data", "203.0.113.7"))));
        keep("renew", app.api().post("/api/domains/secret-ok.com/renew", ada.token(), Map.of("years", 1)));
        keep("records", app.api().get("/api/domains/secret-ok.com/dns/records", ada.token()));
        Awaitility.await()
                .pollDelay(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> true);

        for (String path : List.of(
                "/api/wallet",
                "/api/transactions",
                "/api/invoices",
                "/api/domains",
                "/api/domains/secret-ok.com",
                "/api/domains/secret-ok.com/activity",
                "/api/domains/secret-down.com")) {
            keep(path, app.api().get(path, ada.token()));
        }
        for (String path : List.of(
                "/api/admin/activity?limit=1000",
                "/api/admin/audit?limit=1000",
                "/api/admin/queues",
                "/api/admin/cron",
                "/api/admin/ledger/verify",
                "/api/admin/queues/domain-registration/failed",
                "/api/admin/queues/email-notification/failed",
                "/api/admin/queues/domain-transfer/failed",
                "/api/admin/queues/dns-update/failed",
                "/api/admin/queues/domain-renewal/failed")) {
            keep(path, app.api().get(path, TestApp.ADMIN_TOKEN));
        }
        ApiClient management =
                new ApiClient("http://127.0.0.1:" + app.settings().get("management.port"));
        for (String path : List.of(
                "/observe/health",
                "/observe/health/live",
                "/observe/health/ready",
                "/observe/info",
                "/observe/metrics",
                "/observe/jolokia/version",
                "/observe/jolokia/list")) {
            keep(path, management.get(path, MANAGEMENT_TOKEN));
            keep(path + " anonymous", management.get(path, null));
        }
        String context = "org.apache.camel:context=" + app.app().context().getManagementName()
                + ",type=context,name=\\\"" + app.app().context().getName() + "\\\"";
        for (String request : List.of(
                "{\"type\":\"read\",\"mbean\":\"org.apache.camel:*\"}",
                "{\"type\":\"read\",\"mbean\":\"java.lang:*\",\"config\":{\"ignoreErrors\":true}}",
                "{\"type\":\"exec\",\"mbean\":\"" + context
                        + "\",\"operation\":\"dumpRoutesAsXml(boolean,boolean)\",\"arguments\":[true,true]}",
                "{\"type\":\"exec\",\"mbean\":\"" + context
                        + "\",\"operation\":\"dumpRoutesStatsAsXml(boolean,boolean)\",\"arguments\":[true,true]}")) {
            keep(
                    "jolokia " + request,
                    management.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + app.settings().get("management.port") + "/observe/jolokia"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(request)),
                            MANAGEMENT_TOKEN,
                            Map.of()));
        }
        assertTrue(
                answers.entrySet().stream()
                        .anyMatch(e -> e.getKey().contains("dumpRoutesAsXml")
                                && e.getValue().contains("registrar-shared-call")),
                "the route dump was read: " + answers.keySet());
        assertEquals(200, management.get("/observe/metrics", MANAGEMENT_TOKEN).status());

        List<String> secrets = new ArrayList<>(List.of(
                GODADDY_KEY,
                GODADDY_SECRET,
                SMTP_PASSWORD,
                MANAGEMENT_TOKEN,
                TestApp.ADMIN_TOKEN,
                ada.token(),
                bob.token()));
        List<String> leaks = new ArrayList<>();
        answers.forEach((what, text) ->
                secrets.stream().filter(text::contains).forEach(s -> leaks.add("answer to " + what + " holds " + s)));
        synchronized (LOG) {
            for (String line : LOG) {
                secrets.stream().filter(line::contains).forEach(s -> leaks.add("log line holds " + s + ": " + line));
            }
            assertTrue(LOG.size() > 20, "the log was captured: " + LOG.size() + " lines");
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
        assertTrue(answers.size() > 40, "every surface was read: " + answers.keySet());
    }

    private void keep(String what, ApiClient.Response response) {
        answers.put(what, response.status() + " " + response.headers() + " " + response.text());
    }
}
