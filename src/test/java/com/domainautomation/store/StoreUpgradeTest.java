package com.domainautomation.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store file written by the version before BSON documents is upgraded at its first start, once, losing nothing. */
class StoreUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void a_file_of_the_previous_version_is_upgraded_once_with_every_document_and_index() throws Exception {
        Path file = fixture();
        assertFalse(isCurrent(file), "the fixture is in the old form");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            assertSameContent(client.getDatabase(StoreFixture.DATABASE));
            assertIndexesAnswer(client.getDatabase(StoreFixture.DATABASE), mongo);
        }
        assertTrue(isCurrent(file));
        Path backup = StoreUpgrade.backupOf(file);
        assertTrue(Files.exists(backup), "the old file is kept");
        long backupModified = Files.getLastModifiedTime(backup).toMillis();
        assertTrue(
                Files.size(file) < Files.size(backup),
                "BSON is smaller: " + Files.size(file) + " vs " + Files.size(backup));

        // the next start finds the new form and does nothing more; what was written since is still there
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoDatabase db = client.getDatabase(StoreFixture.DATABASE);
            assertSameContent(db);
            db.getCollection("clients").insertOne(new Document("_id", "cli_new").append("name", "After"));
        }
        assertEquals(backupModified, Files.getLastModifiedTime(backup).toMillis());
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            assertEquals(
                    "After",
                    client.getDatabase(StoreFixture.DATABASE)
                            .getCollection("clients")
                            .find(Filters.eq("_id", "cli_new"))
                            .first()
                            .get("name"));
        }
    }

    @Test
    void an_upgrade_cut_short_is_done_again_or_finished_at_the_next_start() throws Exception {
        // killed while copying: the old file is untouched, a partial copy lies beside it
        Path file = fixture();
        Files.writeString(file.resolveSibling("mongo.mv.upgrading"), "partial");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            assertSameContent(client.getDatabase(StoreFixture.DATABASE));
        }
        assertFalse(Files.exists(file.resolveSibling("mongo.mv.upgrading")));

        // killed between moving the old file away and moving the new one in
        Files.move(file, file.resolveSibling("mongo.mv.upgraded"));
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            assertSameContent(client.getDatabase(StoreFixture.DATABASE));
        }
    }

    private Path fixture() throws Exception {
        Path file = dir.resolve("mongo.mv");
        try (InputStream in = getClass().getResourceAsStream("/store/mongo-java-serialised.mv")) {
            Files.copy(in, file);
        }
        return file;
    }

    private static boolean isCurrent(Path file) {
        MVStore store =
                new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            return StoreUpgrade.isCurrent(store);
        } finally {
            store.close();
        }
    }

    private static void assertSameContent(MongoDatabase db) {
        for (Map.Entry<String, List<Document>> collection :
                StoreFixture.collections().entrySet()) {
            List<Document> stored = db.getCollection(collection.getKey())
                    .find()
                    .sort(Sorts.ascending("_id"))
                    .into(new ArrayList<>());
            List<Document> expected = new ArrayList<>(collection.getValue());
            expected.sort(
                    (a, b) -> a.get("_id").toString().compareTo(b.get("_id").toString()));
            stored.removeIf(d -> d.get("_id").equals("cli_new"));
            assertEquals(expected, stored, collection.getKey());
        }
    }

    /** The indexes are there, and queries on them read no whole collection. */
    private static void assertIndexesAnswer(MongoDatabase db, EmbeddedMongo mongo) {
        for (Map.Entry<String, List<Document>> collection :
                StoreFixture.indexes().entrySet()) {
            Set<String> keys = new TreeSet<>();
            for (Document index : db.getCollection(collection.getKey()).listIndexes()) {
                keys.add(((Document) index.get("key")).toJson());
            }
            for (Document expected : collection.getValue()) {
                assertTrue(
                        keys.contains(expected.toJson()),
                        collection.getKey() + " has index " + expected.toJson() + ": " + keys);
            }
        }
        Map<String, Map<String, Long>> before = mongo.scans().of(StoreFixture.DATABASE);
        Date from = Date.from(Instant.parse("2026-12-10T00:00:00Z"));
        Date to = Date.from(Instant.parse("2026-12-20T00:00:00Z"));
        // (not countDocuments: the driver sends it as an aggregation, which mongo-java-server runs over every document)
        assertEquals(
                10,
                db.getCollection("domains")
                        .find(Filters.and(Filters.gte("expiresAt", from), Filters.lt("expiresAt", to)))
                        .into(new ArrayList<>())
                        .size());
        assertEquals(
                3,
                db.getCollection("domains")
                        .find(Filters.eq("userId", "cli_3"))
                        .into(new ArrayList<>())
                        .size());
        assertEquals(
                1,
                db.getCollection("domains")
                        .find(Filters.eq("orderId", "ord_7"))
                        .into(new ArrayList<>())
                        .size());
        assertEquals(
                3,
                db.getCollection("transactions")
                        .find(Filters.eq("clientId", "cli_4"))
                        .into(new ArrayList<>())
                        .size());
        assertEquals(before, mongo.scans().of(StoreFixture.DATABASE), "no query above read a whole collection");
    }
}
