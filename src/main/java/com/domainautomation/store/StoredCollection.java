package com.domainautomation.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;

/**
 * One collection of the embedded store: its documents as BSON bytes in an MVStore map keyed by {@code _id} (the
 * document's position). Keeping the bytes, not Java objects, means a commit copies each changed page as it is instead
 * of encoding every document on it again, and the page cache holds compact bytes.
 *
 * <p>Two things differ from mongo-java-server's H2 collection: a query that names one {@code _id} together with other
 * conditions (every conditional update: {@code {_id: x, status: "pending"}}) reads that one document, and a query
 * no index can answer is counted in {@link StoreScans} before it reads the whole collection.
 */
final class StoredCollection extends AbstractSynchronizedMongoCollection<Object> {
    private final MVMap<Object, byte[]> documents;
    private final StoreScans scans;
    private final StoreBackend.Changes changes;
    private final String namespace;

    StoredCollection(
            MongoDatabase database,
            String name,
            CollectionOptions options,
            MVStore store,
            CursorRegistry cursors,
            StoreScans scans,
            StoreBackend.Changes changes) {
        super(database, name, options, cursors);
        this.namespace = database.getDatabaseName() + "." + name;
        this.documents = documents(store, namespace);
        this.scans = scans;
        this.changes = changes;
    }

    /** The map of a collection's documents ({@code db.collection}). */
    static MVMap<Object, byte[]> documents(MVStore store, String namespace) {
        return store.openMap(
                StoreBackend.DATA_PREFIX + namespace,
                new MVMap.Builder<Object, byte[]>().keyType(BsonTypes.VALUE).valueType(ByteArrayDataType.INSTANCE));
    }

    @Override
    protected Object addDocumentInternal(Document document) {
        Object key = Missing.ofNullable(
                getIdField() != null ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID());
        byte[] bson = BsonTypes.encode(document);
        byte[] previous = documents.putIfAbsent(key, bson);
        if (previous != null) {
            throw new IllegalStateException("Document with key '" + key + "' already existed in " + this);
        }
        changes.logged(namespace, key, bson);
        return key;
    }

    @Override
    protected Document getDocument(Object position) {
        byte[] bson = documents.get(position);
        return bson == null ? null : BsonTypes.decode(bson);
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        byte[] bson = BsonTypes.encode(newDocument);
        documents.put(Missing.ofNullable(position), bson);
        changes.logged(namespace, Missing.ofNullable(position), bson);
    }

    @Override
    protected void removeDocument(Object position) {
        if (documents.remove(position) == null) {
            throw new NoSuchElementException("No document with key " + position);
        }
        changes.logged(namespace, position, null);
    }

    /**
     * Applies a logged change again after a restart: the document {@code bson} at {@code id} (null: none), whatever the
     * file holds there now, with the index entries of what was there replaced by those of what is there now.
     */
    void replay(Object id, byte[] bson) {
        byte[] before = documents.get(id);
        if (before != null) {
            Document old = BsonTypes.decode(before);
            for (Index<Object> index : getIndexes()) {
                try {
                    index.remove(old);
                } catch (RuntimeException e) {
                    // an entry the file never got: nothing to remove
                }
            }
            documents.remove(id);
        }
        if (bson != null) {
            Document now = BsonTypes.decode(bson);
            documents.put(id, bson);
            for (Index<Object> index : getIndexes()) {
                try {
                    index.add(now, id, this);
                } catch (RuntimeException e) {
                    // the entry is there already
                }
            }
        }
    }

    @Override
    public int count() {
        return documents.size();
    }

    @Override
    public boolean isEmpty() {
        return documents.isEmpty();
    }

    /**
     * Not kept: it would encode each document once more and write one more map on every insert, update and delete,
     * for a figure only {@code collStats} shows.
     */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected void updateDataSize(int sizeDelta) {
        // not kept (see tracksDataSize)
    }

    @Override
    protected int getDataSize() {
        return 0;
    }

    @Override
    protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
        return documents.entrySet().stream()
                .map(e -> new DocumentWithPosition<>(BsonTypes.decode(e.getValue()), e.getKey()));
    }

    @Override
    protected QueryResult queryDocuments(
            Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        Object id = idOf(query);
        if (id != null && query.size() + (query.containsKey("$and") ? 1 : 0) > 1) {
            Document byId = new Document("_id", id);
            for (Index<Object> index : getIndexes()) {
                if (index.canHandle(byId)) {
                    return matchDocuments(query, index.getPositions(byId), orderBy, skip, limit, batchSize, fields);
                }
            }
        }
        Index<Object> narrowest = narrowestIndex(query);
        if (narrowest != null) {
            return matchDocuments(query, narrowest.getPositions(query), orderBy, skip, limit, batchSize, fields);
        }
        Iterable<Object> ordered = limit > 0 ? inIndexOrder(orderBy) : null;
        if (ordered != null) {
            // the positions come in the asked order: the first matches are the answer, nothing else is read
            return matchDocuments(query, ordered, null, skip, limit, batchSize, fields);
        }
        return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
    }

    /** Of the indexes that can answer the query, the one with the fewest candidates (counted up to a bound). */
    private Index<Object> narrowestIndex(Document query) {
        Index<Object> best = null;
        long fewest = Long.MAX_VALUE;
        for (Index<Object> index : getIndexes()) {
            if (!index.canHandle(query)) {
                continue;
            }
            if (!(index instanceof FieldIndex field)) {
                return index; // a unique index: one document
            }
            long candidates = field.candidates(query, Math.min(fewest, 10_000));
            if (candidates < fewest) {
                best = index;
                fewest = candidates;
            }
        }
        return best;
    }

    /** Positions in the order of a sort on one date field that has an index (newest first for -1), else null. */
    private Iterable<Object> inIndexOrder(Document orderBy) {
        if (orderBy == null || orderBy.size() != 1) {
            return null;
        }
        String sortField = orderBy.keySet().iterator().next();
        boolean descending = orderBy.get(sortField) instanceof Number direction && direction.intValue() < 0;
        for (Index<Object> index : getIndexes()) {
            if (index instanceof FieldIndex field && field.field().equals(sortField)) {
                return field.inDateOrder(descending);
            }
        }
        return null;
    }

    /** Reached only when no index can answer the query: every document of the collection is read. */
    @Override
    protected QueryResult matchDocuments(
            Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        scans.record(getFullName(), query);
        Stream<Document> all;
        if (isNaturalDescending(orderBy)) {
            all = streamAllDocumentsWithPosition()
                    .sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
                    .map(DocumentWithPosition::getDocument);
        } else {
            all = documents.values().stream().map(BsonTypes::decode);
        }
        return matchDocumentsFromStream(all, query, orderBy, skip, limit, batchSize, fields);
    }

    /** The one plain {@code _id} value the query requires (at its top or inside a top-level $and), else null. */
    static Object idOf(Document query) {
        Object id = query.get("_id");
        if (plain(id)) {
            return id;
        }
        if (query.get("$and") instanceof List<?> all) {
            for (Object part : all) {
                if (part instanceof Document condition && plain(condition.get("_id"))) {
                    return condition.get("_id");
                }
            }
        }
        return null;
    }

    private static boolean plain(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Document document) {
            return document.keySet().stream().noneMatch(k -> k.startsWith("$"));
        }
        return !(value instanceof java.util.Collection<?>) && !(value instanceof java.util.regex.Pattern);
    }
}
