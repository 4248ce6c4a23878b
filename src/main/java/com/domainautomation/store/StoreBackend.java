package com.domainautomation.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server on an H2 MVStore file, made to be a store one can trust with money:
 * <ul>
 * <li>a write command is answered only once it is durable ({@link GroupCommit}, {@link WriteAheadLog});</li>
 * <li>documents, ids and index keys are stored as BSON ({@link StoredCollection}, {@link BsonTypes});</li>
 * <li>secondary indexes are built and used ({@link FieldIndex});</li>
 * <li>every query that no index answers is counted ({@link StoreScans}), so tests can prove the hot paths never
 * read a whole collection.</li>
 * </ul>
 * The map names are those of mongo-java-server's H2 backend; {@link StoreUpgrade} converts a file it wrote.
 */
final class StoreBackend extends AbstractMongoBackend {
    private static final Logger LOG = LoggerFactory.getLogger(StoreBackend.class);
    static final String DATA_PREFIX = "databases.";
    private static final Set<String> WRITE_COMMANDS = Set.of("insert", "update", "delete", "findandmodify");
    /** {@code Db.AWAIT_DURABLE}, as the command names are compared. */
    private static final String AWAIT_DURABLE = "awaitdurable";
    /** {@code Db.APPLY_WRITES}, as the command names are compared. */
    private static final String APPLY_WRITES = "applywrites";
    /** The commands a batch may hold: each answers with {@code n}, what it matched or inserted. */
    private static final Set<String> BATCHED_COMMANDS = Set.of("insert", "update", "delete");

    private static final int DUPLICATE_KEY = 11000;

    private static final Set<String> RESHAPING_COMMANDS =
            Set.of("createindexes", "dropindexes", "drop", "dropdatabase", "create", "renamecollection");

    /** Where the collections report the documents they put and remove: the group commit, once it runs. */
    static final class Changes {
        private volatile GroupCommit commits;

        void logged(String namespace, Object id, byte[] bson) {
            GroupCommit target = commits;
            if (target != null && !namespace.contains(".system.")) {
                target.logged(namespace, id, bson);
            }
        }
    }

    private final MVStore store;
    private final StoreScans scans;
    private final Changes changes = new Changes();

    /** Serves commands without waiting for any commit until {@link #commitWith} (an upgrade, a restart's replay). */
    StoreBackend(MVStore store, StoreScans scans) {
        this.store = store;
        this.scans = scans;
        store.getMapNames().stream()
                .filter(name -> name.startsWith(DATA_PREFIX))
                .map(name -> name.substring(DATA_PREFIX.length()).split("\\.", 2)[0])
                .distinct()
                .forEach(this::resolveDatabase);
    }

    /** From now on, every write command is answered once it is durable. */
    void commitWith(GroupCommit commits) {
        changes.commits = commits;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        GroupCommit commits = changes.commits;
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals(APPLY_WRITES)) {
            Supplier<Document> apply = () -> applyWrites(channel, databaseName, query);
            if (commits == null) {
                return apply.get();
            }
            return deferred(query) ? commits.writeDeferred(apply) : commits.write(apply);
        }
        if (commits != null && WRITE_COMMANDS.contains(name)) {
            if (deferred(query)) {
                return commits.writeDeferred(() -> super.handleCommand(channel, databaseName, command, query));
            }
            return commits.write(() -> super.handleCommand(channel, databaseName, command, query));
        }
        if (name.equals(AWAIT_DURABLE)) {
            if (commits != null) {
                commits.awaitAll();
            }
            return new Document("ok", 1.0);
        }
        if (commits != null && RESHAPING_COMMANDS.contains(name)) {
            return commits.reshape(() -> super.handleCommand(channel, databaseName, command, query));
        }
        return super.handleCommand(channel, databaseName, command, query);
    }

    /**
     * {@code Db.APPLY_WRITES} ({@code WriteBatch}): {@code writes} holds single-document insert, update and delete
     * commands, each with {@code ifAbsent} (an insert that may find its {@code _id} taken). They run in order, each as
     * it would alone; the answer's {@code applied} holds whether each changed something. With {@code untilPresent} it
     * stops after an {@code ifAbsent} insert that found its document. Any other write error stops it with an error
     * answer, returned (not thrown) so the group commit still makes the writes before it durable first.
     */
    private Document applyWrites(Channel channel, String databaseName, Document query) {
        boolean untilPresent = Boolean.TRUE.equals(query.get("untilPresent"));
        List<Boolean> applied = new ArrayList<>();
        for (Object item : (List<?>) query.get("writes")) {
            Document write = (Document) ((Document) item).get("write");
            boolean ifAbsent = Boolean.TRUE.equals(((Document) item).get("ifAbsent"));
            String name = write.keySet().iterator().next();
            if (!BATCHED_COMMANDS.contains(name.toLowerCase(Locale.ROOT))) {
                return failure(2, "applyWrites takes insert, update and delete commands, not " + name);
            }
            Document result;
            try {
                result = super.handleCommand(channel, databaseName, name, write);
            } catch (MongoServerError e) {
                return failure(e.getCode(), e.getMessageWithoutErrorCode());
            } catch (MongoServerException e) {
                return failure(1, e.getMessageWithoutErrorCode());
            }
            if (result.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
                Document error = (Document) errors.get(0);
                int code = ((Number) error.get("code")).intValue();
                if (code != DUPLICATE_KEY || !ifAbsent) {
                    return failure(code, String.valueOf(error.get("errmsg")));
                }
                applied.add(false);
                if (untilPresent) {
                    break;
                }
                continue;
            }
            applied.add(((Number) result.get("n")).intValue() > 0);
        }
        return new Document("applied", applied).append("ok", 1.0);
    }

    private static Document failure(int code, String message) {
        return new Document("ok", 0.0).append("errmsg", message).append("code", code);
    }

    /**
     * A write sent with {@code writeConcern: {j: false}} ({@code Db.deferring()}) is answered once it is logged: its
     * sender makes it durable later with {@code awaitDurable} or any plain write.
     */
    private static boolean deferred(Document query) {
        return query.get("writeConcern") instanceof Document concern && Boolean.FALSE.equals(concern.get("j"));
    }

    /** Applies a change of the log again (at start, before any command): see {@link StoredCollection#replay}. */
    void replay(WriteAheadLog.Change change) {
        String[] parts = change.namespace().split("\\.", 2);
        MongoCollection<Object> collection = collection(parts[0], parts[1]);
        if (collection == null) {
            super.handleCommand(
                    new io.netty.channel.embedded.EmbeddedChannel(),
                    parts[0],
                    "create",
                    new Document("create", parts[1]));
            collection = collection(parts[0], parts[1]);
        }
        ((StoredCollection) collection).replay(change.id(), change.bson());
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, store, getCursorRegistry());
    }

    /** The collection, created if it does not exist (for the upgrade, which fills it directly). */
    @SuppressWarnings("unchecked")
    MongoCollection<Object> collection(String databaseName, String collectionName) {
        return (MongoCollection<Object>) resolveDatabase(databaseName).resolveCollection(collectionName, false);
    }

    /** An inner class: H2Database's constructor opens the existing collections, which need this backend's fields. */
    private final class Database extends H2Database {

        Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            return new StoredCollection(this, collectionName, options, store, cursorRegistry, scans, changes);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(
                String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            return new UniqueIndex(
                    indexName,
                    keys,
                    sparse,
                    store.openMap(
                            indexMapName(collectionName, indexName),
                            new MVMap.Builder<KeyValue, Object>()
                                    .keyType(BsonTypes.KEY_VALUE)
                                    .valueType(BsonTypes.VALUE)));
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(
                String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            if (!FieldIndex.supports(keys)) {
                return super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
            }
            FieldIndex index = new FieldIndex(
                    indexName,
                    keys,
                    sparse,
                    store.openMap(
                            indexMapName(collectionName, indexName),
                            new MVMap.Builder<String, Object>().valueType(BsonTypes.VALUE)));
            MongoCollection<Object> collection = resolveCollection(collectionName, false);
            int documents = collection == null ? 0 : collection.count();
            if (index.isEmpty() && documents > 0) {
                LOG.info(
                        "Building index {} of {} over {} documents (once; it is kept in the store's file)",
                        indexName,
                        collectionName,
                        documents);
            }
            return index;
        }

        /** The map name H2Database gives an index, so dropping the index or the database removes it too. */
        private String indexMapName(String collectionName, String indexName) {
            return getFullCollectionNamespace(collectionName) + "._index_" + indexName;
        }
    }

    /** mongo-java-server's H2 unique index (whose constructor is not public), on a map with BSON keys and values. */
    private static final class UniqueIndex extends AbstractUniqueIndex<Object> {
        private final MVMap<KeyValue, Object> entries;

        UniqueIndex(String name, List<IndexKey> keys, boolean sparse, MVMap<KeyValue, Object> entries) {
            super(name, keys, sparse);
            this.entries = entries;
        }

        @Override
        protected Object removeDocument(KeyValue key) {
            return entries.remove(key);
        }

        @Override
        protected boolean putKeyPosition(KeyValue key, Object position) {
            return entries.putIfAbsent(key, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return entries.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue key) {
            return entries.get(key);
        }

        @Override
        public long getCount() {
            return entries.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return entries.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }
}
