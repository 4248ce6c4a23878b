package com.domainautomation.config;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend with the two lookups the stock one lacks, so the embedded store does not read the
 * whole collection for every query on a large data set:
 * <ul>
 * <li>a query that names one {@code _id} together with other conditions (every conditional update of ours:
 * {@code {_id: x, status: "pending", ...}}) looks the document up by its id, then checks the other conditions. The
 * stock backend uses the {@code _id} index only for a query that is exactly {@code {_id: x}}: with 100,000 domains,
 * each conditional update cost tens of milliseconds.</li>
 * <li>secondary indexes ({@code expiresAt}, {@code userId}, ...) are built and used ({@link FieldIndex});
 * the stock backend accepts them and builds nothing, and read every document twice for each at every start.</li>
 * </ul>
 * Results are the same as the stock backend's; only the candidates read differ.
 */
final class IndexedH2Backend extends H2Backend {
    private static final Logger LOG = LoggerFactory.getLogger(IndexedH2Backend.class);

    IndexedH2Backend(MVStore store) {
        super(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, getMvStore(), getCursorRegistry());
    }

    /** An inner class: H2Database's constructor opens existing collections before a field of this class could be set. */
    private final class Database extends H2Database {

        Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // the same maps as H2Database names them, so files written by either read the same
            String namespace = getFullCollectionNamespace(collectionName);
            MVStore store = getMvStore();
            return new Collection(this, collectionName, options, store.openMap("databases." + namespace), store.openMap("meta." + namespace),
                    cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            if (!FieldIndex.supports(keys)) {
                return super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
            }
            // the map name H2Database gives an index, so dropping the index or the database removes it too
            String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
            FieldIndex index = new FieldIndex(indexName, keys, sparse, getMvStore().openMap(mapName));
            MongoCollection<Object> collection = resolveCollection(collectionName, false);
            int documents = collection == null ? 0 : collection.count();
            if (index.isEmpty() && documents > 0) {
                LOG.info("Building index {} of {} over {} documents (once; it is kept in the store's file)", indexName, collectionName, documents);
            }
            return index;
        }
    }

    private static final class Collection extends H2Collection {
        Collection(MongoDatabase database, String name, CollectionOptions options, org.h2.mvstore.MVMap<Object, Document> data,
                org.h2.mvstore.MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, data, meta, cursors);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
            Object id = idOf(query);
            if (id != null && query.size() + (query.containsKey("$and") ? 1 : 0) > 1) {
                Document byId = new Document("_id", id);
                for (Index<Object> index : getIndexes()) {
                    if (index.canHandle(byId)) {
                        return matchDocuments(query, index.getPositions(byId), orderBy, skip, limit, batchSize, fields);
                    }
                }
            }
            return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
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
}
