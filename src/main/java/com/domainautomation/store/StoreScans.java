package com.domainautomation.store;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the queries the embedded store answered by reading a whole collection, per collection ({@code db.collection})
 * and query shape (the query with its values left out, e.g. {@code {status: ?, createdAt: {$lt: ?}}}).
 */
public final class StoreScans {
    private final Map<String, Map<String, LongAdder>> scans = new ConcurrentHashMap<>();

    void record(String namespace, Document query) {
        if (namespace.contains(".system.")) {
            return; // the store's own bookkeeping (namespaces, index descriptions), not a query of the app
        }
        scans.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>())
                .computeIfAbsent(shape(query), s -> new LongAdder())
                .increment();
    }

    /** Scans so far of the collections of one database: {@code collection -> shape -> count}. */
    public Map<String, Map<String, Long>> of(String database) {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        scans.forEach((namespace, shapes) -> {
            if (namespace.startsWith(database + ".")) {
                Map<String, Long> counts = new TreeMap<>();
                shapes.forEach((shape, count) -> counts.put(shape, count.sum()));
                result.put(namespace.substring(database.length() + 1), counts);
            }
        });
        return result;
    }

    /** The query with every value replaced by {@code ?}; operators and field names stay. */
    static String shape(Object query) {
        if (query instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((key, value) -> {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(key).append(": ").append(shape(value));
            });
            return out.append('}').toString();
        }
        if (query instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
            StringBuilder out = new StringBuilder("[");
            for (Object element : list) {
                out.append(out.length() > 1 ? ", " : "").append(shape(element));
            }
            return out.append(']').toString();
        }
        return "?";
    }
}
