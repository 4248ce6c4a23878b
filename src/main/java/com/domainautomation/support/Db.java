package com.domainautomation.support;

import com.domainautomation.domains.Domain;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** The collections of the app, by name, in one place. */
public final class Db {
    public static final String CLIENTS = "clients";
    /** One document per client email (lower case), so that an email belongs to one client. */
    public static final String CLIENT_EMAILS = "client_emails";

    public static final String API_TOKENS = "api_tokens";
    public static final String TRANSACTIONS = "transactions";
    public static final String ORDERS = "orders";
    public static final String INVOICES = "invoices";
    public static final String DOMAINS = "domains";
    public static final String DOMAIN_CLAIMS = "domain_claims";
    public static final String OUTBOX = "outbox";
    public static final String IDEMPOTENCY = "idempotency_keys";
    public static final String ACTIVITY = "activity_log";
    /** What the admin did: one entry per admin request that changes something. */
    public static final String AUDIT = "audit_log";

    public static final String SETTINGS = "settings";

    /** The embedded store's command that returns once every write it answered so far is durable. */
    public static final String AWAIT_DURABLE = "awaitDurable";
    /** The embedded store's command that applies a {@link WriteBatch} in one round trip. */
    public static final String APPLY_WRITES = "applyWrites";
    /** The embedded store answers a write with this concern before it is durable (MongoDB's meaning of j: false). */
    private static final WriteConcern DEFERRED = WriteConcern.W1.withJournal(false);
    /** Whether this thread made deferred writes that no {@link #awaitDurable} covered yet. */
    private static final ThreadLocal<Boolean> UNSYNCED = ThreadLocal.withInitial(() -> false);

    private final MongoDatabase database;
    private final boolean deferrable;
    private final boolean deferring;

    /** A MongoDB server: every write is answered once durable (the client's write concern). */
    public Db(MongoDatabase database) {
        this(database, false, false);
    }

    private Db(MongoDatabase database, boolean deferrable, boolean deferring) {
        this.database = database;
        this.deferrable = deferrable;
        this.deferring = deferring;
    }

    /** The embedded store, which can defer durability to {@link #awaitDurable} (see {@link #deferring}). */
    public static Db embedded(MongoDatabase database) {
        return new Db(database, true, false);
    }

    /**
     * The same collections, whose writes on the embedded store are answered before they are durable, so that a request
     * making ten writes waits for the disk once: its code must call {@link #awaitDurable} before anything leaves the
     * process (an answer, a queued job), as {@link ApiResponder} does for every answer. The store logs writes in order,
     * so a crash keeps a prefix of them: each step must be one the recovery sweeper can finish or undo, as every step of
     * the checkout is. On a MongoDB server this is the same as this {@code Db}.
     */
    public Db deferring() {
        return deferrable ? new Db(database, true, true) : this;
    }

    public MongoCollection<Document> get(String name) {
        if (deferring) {
            UNSYNCED.set(true);
            return database.getCollection(name).withWriteConcern(DEFERRED);
        }
        return database.getCollection(name);
    }

    /**
     * An outbox entry: work a request started that the recovery sweeper finishes if the request does not, keyed
     * {@link #outboxKey} and carrying the id under {@code field}.
     */
    public static Document outboxEntry(String kind, String field, String id, Date createdAt) {
        return new Document("_id", outboxKey(kind, id))
                .append("kind", kind)
                .append(field, id)
                .append("createdAt", createdAt);
    }

    /** The {@code _id} of an outbox entry: {@code <kind>:<id>}. */
    public static String outboxKey(String kind, String id) {
        return kind + ":" + id;
    }

    /** Writes to send together: one round trip to the embedded store, one by one to a MongoDB server. */
    public WriteBatch batch() {
        return new WriteBatch(this);
    }

    boolean isEmbedded() {
        return deferrable;
    }

    /** Sends a batch's writes to the embedded store as one command; durable unless this {@code Db} is deferring. */
    List<Boolean> applyWrites(List<Document> writes, boolean untilPresent) {
        Document command =
                new Document(APPLY_WRITES, 1).append("writes", writes).append("untilPresent", untilPresent);
        if (deferring) {
            UNSYNCED.set(true);
            command.append("writeConcern", new Document("w", 1).append("j", false));
        }
        List<Boolean> applied = database.runCommand(command).getList("applied", Boolean.class);
        if (!deferring) {
            UNSYNCED.remove(); // the store's log is written in order: every earlier deferred write is durable too
        }
        return applied;
    }

    /** Returns once every deferred write this thread made is durable (at once when it made none). */
    public void awaitDurable() {
        if (UNSYNCED.get()) {
            database.runCommand(new Document(AWAIT_DURABLE, 1));
            UNSYNCED.remove();
        }
    }

    /**
     * The indexes the queries need (created if missing; cheap when they exist): every query of an API request, a
     * worker, the sweeper or a cron item is answered through one, on MongoDB and on the embedded store alike (whole-app
     * tests fail on a query that reads a whole collection).
     */
    public void ensureIndexes() {
        get(DOMAINS).createIndex(Indexes.ascending("expiresAt"));
        get(DOMAINS).createIndex(Indexes.ascending(Domain.OWNER_FIELD));
        get(DOMAINS).createIndex(Indexes.ascending("orderId"));
        get(DOMAINS).createIndex(Indexes.ascending("transferStatus"));
        get(DOMAINS).createIndex(Indexes.ascending("name"));
        get("renewals").createIndex(Indexes.ascending("domainId"));
        get("dns_changes").createIndex(Indexes.ascending("domainId"));
        get(API_TOKENS).createIndex(Indexes.ascending("clientId"));
        get(AUDIT).createIndex(Indexes.descending("at"));
        get(TRANSACTIONS).createIndex(Indexes.ascending("clientId"));
        get(TRANSACTIONS).createIndex(Indexes.ascending("status", "createdAt"));
        get(INVOICES).createIndex(Indexes.ascending("orderId"));
        get(INVOICES).createIndex(Indexes.ascending("clientId"));
        get(ACTIVITY).createIndex(Indexes.descending("at"));
        get(ACTIVITY).createIndex(Indexes.ascending("domain"));
        get(ACTIVITY).createIndex(Indexes.ascending("clientId"));
        get(OUTBOX).createIndex(Indexes.ascending("kind", "createdAt"));
    }

    public MongoDatabase database() {
        return database;
    }

    /** Inserts; false when a document with that _id exists already (the step was done before). */
    public boolean insertIfAbsent(String collection, Document document) {
        try {
            get(collection).insertOne(document);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }
}
