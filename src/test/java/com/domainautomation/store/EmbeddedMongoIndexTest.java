package com.domainautomation.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.nin;
import static com.mongodb.client.model.Filters.or;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's own indexes answer exactly what a full scan answers. Each query is also asked with an extra
 * {@code $or} branch no index can narrow (so the store reads every document), and both answers must be equal.
 */
class EmbeddedMongoIndexTest {
    private static final Instant NOW = Instant.parse("2026-06-01T02:00:00Z");

    @TempDir
    Path dir;

    @Test
    void indexed_queries_answer_what_a_full_scan_answers_also_after_updates_deletes_and_a_restart() throws Exception {
        Path file = dir.resolve("mongo.mv");
        Random random = new Random(7);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> domains = client.getDatabase("t").getCollection("domains");
            insertDomains(domains, 2_000, random);
            // created after the documents: the index is built from what is there
            domains.createIndex(Indexes.ascending("expiresAt"));
            domains.createIndex(Indexes.ascending("userId"));
            domains.createIndex(Indexes.ascending("status", "stage")); // compound: kept by its first field
            assertSameAsScan(domains, random);

            // updates move entries, deletes remove them, inserts add them
            for (int i = 0; i < 300; i++) {
                String id = "d" + random.nextInt(2_000);
                domains.updateOne(
                        eq("_id", id),
                        Updates.combine(
                                Updates.set("expiresAt", date(random)),
                                Updates.set("userId", "u" + random.nextInt(20))));
            }
            domains.updateMany(in("_id", "d1", "d2", "d3"), Updates.unset("expiresAt"));
            domains.updateOne(
                    eq("_id", "d4"),
                    Updates.set("expiresAt", List.of(Date.from(NOW.plus(Duration.ofDays(3))), "text")));
            domains.deleteMany(lte("expiresAt", Date.from(NOW.minus(Duration.ofDays(300)))));
            domains.insertOne(domain(5_000, random));
            assertSameAsScan(domains, random);
        }
        // the entries are in the store's file, next to the documents (so a restart does not rebuild them)
        MVStore store =
                new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            long documents = StoredCollection.documents(store, "t.domains").sizeAsLong();
            assertTrue(documents > 1_500, "documents: " + documents);
            assertEquals(
                    documents + 1,
                    entries(store, "t.domains._index_expiresAt_1"),
                    "one entry a document, two for d4's array");
            assertEquals(documents, entries(store, "t.domains._index_userId_1"));
            assertEquals(documents, entries(store, "t.domains._index_status_1_stage_1"));
        } finally {
            store.close();
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> domains = client.getDatabase("t").getCollection("domains");
            assertSameAsScan(domains, random);
            domains.dropIndex("userId_1");
            assertSameAsScan(domains, random);
        }
    }

    @Test
    void a_file_written_by_the_stock_backend_gets_its_indexes_built_at_its_next_start() throws Exception {
        Path file = dir.resolve("old.mv");
        Random random = new Random(11);
        // the store as earlier versions wrote it: documents and index descriptions, no index entries
        MVStore old = new MVStore.Builder().fileName(file.toString()).open();
        MongoServer stock = new MongoServer(new H2Backend(old));
        try (MongoClient client = MongoClients.create("mongodb://" + hostAndPort(stock.bind()))) {
            MongoCollection<Document> domains = client.getDatabase("t").getCollection("domains");
            insertDomains(domains, 500, random);
            domains.createIndex(Indexes.ascending("expiresAt"));
        } finally {
            stock.shutdown();
            old.close();
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> domains = client.getDatabase("t").getCollection("domains");
            assertSameAsScan(domains, random);
        }
        MVStore store =
                new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            assertEquals(500, entries(store, "t.domains._index_expiresAt_1"), "built at the start");
        } finally {
            store.close();
        }
    }

    @Test
    void newest_first_pages_and_queries_on_two_indexed_fields_are_answered_through_indexes() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir.resolve("mongo.mv"));
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> activity = client.getDatabase("t").getCollection("activity");
            activity.createIndex(Indexes.descending("at"));
            activity.createIndex(Indexes.ascending("clientId"));
            activity.createIndex(Indexes.ascending("domain"));
            Map<String, Map<String, Long>> empty = mongo.scans().of("t");
            assertEquals(
                    List.of(),
                    activity.find().sort(Sorts.descending("at")).limit(20).into(new ArrayList<>()));
            assertEquals(empty, mongo.scans().of("t"), "a newest-first page of an empty collection reads nothing");
            List<Document> all = new ArrayList<>();
            Random random = new Random(3);
            for (int i = 0; i < 500; i++) {
                all.add(new Document("_id", "a" + i)
                        .append("at", Date.from(NOW.plusSeconds(random.nextInt(1_000_000))))
                        .append("domain", "d" + i % 50)
                        .append("clientId", "c" + i % 5));
            }
            activity.insertMany(all);
            all.sort((a, b) -> b.getDate("at").compareTo(a.getDate("at")));
            Map<String, Map<String, Long>> before = mongo.scans().of("t");

            assertEquals(
                    all.subList(0, 20),
                    activity.find().sort(Sorts.descending("at")).limit(20).into(new ArrayList<>()));
            assertEquals(
                    all.stream()
                            .filter(d -> d.get("clientId").equals("c1"))
                            .limit(5)
                            .toList(),
                    activity.find(eq("clientId", "c1"))
                            .sort(Sorts.descending("at"))
                            .limit(5)
                            .into(new ArrayList<>()));
            assertEquals(
                    all.stream().filter(d -> d.get("domain").equals("d3")).toList(),
                    activity.find(and(eq("clientId", "c3"), eq("domain", "d3")))
                            .sort(Sorts.descending("at"))
                            .into(new ArrayList<>()));
            List<Document> oldest = new ArrayList<>(all.subList(all.size() - 3, all.size()));
            java.util.Collections.reverse(oldest);
            assertEquals(
                    oldest, activity.find().sort(Sorts.ascending("at")).limit(3).into(new ArrayList<>()));
            assertEquals(before, mongo.scans().of("t"), "no query read the whole collection");

            activity.find(eq("action", "x")).first();
            assertEquals(
                    1L,
                    mongo.scans().of("t").get("activity").get("{action: ?}"),
                    "a query no index answers is counted");
        }
    }

    private static long entries(MVStore store, String indexMap) {
        return store.openMap(indexMap, new MVMap.Builder<String, Object>().valueType(BsonTypes.VALUE))
                .sizeAsLong();
    }

    private static void insertDomains(MongoCollection<Document> domains, int count, Random random) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(domain(i, random));
        }
        domains.insertMany(batch);
    }

    private static String hostAndPort(java.net.InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    @Test
    void narrows_only_queries_whose_every_match_is_in_its_entries() {
        FieldIndex index = new FieldIndex(
                "expiresAt_1",
                List.of(new IndexKey("expiresAt", true)),
                false,
                MVStore.open(null).openMap("i"));
        de.bwaldvogel.mongo.bson.Document range =
                doc("expiresAt", doc("$lte", NOW).append("$gt", NOW.minusSeconds(60)));
        assertTrue(index.canHandle(range));
        assertTrue(index.canHandle(doc("status", "active").append("expiresAt", NOW)));
        assertTrue(index.canHandle(doc("$and", List.of(doc("status", "active"), range))));
        assertTrue(index.canHandle(doc("$or", List.of(range, doc("expiresAt", doc("$in", List.of(NOW)))))));
        assertFalse(
                index.canHandle(doc("$or", List.of(range, doc("status", "active")))), "a branch could match any date");
        assertFalse(index.canHandle(doc("expiresAt", doc("$ne", NOW))));
        assertFalse(index.canHandle(doc("expiresAt", null)), "null also matches a missing field");
        assertFalse(index.canHandle(doc("expiresAt", doc("$gt", 5))), "numbers are not narrowed");
        assertFalse(index.canHandle(doc("status", "active")));

        index.add(doc("_id", "a").append("expiresAt", NOW), "a", null);
        index.add(doc("_id", "b").append("expiresAt", NOW.minusSeconds(60)), "b", null);
        index.add(doc("_id", "c").append("expiresAt", List.of(NOW.minusSeconds(30), "x")), "c", null);
        index.add(doc("_id", "d"), "d", null);
        assertEquals(
                Set.of("a", "b", "c"),
                Set.copyOf(toList(index.getPositions(range))),
                "candidates: bounds taken inclusive, the collection checks $gt");
        index.remove(doc("_id", "c").append("expiresAt", List.of(NOW.minusSeconds(30), "x")));
        assertEquals(List.of("a"), toList(index.getPositions(doc("expiresAt", NOW))));
        assertEquals(3, index.getCount(), "a, b and d (no value); c removed");
    }

    private static List<Object> toList(Iterable<Object> positions) {
        List<Object> list = new ArrayList<>();
        positions.forEach(list::add);
        return list;
    }

    private static de.bwaldvogel.mongo.bson.Document doc(String key, Object value) {
        return new de.bwaldvogel.mongo.bson.Document(key, value);
    }

    private static void assertSameAsScan(MongoCollection<Document> domains, Random random) {
        for (int i = 0; i < 15; i++) {
            Date a = date(random);
            Date b = date(random);
            Date low = a.before(b) ? a : b;
            Date high = a.before(b) ? b : a;
            String user = "u" + random.nextInt(20);
            List<Bson> queries = List.of(
                    and(lte("expiresAt", high), gt("expiresAt", low)),
                    or(
                            and(
                                    eq("status", "active"),
                                    lte("expiresAt", high),
                                    gt("expiresAt", low),
                                    nin("stage", 30, 7)),
                            and(eq("status", "expired"), lte("expiresAt", low)),
                            eq("expiresAt", a)),
                    and(eq("userId", user), ne("status", "expired")),
                    in("userId", user, "u" + random.nextInt(20)),
                    and(eq("status", "expired"), eq("stage", 7)),
                    eq("expiresAt", Date.from(NOW.plus(Duration.ofDays(3)))));
            for (Bson query : queries) {
                Set<String> indexed = ids(domains, query);
                Set<String> scanned = ids(domains, or(query, eq("neverIndexed", "x")));
                assertEquals(scanned, indexed, query.toBsonDocument().toJson());
            }
        }
    }

    private static Set<String> ids(MongoCollection<Document> domains, Bson query) {
        Set<String> ids = new TreeSet<>();
        domains.find(query).forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    private static Document domain(int i, Random random) {
        return new Document("_id", "d" + i)
                .append("userId", "u" + random.nextInt(20))
                .append("status", random.nextInt(4) == 0 ? "expired" : "active")
                .append("stage", List.of(30, 7, 1, -1).get(random.nextInt(4)))
                .append("expiresAt", i % 97 == 0 ? null : date(random));
    }

    /** A time within a year around NOW, in whole hours so equal values happen. */
    private static Date date(Random random) {
        return Date.from(NOW.plus(Duration.ofHours(random.nextInt(24 * 730) - 24 * 365)));
    }
}
