package com.domainautomation.support;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.domainautomation.store.EmbeddedMongo;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import java.nio.file.Path;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same batches, sent as one command to the embedded store and one write at a time as to a MongoDB server. */
class WriteBatchTest {
    @TempDir
    Path dir;

    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoDatabase database;

    @BeforeEach
    void start() throws Exception {
        mongo = EmbeddedMongo.start(dir.resolve("mongo.mv"));
        client = MongoClients.create(mongo.uri());
        database = client.getDatabase("t");
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private Db db(boolean embedded) {
        return embedded ? Db.embedded(database) : new Db(database);
    }

    @ParameterizedTest(name = "embedded store: {0}")
    @ValueSource(booleans = {true, false})
    void writes_apply_in_order_and_report_what_they_changed(boolean embedded) {
        Db db = db(embedded);
        db.get("orders").insertOne(new Document("_id", "o1").append("status", "created"));

        List<Boolean> applied = db.batch()
                .insertIfAbsent("orders", new Document("_id", "o1"))
                .insertIfAbsent("orders", new Document("_id", "o2").append("status", "created"))
                .insert("outbox", new Document("_id", "order:o2"))
                .updateOne("orders", eq("_id", "o2"), Updates.set("status", "paid"))
                .updateOne("orders", eq("_id", "o3"), Updates.set("status", "paid"))
                .deleteOne("outbox", eq("_id", "order:o2"))
                .deleteOne("outbox", eq("_id", "order:o2"))
                .apply();

        assertEquals(List.of(false, true, true, true, false, true, false), applied);
        assertEquals("created", find(db, "orders", "o1").getString("status"));
        assertEquals("paid", find(db, "orders", "o2").getString("status"));
        assertNull(find(db, "outbox", "order:o2"));
    }

    @ParameterizedTest(name = "embedded store: {0}")
    @ValueSource(booleans = {true, false})
    void until_present_stops_at_the_first_document_found_there(boolean embedded) {
        Db db = db(embedded);
        db.get("claims").insertOne(new Document("_id", "b.com"));

        List<Boolean> applied = db.batch()
                .insertIfAbsent("claims", new Document("_id", "a.com"))
                .insertIfAbsent("claims", new Document("_id", "b.com"))
                .insertIfAbsent("claims", new Document("_id", "c.com"))
                .insert("orders", new Document("_id", "o1"))
                .applyUntilPresent();

        assertEquals(List.of(true, false), applied);
        assertEquals("a.com", find(db, "claims", "a.com").getString("_id"));
        assertNull(find(db, "claims", "c.com"));
        assertNull(find(db, "orders", "o1"));
    }

    @ParameterizedTest(name = "embedded store: {0}")
    @ValueSource(booleans = {true, false})
    void a_plain_insert_of_a_taken_id_fails_and_keeps_the_writes_before_it(boolean embedded) {
        Db db = db(embedded);
        db.get("orders").insertOne(new Document("_id", "o1"));

        assertThrows(MongoException.class, () -> db.batch()
                .insert("outbox", new Document("_id", "order:o1"))
                .insert("orders", new Document("_id", "o1"))
                .insert("outbox", new Document("_id", "after"))
                .apply());

        assertEquals("order:o1", find(db, "outbox", "order:o1").getString("_id"));
        assertNull(find(db, "outbox", "after"));
    }

    @ParameterizedTest(name = "embedded store: {0}")
    @ValueSource(booleans = {true, false})
    void deferred_batches_are_durable_once_awaited(boolean embedded) {
        Db deferring = db(embedded).deferring();
        assertEquals(
                List.of(true),
                deferring.batch().insert("orders", new Document("_id", "o1")).apply());
        deferring.awaitDurable();
        assertEquals("o1", find(deferring, "orders", "o1").getString("_id"));
    }

    private static Document find(Db db, String collection, String id) {
        return db.get(collection).find(eq("_id", id)).first();
    }
}
