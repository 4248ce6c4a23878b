package com.domainautomation;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.domainautomation.support.Db;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import com.mongodb.client.model.Updates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Work a crash or an outage left half done is completed by the recovery sweeper, never silently lost. */
class RecoveryIT extends AppTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("recovery.grace-ms", "300");
    }

    @Test
    void a_registration_that_could_not_be_queued_is_queued_by_the_sweeper() throws Exception {
        godaddy.purchaseSucceeds("outage-example.com");
        Client client = newClient("50.00");
        // The API process loses Redis: checkout still answers, the job stays in the outbox.
        Map<String, String> apiOnly = new HashMap<>(app.settings());
        apiOnly.put("roles", "api");
        apiOnly.put("redis.url", "redis://127.0.0.1:" + TestApp.freePort());
        apiOnly.put("http.port", Integer.toString(TestApp.freePort()));
        apiOnly.put("management.port", Integer.toString(TestApp.freePort()));
        ApiClient.Response response;
        try (TestApp broken = TestApp.start(apiOnly)) {
            response = broken.api().post("/api/cart/checkout", client.token(), cart("outage-example.com"));
        }
        assertEquals(202, response.status(), response.text());
        String domainId = (String)
                ((List<Map<?, ?>>) response.map().get("domains")).get(0).get("id");
        assertNotNull(app.db()
                .get(Db.OUTBOX)
                .find(eq("_id", "registration:" + domainId))
                .first());

        awaitStatus(client, "outage-example.com", "active");
        assertEquals(1, godaddy.purchases("outage-example.com"));
        assertEquals(0, app.db().get(Db.OUTBOX).estimatedDocumentCount(), "nothing left half done");
        assertEquals("37.01", balance(client));
    }

    @Test
    void an_order_charged_but_not_completed_before_a_crash_is_completed_by_the_sweeper() {
        godaddy.purchaseSucceeds("crashed-example.com");
        Client client = newClient("50.00");
        // Stop the workers so the order's state can be rewound to "charged, nothing else written yet".
        Map<String, String> apiOnly = new HashMap<>(app.settings());
        apiOnly.put("roles", "api");
        app.close();
        app = startQuietly(apiOnly);
        ApiClient.Response response = checkout(client, cart("crashed-example.com"));
        assertEquals(202, response.status(), response.text());
        String orderId = (String) ((Map<?, ?>) response.map().get("order")).get("id");
        Db db = app.db();
        db.get(Db.DOMAINS).deleteMany(eq("orderId", orderId));
        db.get(Db.INVOICES).deleteMany(eq("orderId", orderId));
        db.get(Db.OUTBOX).deleteMany(in("kind", "order", "registration"));
        db.get(Db.ORDERS).updateOne(eq("_id", orderId), Updates.set("status", "created"));
        db.get(Db.OUTBOX)
                .insertOne(new Document("_id", "order:" + orderId)
                        .append("kind", "order")
                        .append("orderId", orderId)
                        .append("createdAt", new java.util.Date()));
        com.domainautomation.testing.SharedStores.flushRedis();
        assertEquals("37.01", balance(client), "charged");

        Map<String, String> all = new HashMap<>(app.settings());
        all.put("roles", "api,workers,cron");
        app.close();
        app = startQuietly(all);

        awaitStatus(client, "crashed-example.com", "active");
        db = app.db();
        assertEquals("paid", db.get(Db.ORDERS).find(eq("_id", orderId)).first().getString("status"));
        assertEquals(1, app.api().get("/api/invoices", client.token()).list().size());
        assertEquals("37.01", balance(client));
        assertEquals(1, godaddy.purchases("crashed-example.com"));
    }

    @Test
    void a_checkout_interrupted_before_its_charge_is_cancelled_and_frees_the_name() {
        Client client = newClient("50.00");
        Db db = app.db();
        // The state a crash right after writing the order (before the wallet was touched) leaves behind.
        String orderId = "ord_000000000000000000000abc";
        db.get(Db.DOMAIN_CLAIMS)
                .insertOne(new Document("_id", "ghost-example.com")
                        .append("orderId", orderId)
                        .append("clientId", client.id()));
        db.get(Db.OUTBOX)
                .insertOne(new Document("_id", "order:" + orderId)
                        .append("kind", "order")
                        .append("orderId", orderId)
                        .append("createdAt", new java.util.Date()));
        db.get(Db.ORDERS)
                .insertOne(new Document("_id", orderId)
                        .append("clientId", client.id())
                        .append("status", "created")
                        .append(
                                "items",
                                List.of(new Document("domain", "ghost-example.com")
                                        .append("years", 1)
                                        .append("price", 1299L)))
                        .append("total", 1299L)
                        .append("currency", "USD")
                        .append("createdAt", new java.util.Date()));

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> "cancelled"
                        .equals(db.get(Db.ORDERS)
                                .find(eq("_id", orderId))
                                .first()
                                .getString("status")));
        // the sweeper frees the name right after cancelling the order
        org.awaitility.Awaitility.await("the name is free again")
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> db.get(Db.DOMAIN_CLAIMS)
                                .find(eq("_id", "ghost-example.com"))
                                .first()
                        == null);
        assertEquals("50.00", balance(client));
    }

    private static TestApp startQuietly(Map<String, String> settings) {
        try {
            return TestApp.start(settings);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
