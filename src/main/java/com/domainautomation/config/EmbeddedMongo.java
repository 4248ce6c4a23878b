package com.domainautomation.config;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server (MongoDB wire protocol) on an H2 MVStore file. It commits every 100 ms, so a crash loses at
 * most that much, and always a consistent prefix of the writes (MVStore stores versions atomically).
 */
public final class EmbeddedMongo implements AutoCloseable {
    private final MongoServer server;
    private final H2Backend backend;
    private final String uri;

    private EmbeddedMongo(MongoServer server, H2Backend backend, String uri) {
        this.server = server;
        this.backend = backend;
        this.uri = uri;
    }

    public static EmbeddedMongo start(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).autoCommitBufferSize(1024).open();
        } catch (org.h2.mvstore.MVStoreException e) {
            throw new IOException("Cannot open " + file + " (" + e.getMessage() + "). Is another Domain Automation process using DATA_DIR?", e);
        }
        store.setAutoCommitDelay(100);
        H2Backend backend = new IndexedH2Backend(store);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", EmbeddedRedis.freePort());
        return new EmbeddedMongo(server, backend, server.getConnectionString());
    }

    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        server.shutdown();
        backend.close();
    }
}
