package com.domainautomation.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * The content of {@code src/test/resources/store/mongo-java-serialised.mv}: the app's collections with every kind of
 * value they hold, and their indexes. That file was written by the version before BSON documents (its EmbeddedMongo,
 * through the MongoDB driver: one {@code insertMany} per collection, then {@code createIndex} as {@code Db} does), so
 * the upgrade test reads a real file of that version. Deterministic, so the test can compare document by document.
 */
final class StoreFixture {
    static final String DATABASE = "domain_automation";
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private StoreFixture() {}

    static Map<String, List<Document>> collections() {
        Map<String, List<Document>> all = new LinkedHashMap<>();
        List<Document> clients = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            clients.add(new Document("_id", "cli_" + c)
                    .append("name", "Client " + c)
                    .append("email", "client" + c + "@example.com")
                    .append("balanceMinor", 10_000L + c)
                    .append("currency", "USD")
                    .append("recentOps", List.of("credit:k" + c, "charge:o" + c))
                    .append("createdAt", date(-c)));
        }
        all.put("clients", clients);
        List<Document> domains = new ArrayList<>();
        List<Document> orders = new ArrayList<>();
        List<Document> invoices = new ArrayList<>();
        List<Document> transactions = new ArrayList<>();
        List<Document> activity = new ArrayList<>();
        for (int d = 0; d < 60; d++) {
            String order = "ord_" + d;
            String client = "cli_" + (d % 20);
            Document domain = new Document("_id", "dom_" + d)
                    .append("domain", "name-" + d + ".com")
                    .append("userId", client)
                    .append("orderId", order)
                    .append("status", d % 7 == 0 ? "failed" : "active")
                    .append("years", 1 + d % 3)
                    .append("autoRenew", d % 2 == 0)
                    .append("expiresAt", date(d))
                    .append("nameServers", List.of("ns1.example.net", "ns2.example.net"))
                    .append(
                            "contact",
                            new Document("nameFirst", "Ada")
                                    .append("nameLast", "Lovelace")
                                    .append("address", new Document("city", "London").append("country", "GB")))
                    .append("failureReason", d % 7 == 0 ? "taken" : null);
            if (d % 10 == 0) {
                domain.append("transferStatus", "pending");
            }
            domains.add(domain);
            orders.add(new Document("_id", order)
                    .append("clientId", client)
                    .append("status", "paid")
                    .append("totalMinor", 1299L)
                    .append(
                            "items",
                            List.of(new Document("domain", "name-" + d + ".com")
                                    .append("years", 1)
                                    .append("priceMinor", 1299L)))
                    .append("createdAt", date(-1))
                    .append("paidAt", date(-1)));
            invoices.add(new Document("_id", "inv_" + d)
                    .append("orderId", order)
                    .append("clientId", client)
                    .append("total", new Decimal128(new BigDecimal("12.99")))
                    .append("issuedAt", date(-1)));
            transactions.add(new Document("_id", "charge:" + order)
                    .append("clientId", client)
                    .append("type", "charge")
                    .append("amountMinor", -1299L)
                    .append("status", "posted")
                    .append("createdAt", date(-1))
                    .append("balanceAfter", 8701L));
            activity.add(new Document("_id", new ObjectId(String.format("6560%020x", d)))
                    .append("domain", "name-" + d + ".com")
                    .append("event", "registered")
                    .append("at", date(-1))
                    .append("detail", new Document("attempt", 1).append("ms", 12.5)));
        }
        all.put("domains", domains);
        all.put("orders", orders);
        all.put("invoices", invoices);
        all.put("transactions", transactions);
        all.put("activity_log", activity);
        all.put(
                "outbox",
                List.of(new Document("_id", "registration:dom_1")
                        .append("kind", "registration")
                        .append("createdAt", date(0))));
        return all;
    }

    /** {@code collection -> index keys}, as the app created them before. */
    static Map<String, List<Document>> indexes() {
        Map<String, List<Document>> indexes = new LinkedHashMap<>();
        indexes.put(
                "domains",
                List.of(
                        new Document("expiresAt", 1),
                        new Document("userId", 1),
                        new Document("orderId", 1),
                        new Document("transferStatus", 1)));
        indexes.put("transactions", List.of(new Document("clientId", 1)));
        indexes.put("activity_log", List.of(new Document("at", -1)));
        indexes.put("outbox", List.of(new Document("kind", 1).append("createdAt", 1)));
        return indexes;
    }

    private static Date date(int days) {
        return Date.from(T0.plus(days, ChronoUnit.DAYS));
    }
}
