package com.domainautomation.support;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
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

    private final MongoDatabase database;

    public Db(MongoDatabase database) {
        this.database = database;
    }

    public MongoCollection<Document> get(String name) {
        return database.getCollection(name);
    }

    /**
     * The indexes the queries need (created if missing; cheap when they exist): every query of an API request, a
     * worker, the sweeper or a cron item is answered through one, on MongoDB and on the embedded store alike (whole-app
     * tests fail on a query that reads a whole collection).
     */
    public void ensureIndexes() {
        get(DOMAINS).createIndex(Indexes.ascending("expiresAt"));
        get(DOMAINS).createIndex(Indexes.ascending("userId"));
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
