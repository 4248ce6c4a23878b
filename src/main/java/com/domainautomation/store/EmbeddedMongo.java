package com.domainautomation.store;

import com.domainautomation.store.GroupCommit.Sync;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MongoDB: mongo-java-server (the MongoDB wire protocol) on an H2 MVStore file ({@link StoreBackend}).
 * A write is answered only after its changes are in the store's log, and with {@code fsync} (the default) forced to
 * disk; concurrent writes share one log write ({@link GroupCommit}). At start, the log a crash left is applied to the
 * file ({@link WriteAheadLog}), so the store holds every answered write, and never half a command.
 */
public final class EmbeddedMongo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);
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
        return start(file, sync, GroupCommit.CHECKPOINT_INTERVAL);
    }

    static EmbeddedMongo start(Path file, String sync, Duration checkpointInterval) throws IOException {
        Sync mode = Sync.parse(sync);
        Files.createDirectories(file.toAbsolutePath().getParent());
        MVStore store;
        try {
            StoreUpgrade.upgradeIfNeeded(file);
            store = open(file);
        } catch (MVStoreException | IllegalStateException e) {
            throw new IOException(
                    "Cannot open " + file + " (" + e.getMessage()
                            + "). Is another Domain Automation process using DATA_DIR?",
                    e);
        }
        StoreUpgrade.markCurrent(store);
        StoreScans scans = new StoreScans();
        StoreBackend backend = new StoreBackend(store, scans);
        long last = recover(file, store, backend);
        GroupCommit commits = new GroupCommit(store, mode, WriteAheadLog.open(file, last), checkpointInterval);
        backend.commitWith(commits);
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", freePort()), 1, SERVER_THREADS);
        return new EmbeddedMongo(server, commits, store, scans, server.getConnectionString());
    }

    /**
     * Applies the log segments a crash left (every write answered since the last checkpoint), commits the store with
     * them, and deletes the segments. Returns the last sequence number the store now holds.
     */
    private static long recover(Path file, MVStore store, StoreBackend backend) throws IOException {
        long applied = GroupCommit.appliedSequence(store);
        long[] replayed = {0};
        long last = Math.max(applied, WriteAheadLog.replay(file, change -> {
            if (change.sequence() > applied) {
                backend.replay(change);
                replayed[0]++;
            }
        }));
        if (replayed[0] > 0) {
            LOG.info("Embedded store: applied {} logged changes of writes answered before the last stop", replayed[0]);
        }
        store.<String, Long>openMap(GroupCommit.APPLIED_MAP).put("sequence", last);
        store.commit();
        store.sync();
        for (Path segment : WriteAheadLog.segments(file)) {
            Files.delete(segment);
        }
        return last;
    }

    /**
     * The store file with the settings of this store: no automatic commits (the group commit does them), and pages of
     * at most 16 entries, as every commit writes each page it changed whole.
     */
    static MVStore open(Path file) {
        return new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .autoCommitBufferSize(0)
                .keysPerPage(16)
                .open();
    }

    public String uri() {
        return uri;
    }

    /** How many times the log was written (and with fsync forced to disk) since start. For tests. */
    long flushes() {
        return commits.flushes();
    }

    /** Queries answered by reading a whole collection, since start. */
    public StoreScans scans() {
        return scans;
    }

    @Override
    public void close() {
        server.shutdown();
        commits.close();
        store.close();
    }

    /** What a killed process leaves behind: no checkpoint, no close; the log segments stay. For tests. */
    void crash() {
        server.shutdownNow();
        commits.abandon();
        store.closeImmediately();
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
