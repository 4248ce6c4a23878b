package com.domainautomation.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * A secondary index on one top-level field (a compound index: on its first field) for the embedded store, kept in
 * the same H2 file as the documents (so both are committed together). mongo-java-server accepts secondary indexes but builds none, which makes every query
 * on {@code expiresAt}, {@code userId} or {@code transferStatus} read the whole collection; with this index the crons'
 * {@code expiresAt} ranges and the lookups by owner read only the entries in range.
 *
 * <p>Entries are strings {@code <value key>\0<id>} mapped to the document's position. A value key is {@code D} and
 * 16 hex digits for a date (so dates sort by time), {@code S} and the text for a string, {@code N} for null or missing,
 * {@code X} for anything else; an array adds one entry per element. The index narrows a query when the query
 * requires a date range, a date or string value ({@code $eq}, {@code $in}) on its field, at the top, in one part of
 * an {@code $and}, or in every branch of an {@code $or}. It only chooses the candidates: the collection still checks
 * each against the whole query, so the answer is the same as a full scan.
 */
final class FieldIndex extends Index<Object> {
    private static final char SEPARATOR = '\0';

    private final String field;
    private final MVMap<String, Object> entries;

    FieldIndex(String name, List<IndexKey> keys, boolean sparse, MVMap<String, Object> entries) {
        super(name, keys, sparse);
        if (!supports(keys)) {
            throw new IllegalArgumentException(
                    "a field index starts with a top-level field other than _id, not " + keys);
        }
        this.field = keys.get(0).getKey();
        this.entries = entries;
    }

    /** Whether the index's first key is a top-level field other than {@code _id}; a compound index is kept by its first field. */
    static boolean supports(List<IndexKey> keys) {
        return !keys.isEmpty()
                && !keys.get(0).getKey().contains(".")
                && !keys.get(0).getKey().equals("_id");
    }

    @Override
    public Object getPosition(Document document) {
        return null; // not a unique index: it does not identify a document
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // not unique: nothing to check
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        for (String key : entryKeys(document.get(field), position)) {
            entries.put(key, position);
        }
    }

    @Override
    public Object remove(Document document) {
        Object position = document.get("_id");
        for (String key : entryKeys(document.get(field), position)) {
            entries.remove(key);
        }
        return position;
    }

    @Override
    public boolean canHandle(Document query) {
        return ranges(query) != null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        List<String[]> ranges = ranges(query);
        if (ranges == null) {
            throw new IllegalArgumentException("index " + getName() + " cannot narrow " + query);
        }
        Set<Object> positions = new LinkedHashSet<>();
        for (String[] range : ranges) {
            Cursor<String, Object> cursor = entries.cursor(range[0]);
            while (cursor.hasNext() && cursor.next().compareTo(range[1]) < 0) {
                positions.add(cursor.getValue());
            }
        }
        return positions;
    }

    /** How many entries the query's ranges hold, counted up to {@code cap}: to choose the narrowest index. */
    long candidates(Document query, long cap) {
        long count = 0;
        for (String[] range : ranges(query)) {
            Cursor<String, Object> cursor = entries.cursor(range[0]);
            while (count < cap && cursor.hasNext() && cursor.next().compareTo(range[1]) < 0) {
                count++;
            }
        }
        return count;
    }

    /** The field this index keeps. */
    String field() {
        return field;
    }

    /**
     * Every document's position in the order of this field's dates, newest first when {@code descending}, read lazily;
     * null unless every entry is a date (then index order is sort order).
     */
    Iterable<Object> inDateOrder(boolean descending) {
        if (entries.isEmpty()) {
            return java.util.List.of(); // nothing indexed: the answer is empty, without reading the collection
        }
        if (!entries.firstKey().startsWith("D") || !entries.lastKey().startsWith("D")) {
            return null;
        }
        return () -> {
            Cursor<String, Object> cursor = entries.cursor(null, null, descending);
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return cursor.hasNext();
                }

                @Override
                public Object next() {
                    cursor.next();
                    return cursor.getValue();
                }
            };
        };
    }

    @Override
    public long getCount() {
        return entries.sizeAsLong();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        // not unique: nothing to check
    }

    @Override
    public void updateInPlace(
            Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
        Object before = oldDocument.get(field);
        Object after = newDocument.get(field);
        if (before == null ? after == null : before.equals(after)) {
            return;
        }
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    @Override
    public void drop() {
        entries.clear();
        entries.getStore().removeMap(entries);
    }

    // --- keys

    static Set<String> entryKeys(Object value, Object position) {
        Set<String> keys = new LinkedHashSet<>();
        String id = position.getClass().getSimpleName() + ":" + position;
        if (value instanceof Collection<?> values && !values.isEmpty()) {
            values.forEach(v -> keys.add(valueKey(v) + SEPARATOR + id));
        } else {
            keys.add(valueKey(value) + SEPARATOR + id);
        }
        return keys;
    }

    static String valueKey(Object value) {
        Long time = millis(value);
        if (time != null) {
            return dateKey(time);
        }
        if (value instanceof String text) {
            return "S" + text;
        }
        return value == null || value instanceof Missing ? "N" : "X";
    }

    private static String dateKey(long millis) {
        // flipping the sign bit makes unsigned hex order the same as time order, before 1970 too
        String hex = Long.toHexString(millis ^ Long.MIN_VALUE);
        return "D" + "0".repeat(16 - hex.length()) + hex;
    }

    private static Long millis(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Date date) {
            return date.getTime();
        }
        return null;
    }

    // --- which entries a query can match

    /** Key ranges [from, to) that hold every document the query can match, or null when this index cannot narrow it. */
    List<String[]> ranges(Document query) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            List<String[]> ranges =
                    switch (condition.getKey()) {
                        case "$and" -> anyPart(condition.getValue());
                        case "$or" -> everyPart(condition.getValue());
                        default -> condition.getKey().equals(field) ? forValue(condition.getValue()) : null;
                    };
            if (ranges != null) {
                return ranges; // all conditions must hold: one that narrows is enough
            }
        }
        return null;
    }

    private List<String[]> anyPart(Object parts) {
        if (parts instanceof List<?> list) {
            for (Object part : list) {
                if (part instanceof Document document) {
                    List<String[]> ranges = ranges(document);
                    if (ranges != null) {
                        return ranges;
                    }
                }
            }
        }
        return null;
    }

    private List<String[]> everyPart(Object parts) {
        if (!(parts instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        List<String[]> union = new ArrayList<>();
        for (Object part : list) {
            List<String[]> ranges = part instanceof Document document ? ranges(document) : null;
            if (ranges == null) {
                return null; // one branch the index cannot narrow: it could match anything
            }
            union.addAll(ranges);
        }
        return union;
    }

    private static List<String[]> forValue(Object value) {
        if (!(value instanceof Document operators)
                || operators.isEmpty()
                || !operators.keySet().iterator().next().startsWith("$")) {
            return point(value); // a plain value (a sub-document or an array must match as a whole: not narrowed)
        }
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        boolean dateRange = false;
        for (Map.Entry<String, Object> operator : operators.entrySet()) {
            Object operand = operator.getValue();
            Long time = millis(operand);
            switch (operator.getKey()) {
                case "$eq" -> {
                    List<String[]> point = point(operand);
                    if (point != null) {
                        return point;
                    }
                }
                case "$in" -> {
                    List<String[]> points = in(operand);
                    if (points != null) {
                        return points;
                    }
                }
                case "$gt", "$gte" -> {
                    if (time != null) {
                        from = Math.max(from, time);
                        dateRange = true;
                    }
                }
                case "$lt", "$lte" -> {
                    if (time != null) {
                        to = Math.min(to, time);
                        dateRange = true;
                    }
                }
                default -> {
                    // other operators ($ne, $nin, $exists, ...) do not narrow; the collection checks them
                }
            }
        }
        if (!dateRange) {
            return null;
        }
        List<String[]> range = new ArrayList<>();
        if (from <= to) {
            range.add(new String[] {dateKey(from), dateKey(to) + (char) (SEPARATOR + 1)});
        }
        return range; // empty: the range holds nothing
    }

    private static List<String[]> in(Object operand) {
        if (!(operand instanceof Collection<?> values)) {
            return null;
        }
        List<String[]> points = new ArrayList<>();
        for (Object value : values) {
            List<String[]> point = point(value);
            if (point == null) {
                return null;
            }
            points.addAll(point);
        }
        return points;
    }

    /** The entries of one date or string value; null for any other value (null also matches missing fields: not narrowed). */
    private static List<String[]> point(Object value) {
        if (millis(value) == null && !(value instanceof String)) {
            return null;
        }
        String key = valueKey(value);
        List<String[]> range = new ArrayList<>();
        range.add(new String[] {key + SEPARATOR, key + (char) (SEPARATOR + 1)});
        return range;
    }
}
