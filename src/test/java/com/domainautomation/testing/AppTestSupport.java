package com.domainautomation.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the whole-app tests: real Redis and MongoDB (shared, emptied per test), WireMock as GoDaddy, GreenMail as
 * the SMTP server, and a fresh app per test. After each test, every request sent to "GoDaddy" must match GoDaddy's
 * OpenAPI description, every wallet must equal its ledger, every settled charge must have its outcome, and no query
 * may have read a whole collection unless {@link StoreScanAllowList} allows it.
 */
public abstract class AppTestSupport {
    protected static GoDaddyMock godaddy;
    protected static GreenMail mail;
    protected TestApp app;
    /** The admin token the checks after each test use (a test that rotates it sets the new one). */
    protected String adminToken = TestApp.ADMIN_TOKEN;

    private int clientsCreated;

    /** A client of the reseller: its id and API token. */
    public record Client(String id, String token) {}

    @BeforeAll
    static void startFakes() {
        SharedStores.start();
        godaddy = new GoDaddyMock().start();
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
    }

    @AfterAll
    static void stopFakes() {
        godaddy.stop();
        mail.stop();
    }

    @BeforeEach
    void startApp() throws Exception {
        godaddy.reset();
        mail.purgeEmailFromAllMailboxes();
        SharedStores.flushRedis();
        Map<String, String> settings =
                TestApp.defaults(godaddy.url(), mail.getSmtp().getPort());
        customize(settings);
        app = TestApp.start(settings);
    }

    /**
     * Whether every API answer of this class's tests is checked against the API's OpenAPI document after each test;
     * on for the classes whose answers the document describes so far (the admin answers are not all described yet).
     */
    protected boolean checksApiContract() {
        return false;
    }

    /** Change settings of this class's app before it starts. */
    protected void customize(Map<String, String> settings) {}

    @AfterEach
    void checkInvariantsAndStop() {
        try {
            if (app != null) {
                ApiClient.Response verify = app.api().get("/api/admin/ledger/verify", adminToken);
                assertEquals(200, verify.status(), verify.text());
                assertEquals(
                        Boolean.TRUE, verify.map().get("balanced"), "every wallet equals its ledger: " + verify.text());
                assertEquals(
                        Boolean.TRUE,
                        verify.map().get("everyChargeHasOutcome"),
                        "every settled charge has its outcome: " + verify.text());
            }
            if (app != null) {
                Map<String, Map<String, Long>> scans =
                        SharedStores.scans(app.settings().get("mongodb.database"));
                Map<String, Map<String, Long>> unexpected = StoreScanAllowList.unexpected(scans);
                assertTrue(
                        unexpected.isEmpty(),
                        "queries that read a whole collection (collection -> query -> times): " + unexpected);
            }
            if (app != null && checksApiContract()) {
                ApiClient.Response document = app.api().get("/api/openapi.json", null);
                assertEquals(200, document.status(), "the API's OpenAPI document");
                List<String> undescribed =
                        ApiContract.violations(document.text(), app.api().seen());
                assertTrue(
                        undescribed.isEmpty(), "answers the API's OpenAPI document does not describe: " + undescribed);
            }
            List<String> violations = godaddy.requestsViolatingSpec();
            assertTrue(violations.isEmpty(), "requests to GoDaddy must match its OpenAPI description: " + violations);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** A new client (ada@example.com, then ada+2@example.com, ...: an email belongs to one client) with {@code credit}. */
    protected Client newClient(String credit) {
        clientsCreated++;
        ApiClient.Response created = app.api()
                .post(
                        "/api/admin/clients",
                        TestApp.ADMIN_TOKEN,
                        Map.of(
                                "name",
                                "Ada Lovelace",
                                "email",
                                clientsCreated == 1 ? "ada@example.com" : "ada+" + clientsCreated + "@example.com"));
        assertEquals(201, created.status(), created.text());
        Client client = new Client(
                (String) created.map().get("id"), (String) created.map().get("token"));
        if (credit != null) {
            ApiClient.Response credited = app.api()
                    .post(
                            "/api/admin/clients/" + client.id() + "/wallet/credit",
                            TestApp.ADMIN_TOKEN,
                            Map.of("amount", credit));
            assertEquals(201, credited.status(), credited.text());
        }
        return client;
    }

    protected static Map<String, Object> contact() {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("address1", "12 St James's Square");
        address.put("city", "London");
        address.put("state", "London");
        address.put("postalCode", "SW1Y 4JH");
        address.put("country", "GB");
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("nameFirst", "Ada");
        contact.put("nameLast", "Lovelace");
        contact.put("email", "ada@example.com");
        contact.put("phone", "+44.2071234567");
        contact.put("addressMailing", address);
        return contact;
    }

    protected static Map<String, Object> cart(String... domains) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (String domain : domains) {
            items.add(Map.of("domain", domain, "years", 1));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("contact", contact());
        body.put("agreeToTerms", true);
        return body;
    }

    protected static Map<String, Object> cart(Consumer<Map<String, Object>> change, String... domains) {
        Map<String, Object> body = cart(domains);
        change.accept(body);
        return body;
    }

    protected ApiClient.Response checkout(Client client, Map<String, Object> body) {
        return app.api().post("/api/cart/checkout", client.token(), body);
    }

    protected String balance(Client client) {
        return (String) app.api().get("/api/wallet", client.token()).map().get("balance");
    }

    protected Map<String, Object> domain(Client client, String name) {
        ApiClient.Response response = app.api().get("/api/domains/" + name, client.token());
        assertEquals(200, response.status(), response.text());
        return response.map();
    }

    protected Map<String, Object> awaitStatus(Client client, String name, String status) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> status.equals(domain(client, name).get("status")));
        return domain(client, name);
    }

    protected jakarta.mail.internet.MimeMessage[] awaitEmails(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length >= count);
        return mail.getReceivedMessages();
    }

    /** The admin API's counts of one queue (waiting, active, delayed, failed, completed, paused, ...). */
    protected Map<String, Object> queueStats(String queue) {
        return app.api().get("/api/admin/queues", TestApp.ADMIN_TOKEN).list().stream()
                .filter(q -> queue.equals(q.get("queue")))
                .findFirst()
                .orElseThrow();
    }

    /** Queues a {@code domain-registered} email about {@code domain} to the client and waits for it at the SMTP server. */
    protected jakarta.mail.internet.MimeMessage registeredEmail(Client client, String domain) {
        int before = mail.getReceivedMessages().length;
        queueRegisteredEmail(client, domain);
        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length > before);
        return mail.getReceivedMessages()[before];
    }

    /** Queues a {@code domain-registered} email about {@code domain} to the client (the job's id is generated). */
    protected void queueRegisteredEmail(Client client, String domain) {
        app.app()
                .context()
                .createProducerTemplate()
                .sendBody(
                        "redisqueue:email-notification",
                        Map.of("type", "domain-registered", "clientId", client.id(), "data", Map.of("domain", domain)));
    }
}
