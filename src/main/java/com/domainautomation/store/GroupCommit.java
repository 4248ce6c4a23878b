package com.domainautomation.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every write command durable before it is answered, and lets the writes of concurrent requests share one
 * commit. A write command runs under a shared lock; one committer thread takes the lock exclusively only to commit
 * (so a commit never holds half a command: a document without its index entries), then, with {@link Sync#FSYNC},
 * forces the file to disk outside the lock, and wakes every command that finished before the commit began.
 * Between commits it keeps the file compact ({@link StoreCompaction}).
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** What an acknowledged write survives. */
    enum Sync {
        /** every group commit is forced to disk: survives a power loss or an OS crash, not only a process crash */
        FSYNC,
        /** every group commit is written to the file (the OS cache): survives the process being killed, not a power loss */
        COMMIT;

        static Sync parse(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "fsync" -> FSYNC;
                case "commit" -> COMMIT;
                default -> throw new IllegalArgumentException("must be fsync or commit, not '" + value + "'");
            };
        }
    }

    private final MVStore store;
    private final Sync sync;
    private final StoreCompaction compaction;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong finished = new AtomicLong();
    private final Object monitor = new Object();
    private final Thread committer;
    private long requested; // guarded by monitor: the highest finished write someone waits for
    private long durable; // guarded by monitor: every write up to this one is committed
    private RuntimeException failure; // guarded by monitor
    private volatile boolean closing;
    private volatile long commits;

    GroupCommit(MVStore store, Sync sync) {
        this.store = store;
        this.sync = sync;
        this.compaction = new StoreCompaction(store);
        this.committer = new Thread(this::commitLoop, "embedded-store-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /** Runs a write command and returns once what it wrote is committed (and forced to disk with FSYNC). */
    <T> T write(Supplier<T> command) {
        T result;
        long done;
        lock.readLock().lock();
        try {
            result = command.get();
        } finally {
            done = finished.incrementAndGet();
            lock.readLock().unlock();
        }
        awaitDurable(done);
        return result;
    }

    private void awaitDurable(long write) {
        synchronized (monitor) {
            if (write > requested) {
                requested = write;
                monitor.notifyAll();
            }
            while (durable < write) {
                if (failure != null) {
                    throw failure;
                }
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the store to commit", e);
                }
            }
        }
    }

    private void commitLoop() {
        while (true) {
            boolean idle;
            synchronized (monitor) {
                if (requested <= durable && !closing) {
                    try {
                        monitor.wait(StoreCompaction.INTERVAL_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                idle = requested <= durable;
                if (idle && closing) {
                    return;
                }
            }
            try {
                long target = commit(idle);
                synchronized (monitor) {
                    durable = Math.max(durable, target);
                    monitor.notifyAll();
                }
            } catch (RuntimeException e) {
                LOG.error("The embedded store cannot commit; writes fail from now on", e);
                synchronized (monitor) {
                    failure = new IllegalStateException("the embedded store cannot commit: " + e.getMessage(), e);
                    monitor.notifyAll();
                }
                return;
            }
        }
    }

    /** Commits every finished write (and, when due, a compaction step); returns the last write it covers. */
    private long commit(boolean idle) {
        long target;
        lock.writeLock().lock();
        try {
            target = finished.get();
            compaction.stepIfDue(idle);
            store.commit();
        } finally {
            lock.writeLock().unlock();
        }
        if (sync == Sync.FSYNC) {
            store.sync();
        }
        commits++;
        return target;
    }

    long commits() {
        return commits;
    }

    /** Commits what is left and stops the committer; the store is closed by its owner after this. */
    @Override
    public void close() {
        synchronized (monitor) {
            closing = true;
            monitor.notifyAll();
        }
        try {
            committer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
