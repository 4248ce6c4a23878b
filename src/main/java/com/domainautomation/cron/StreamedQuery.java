package com.domainautomation.cron;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCursor;
import java.io.Closeable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.bson.Document;

/**
 * A query's results one batch at a time, for a streaming split: the cron never holds more than a batch of domains,
 * however many match. The split closes it at the end (also when it stops early).
 */
final class StreamedQuery implements Iterator<Document>, Closeable {
    private final FindIterable<Document> query;
    private MongoCursor<Document> cursor;
    private boolean done;

    StreamedQuery(FindIterable<Document> query) {
        this.query = query;
    }

    private MongoCursor<Document> cursor() {
        if (cursor == null) {
            cursor = query.iterator();
        }
        return cursor;
    }

    @Override
    public boolean hasNext() {
        if (done) {
            return false;
        }
        boolean more = cursor().hasNext();
        if (!more) {
            close();
        }
        return more;
    }

    @Override
    public Document next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return cursor.next();
    }

    @Override
    public void close() {
        done = true;
        if (cursor != null) {
            cursor.close();
        }
    }
}
