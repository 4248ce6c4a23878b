package com.domainautomation.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Db;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void a_write_returns_only_once_its_log_record_is_in_the_file() throws Exception {
        Path file = dir.resolve("s.mv");
        MVStore store = EmbeddedMongo.open(file);
        try (GroupCommit commits = new GroupCommit(store, GroupCommit.Sync.FSYNC, WriteAheadLog.open(file, 0))) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                commits.write(() -> {
                    commits.logged(
                            "t.c", "k" + n, BsonTypes.encode(new de.bwaldvogel.mongo.bson.Document("_id", "k" + n)));
                    return null;
                });
                List<Object> logged = new ArrayList<>();
                WriteAheadLog.replay(file, change -> logged.add(change.id()));
                assertTrue(
                        logged.contains("k" + n), "write " + n + " answered before its record was written: " + logged);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void a_killed_store_keeps_every_answered_write_and_its_index_entries() throws Exception {
        Path file = dir.resolve("mongo.mv");
        EmbeddedMongo mongo = EmbeddedMongo.start(file);
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> orders = client.getDatabase("t").getCollection("orders");
            orders.createIndex(Indexes.ascending("clientId"));
            for (int i = 0; i < 200; i++) {
                orders.insertOne(new Document("_id", "o" + i)
                        .append("clientId", "c" + i % 7)
                        .append("total", i));
            }
            orders.updateOne(Filters.eq("_id", "o3"), Updates.set("clientId", "moved"));
            orders.deleteOne(Filters.eq("_id", "o4"));
        }
        mongo.crash(); // no checkpoint since the inserts: they are only in the log

        try (EmbeddedMongo again = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(again.uri())) {
            MongoCollection<Document> orders = client.getDatabase("t").getCollection("orders");
            assertEquals(199, orders.find().into(new ArrayList<>()).size());
            assertEquals("moved", orders.find(Filters.eq("_id", "o3")).first().getString("clientId"));
            assertEquals(
                    1,
                    orders.find(Filters.eq("clientId", "moved"))
                            .into(new ArrayList<>())
                            .size(),
                    "through the index");
            assertEquals(
                    29,
                    orders.find(Filters.eq("clientId", "c1"))
                            .into(new ArrayList<>())
                            .size());
            assertEquals(
                    java.util.Map.of("{}", 1L),
                    again.scans().of("t").get("orders"),
                    "only the first query read every order");
        }
        assertTrue(
                WriteAheadLog.segments(file).size() <= 1,
                "applied segments are deleted: " + WriteAheadLog.segments(file));
    }

    @Test
    void a_store_killed_under_concurrent_writes_and_checkpoints_keeps_every_answered_write() throws Exception {
        Path file = dir.resolve("mongo.mv");
        EmbeddedMongo mongo = EmbeddedMongo.start(file, "fsync", java.time.Duration.ofMillis(300));
        List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> entries = client.getDatabase("t").getCollection("entries");
            MongoCollection<Document> marks = client.getDatabase("t").getCollection("marks");
            entries.createIndex(Indexes.ascending("writer"));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long until = System.nanoTime() + 3_500_000_000L; // several checkpoints
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; System.nanoTime() < until; i++) {
                        String id = writer + ":" + i;
                        entries.insertOne(new Document("_id", id).append("writer", "w" + writer));
                        answered.add("entries/" + id);
                        marks.insertOne(new Document("_id", id));
                        answered.add("marks/" + id);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();
        }
        mongo.crash();

        try (EmbeddedMongo again = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(again.uri())) {
            java.util.Set<String> stored = new java.util.HashSet<>();
            for (String collection : List.of("entries", "marks")) {
                for (Document d :
                        client.getDatabase("t").getCollection(collection).find()) {
                    stored.add(collection + "/" + d.getString("_id"));
                }
            }
            List<String> lost =
                    answered.stream().filter(a -> !stored.contains(a)).toList();
            assertTrue(
                    lost.isEmpty(),
                    lost.size() + " of " + answered.size() + " answered writes lost: "
                            + lost.subList(0, Math.min(10, lost.size())));
            assertEquals(
                    answered.size() / 2,
                    client.getDatabase("t")
                            .getCollection("entries")
                            .find(Filters.regex("writer", "^w"))
                            .into(new ArrayList<>())
                            .size());
        }
    }

    @Test
    void deferred_writes_wait_for_the_disk_once_and_survive_a_kill_after_awaitDurable() throws Exception {
        Path file = dir.resolve("mongo.mv");
        EmbeddedMongo mongo = EmbeddedMongo.start(file);
        List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
        long flushesForDeferred;
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            Db db = Db.embedded(client.getDatabase("t"));
            Db deferring = db.deferring();
            db.get("warm").insertOne(new Document("_id", "w")); // creates the database outside the measure
            long before = mongo.flushes();
            for (int i = 0; i < 200; i++) {
                deferring.get("orders").insertOne(new Document("_id", "o" + i).append("status", "created"));
                deferring.get("orders").updateOne(Filters.eq("_id", "o" + i), Updates.set("status", "paid"));
            }
            db.awaitDurable();
            flushesForDeferred = mongo.flushes() - before;
            for (int i = 0; i < 200; i++) {
                answered.add("o" + i);
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        String id = "w" + writer + ":" + i;
                        deferring.get("orders").insertOne(new Document("_id", id).append("status", "created"));
                        deferring.get("orders").findOneAndUpdate(Filters.eq("_id", id), Updates.set("status", "paid"));
                        db.awaitDurable(); // the answer would be sent now
                        answered.add(id);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();
        }
        mongo.crash();

        assertTrue(
                flushesForDeferred < 40,
                "400 deferred writes and one awaitDurable took " + flushesForDeferred + " log writes");
        try (EmbeddedMongo again = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(again.uri())) {
            java.util.Map<String, String> stored = new java.util.HashMap<>();
            for (Document d : client.getDatabase("t").getCollection("orders").find()) {
                stored.put(d.getString("_id"), d.getString("status"));
            }
            List<String> lost = answered.stream()
                    .filter(id -> !"paid".equals(stored.get(id)))
                    .toList();
            assertTrue(lost.isEmpty(), lost.size() + " of " + answered.size() + " answered writes lost: " + lost);
        }
    }

    @Test
    void plain_writes_each_wait_for_the_disk() throws Exception {
        Path file = dir.resolve("mongo.mv");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            Db db = Db.embedded(client.getDatabase("t"));
            db.get("warm").insertOne(new Document("_id", "w"));
            long before = mongo.flushes();
            for (int i = 0; i < 50; i++) {
                db.get("orders").insertOne(new Document("_id", "o" + i));
            }
            assertTrue(
                    mongo.flushes() - before >= 50, "50 plain writes, " + (mongo.flushes() - before) + " log writes");
        }
    }

    @Test
    void concurrent_writes_share_log_writes() throws Exception {
        Path file = dir.resolve("s.mv");
        MVStore store = EmbeddedMongo.open(file);
        int threads = 16;
        int perThread = 100;
        try (GroupCommit commits = new GroupCommit(store, GroupCommit.Sync.FSYNC, WriteAheadLog.open(file, 0))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String id = thread + ":" + i;
                        commits.write(() -> {
                            commits.logged("t.c", id, new byte[] {1});
                            return null;
                        });
                    }
                    return null;
                }));
            }
            long before = commits.flushes();
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            long used = commits.flushes() - before;
            assertTrue(used < threads * perThread / 2, "log writes for " + threads * perThread + " writes: " + used);
        } finally {
            store.close();
        }
    }

    @Test
    void a_failing_write_is_reported_and_does_not_stop_the_others() throws Exception {
        Path file = dir.resolve("s.mv");
        MVStore store = EmbeddedMongo.open(file);
        try (GroupCommit commits = new GroupCommit(store, GroupCommit.Sync.COMMIT, WriteAheadLog.open(file, 0))) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> commits.write(() -> {
                        throw new IllegalArgumentException("bad");
                    }));
            commits.write(() -> {
                commits.logged("t.c", "a", new byte[] {1});
                return null;
            });
        } finally {
            store.close();
        }
    }

    @Test
    void sync_setting_is_fsync_or_commit() {
        assertEquals(GroupCommit.Sync.FSYNC, GroupCommit.Sync.parse("fsync"));
        assertEquals(GroupCommit.Sync.COMMIT, GroupCommit.Sync.parse(" Commit "));
        assertThrows(IllegalArgumentException.class, () -> GroupCommit.Sync.parse("always"));
    }
}
