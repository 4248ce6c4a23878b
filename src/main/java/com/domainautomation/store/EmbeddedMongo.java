package com.domainautomation.store;

import com.domainautomation.store.GroupCommit.Sync;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The embedded MongoDB: mongo-java-server (the MongoDB wire protocol) on an H2 MVStore file ({@link StoreBackend}).
 * A write is answered only after it is committed to the file, and with {@code fsync} (the default) forced to disk;
 * concurrent writes share one commit. After a crash the file holds every answered write, and never half a command.
 */
public final class EmbeddedMongo implements AutoCloseable {
    /** Netty threads of the server: a write command holds its thread until its group commit is on disk. */
    private static final int SERVER_THREADS = 64;

    private final MongoServer server;
    private final GroupCommit commits;
    private final MVStore store;
    private final StoreScans scans;
    private final String uri;

    private EmbeddedMongo(MongoServer server, GroupCommit commits, MVStore store, StoreScans scans, String uri) {
        this.server = server;
        this.commits = commits;
        this.store = store;
        this.scans = scans;
        this.uri = uri;
    }

    public static EmbeddedMongo start(Path file) throws IOException {
        return start(file, "fsync");
    }

    /** {@code sync}: {@code fsync} (every group commit forced to disk) or {@code commit} (written to the OS only). */
    public static EmbeddedMongo start(Path file, String sync) throws IOException {
        Sync mode = Sync.parse(sync);
        Files.createDirectories(file.toAbsolutePath().getParent());
        MVStore store;
        try {
            StoreUpgrade.upgradeIfNeeded(file);
            store = open(file);
        } catch (MVStoreException | IllegalStateException e) {
            throw new IOException("Cannot open " + file + " (" + e.getMessage() + "). Is another Domain Automation process using DATA_DIR?", e);
        }
        StoreUpgrade.markCurrent(store);
        store.commit();
        GroupCommit commits = new GroupCommit(store, mode);
        StoreScans scans = new StoreScans();
        MongoServer server = new MongoServer(new StoreBackend(store, commits, scans));
        server.bind(new InetSocketAddress("127.0.0.1", freePort()), 1, SERVER_THREADS);
        return new EmbeddedMongo(server, commits, store, scans, server.getConnectionString());
    }

    /**
     * The store file with the settings of this store: no automatic commits (the group commit does them), and pages of
     * at most 16 entries, as every commit writes each page it changed whole.
     */
    static MVStore open(Path file) {
        return new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().autoCommitBufferSize(0).keysPerPage(16).open();
    }

    public String uri() {
        return uri;
    }

    /** Queries answered by reading a whole collection, since start. */
    public StoreScans scans() {
        return scans;
    }

    /** The size of the store's file, in bytes. */
    public long fileSize() {
        return store.getFileStore().size();
    }

    @Override
    public void close() {
        server.shutdown();
        commits.close();
        store.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
