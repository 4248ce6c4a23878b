package com.domainautomation.support;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Single-document writes made one after the other, as separate writes would be, but sent to the embedded store as one
 * command ({@value Db#APPLY_WRITES}): a checkout makes a dozen writes, and each round trip through the MongoDB driver,
 * the loopback socket and the store's wire protocol cost more CPU than the write itself. Each write is still its own
 * atomic single-document write, applied and logged in order, so a crash keeps a prefix of them, as it would of
 * separate writes. On a MongoDB server the writes are sent one by one.
 *
 * <p>Every write reports whether it changed something: an insert that found its {@code _id} taken ({@link
 * #insertIfAbsent}), an update or a delete that matched nothing report {@code false}. Any other failure stops the
 * batch and throws; the writes before it stay.
 */
public final class WriteBatch {
    private record Write(String collection, Document command, boolean ifAbsent) {}

    private final Db db;
    private final List<Write> writes = new ArrayList<>();

    WriteBatch(Db db) {
        this.db = db;
    }

    public WriteBatch insert(String collection, Document document) {
        return add(collection, new Document("insert", collection).append("documents", List.of(document)), false);
    }

    /** An insert that reports {@code false}, and is no failure, when a document with its {@code _id} exists. */
    public WriteBatch insertIfAbsent(String collection, Document document) {
        return add(collection, new Document("insert", collection).append("documents", List.of(document)), true);
    }

    public WriteBatch updateOne(String collection, Bson filter, Bson update) {
        Document statement = new Document("q", bson(filter)).append("u", bson(update));
        return add(collection, new Document("update", collection).append("updates", List.of(statement)), false);
    }

    public WriteBatch deleteOne(String collection, Bson filter) {
        Document statement = new Document("q", bson(filter)).append("limit", 1);
        return add(collection, new Document("delete", collection).append("deletes", List.of(statement)), false);
    }

    public int size() {
        return writes.size();
    }

    /** Applies every write in order; one outcome per write (true: it changed something). */
    public List<Boolean> apply() {
        return run(false);
    }

    /**
     * Applies the writes in order until an {@link #insertIfAbsent} finds its document there; the writes after it are
     * not made. The outcomes end with that {@code false}, or hold one per write when all were made.
     */
    public List<Boolean> applyUntilPresent() {
        return run(true);
    }

    private WriteBatch add(String collection, Document command, boolean ifAbsent) {
        writes.add(new Write(collection, command, ifAbsent));
        return this;
    }

    private List<Boolean> run(boolean untilPresent) {
        if (writes.isEmpty()) {
            return List.of();
        }
        if (db.isEmbedded()) {
            return db.applyWrites(
                    writes.stream()
                            .map(write -> new Document("write", write.command()).append("ifAbsent", write.ifAbsent()))
                            .toList(),
                    untilPresent);
        }
        List<Boolean> outcomes = new ArrayList<>();
        for (Write write : writes) {
            boolean changed = applyOne(write);
            outcomes.add(changed);
            if (untilPresent && !changed && write.ifAbsent()) {
                break;
            }
        }
        return outcomes;
    }

    /** One write through the driver, as a MongoDB server is sent it. */
    private boolean applyOne(Write write) {
        Document command = write.command();
        if (command.containsKey("insert")) {
            Document document = command.getList("documents", Document.class).get(0);
            if (write.ifAbsent()) {
                return db.insertIfAbsent(write.collection(), document);
            }
            db.get(write.collection()).insertOne(document);
            return true;
        }
        if (command.containsKey("update")) {
            Document statement = command.getList("updates", Document.class).get(0);
            UpdateResult result = db.get(write.collection())
                    .updateOne(statement.get("q", BsonDocument.class), statement.get("u", BsonDocument.class));
            return result.getMatchedCount() > 0;
        }
        Document statement = command.getList("deletes", Document.class).get(0);
        DeleteResult result = db.get(write.collection()).deleteOne(statement.get("q", BsonDocument.class));
        return result.getDeletedCount() > 0;
    }

    private static BsonDocument bson(Bson filter) {
        return filter.toBsonDocument(BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry());
    }
}
