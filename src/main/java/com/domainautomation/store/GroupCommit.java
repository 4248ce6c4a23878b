package com.domainautomation.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every write command durable before it is answered, and lets the writes of concurrent requests share one disk
 * write. A write command logs each document it puts or removes ({@link WriteAheadLog}); one committer thread writes
 * what all commands logged so far to the log and (with {@link Sync#FSYNC}) forces it to disk, then wakes every command
 * whose records it covered. Every {@link #CHECKPOINT_INTERVAL} a second thread checkpoints: it commits the store, starts a
 * new log segment, and once the file is on disk deletes the segments the file now holds entirely (see
 * {@link #checkpoint}); it also keeps the file compact ({@link StoreCompaction}). The committer goes on writing the
 * log meanwhile, so a checkpoint (which writes every page changed since the last one) never holds up an answer. Commands that change the shape of the store (create, drop, indexes) run
 * alone and end with a checkpoint.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /**
     * How often the store's file takes in the log. Longer: a page changed many times is written once (less CPU, less
     * garbage in the file), and a restart applies more of the log.
     */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

    /**
     * A checkpoint comes earlier after this much log: a burst of writes (a bulk import) makes chunks of a size the
     * compaction's budget can still rewrite later ({@link StoreCompaction}).
     */
    private static final long CHECKPOINT_LOG_BYTES = 16L * 1024 * 1024;

    private static final long CHECKPOINT_POLL_MS = 50;
    static final String APPLIED_MAP = "domain-automation.log";

    /** What an acknowledged write survives. */
    enum Sync {
        /** every group commit is forced to disk: survives a power loss or an OS crash, not only a process crash */
        FSYNC,
        /** every group commit is written to the file (the OS cache): survives the process being killed, not a power loss */
        COMMIT;

        static Sync parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "fsync" -> FSYNC;
                case "commit" -> COMMIT;
                default -> throw new IllegalArgumentException("must be fsync or commit, not '" + value + "'");
            };
        }
    }

    private final MVStore store;
    private final Sync sync;
    private final WriteAheadLog log;
    private final MVMap<String, Long> applied;
    private final StoreCompaction compaction;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ThreadLocal<Long> lastLogged = new ThreadLocal<>();
    /** The commands running now, with the last log record before each began. */
    private final Map<Thread, Long> running = new ConcurrentHashMap<>();
    /** Log segments before the current one, with the last record each holds (used by the checkpointer only). */
    private final Map<Long, Long> segmentsEndingAt = new HashMap<>();

    private final ThreadLocal<Boolean> reshaping = ThreadLocal.withInitial(() -> false);
    private final Object monitor = new Object();
    private final Thread committer;
    private final Thread checkpointer;
    private long requested; // guarded by monitor: the highest log record someone waits for
    private long durable; // guarded by monitor: every record up to this one is on disk
    private RuntimeException failure; // guarded by monitor
    private volatile boolean closing;
    private volatile long flushes;
    private long lastCheckpoint = System.nanoTime(); // used by the checkpointer only
    private final long checkpointIntervalNs;

    GroupCommit(MVStore store, Sync sync, WriteAheadLog log) {
        this(store, sync, log, CHECKPOINT_INTERVAL);
    }

    GroupCommit(MVStore store, Sync sync, WriteAheadLog log, Duration checkpointInterval) {
        this.checkpointIntervalNs = checkpointInterval.toNanos();
        this.store = store;
        this.sync = sync;
        this.log = log;
        this.applied = store.openMap(APPLIED_MAP);
        this.compaction = new StoreCompaction(store);
        this.durable = log.lastSequence();
        this.committer = new Thread(this::commitLoop, "embedded-store-commit");
        committer.setDaemon(true);
        this.checkpointer = new Thread(this::checkpointLoop, "embedded-store-checkpoint");
        checkpointer.setDaemon(true);
        committer.start();
        checkpointer.start();
    }

    /** The sequence number of the last log record the store's file holds (0: none yet). */
    static long appliedSequence(MVStore store) {
        Long sequence = store.<String, Long>openMap(APPLIED_MAP).get("sequence");
        return sequence == null ? 0 : sequence;
    }

    /** Records that a command put ({@code bson} set) or removed a document; a no-op outside a write command. */
    void logged(String namespace, Object id, byte[] bson) {
        if (!reshaping.get()) {
            lastLogged.set(log.append(namespace, id, bson));
        }
    }

    /** Runs a write command and returns once what it wrote is on disk (forced to disk with FSYNC). */
    <T> T write(Supplier<T> command) {
        long[] mine = new long[1];
        T result = run(command, mine);
        awaitDurable(mine[0]);
        return result;
    }

    /**
     * Runs a write command and returns once what it wrote is in the log, before it is durable: a later {@link #write} or
     * {@link #awaitAll} makes it durable with everything logged before (the log is written in order).
     */
    <T> T writeDeferred(Supplier<T> command) {
        return run(command, new long[1]);
    }

    /** Returns once every record logged so far is durable. */
    void awaitAll() {
        awaitDurable(log.lastSequence());
    }

    /** Runs a write command beside the others; {@code last} gets the last record it logged. */
    private <T> T run(Supplier<T> command, long[] last) {
        lock.readLock().lock();
        running.put(Thread.currentThread(), log.lastSequence());
        try {
            return command.get();
        } finally {
            running.remove(Thread.currentThread());
            Long logged = lastLogged.get();
            lastLogged.remove();
            last[0] = logged != null ? logged : log.lastSequence(); // wrote nothing: what came before it
            lock.readLock().unlock();
        }
    }

    /** Runs a command that changes the shape of the store alone, and returns after a checkpoint holds it. */
    <T> T reshape(Supplier<T> command) {
        lock.writeLock().lock();
        try {
            reshaping.set(true);
            try {
                return command.get();
            } finally {
                reshaping.set(false);
                lastLogged.remove();
                long covered = checkpointHoldingLock();
                if (sync == Sync.FSYNC) {
                    store.sync();
                }
                markDurable(covered);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void awaitDurable(long record) {
        synchronized (monitor) {
            if (record > requested) {
                requested = record;
                monitor.notifyAll();
            }
            while (durable < record) {
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

    private void markDurable(long record) {
        synchronized (monitor) {
            durable = Math.max(durable, record);
            monitor.notifyAll();
        }
    }

    private void commitLoop() {
        while (true) {
            boolean idle;
            synchronized (monitor) {
                if (requested <= durable && !closing) {
                    try {
                        monitor.wait(StoreCompaction.INTERVAL_MS / 4);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                idle = requested <= durable;
            }
            try {
                long written = log.flush(sync == Sync.FSYNC);
                flushes++; // counted before the writers it covers wake up
                markDurable(written);
                if (closing && idle) {
                    return;
                }
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
        }
    }

    /** Checkpoints when one is due, and once more when the store closes. */
    private void checkpointLoop() {
        try {
            while (!closing) {
                boolean due =
                        System.nanoTime() - lastCheckpoint > checkpointIntervalNs && log.bytesSinceCheckpoint() > 0;
                if (due || log.bytesSinceCheckpoint() > CHECKPOINT_LOG_BYTES) {
                    checkpoint(isIdle());
                } else {
                    Thread.sleep(CHECKPOINT_POLL_MS);
                }
            }
            committer.join(TimeUnit.SECONDS.toMillis(10)); // every answered write is in the log
            checkpoint(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // abandoned, as a killed process would be
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private boolean isIdle() {
        synchronized (monitor) {
            return requested <= durable;
        }
    }

    private void fail(RuntimeException e) {
        LOG.error("The embedded store cannot commit; writes fail from now on", e);
        synchronized (monitor) {
            failure = new IllegalStateException("the embedded store cannot commit: " + e.getMessage(), e);
            monitor.notifyAll();
        }
    }

    /**
     * Commits the store while commands go on: it may hold part of a command, so it records as applied only the log
     * records before the oldest command still running; a restart applies everything after again, which completes such
     * a command (putting or removing a document twice is the same as once).
     */
    private void checkpoint(boolean idle) {
        // shared with writers; a command that reshapes the store (create, drop, indexes) is not logged, so no
        // checkpoint
        // may commit half of one
        lock.readLock().lock();
        try {
            checkpointBesideWriters(idle);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkpointBesideWriters(boolean idle) {
        long last = log.lastSequence();
        long applied = Math.min(
                last, running.values().stream().mapToLong(Long::longValue).min().orElse(last));
        compaction.stepIfDue(idle);
        this.applied.put("sequence", applied);
        store.commit();
        // the segment ends with records written during the commit too: they may not be in the store's file
        WriteAheadLog.Ended ended = log.rotate(sync == Sync.FSYNC);
        if (sync == Sync.FSYNC) {
            store.sync();
        }
        markDurable(applied);
        segmentsEndingAt.put(ended.segment(), ended.lastSequence());
        // a segment can go once the store's file holds every record in it
        segmentsEndingAt.entrySet().removeIf(segment -> {
            if (segment.getValue() <= applied) {
                log.delete(segment.getKey());
                return true;
            }
            return false;
        });
        lastCheckpoint = System.nanoTime();
    }

    /** Commits the store with the sequence number it now holds; every writer is held off. */
    private long checkpointHoldingLock() {
        long covered = log.lastSequence();
        applied.put("sequence", covered);
        store.commit();
        return covered;
    }

    long flushes() {
        return flushes;
    }

    /** Stops the committer as a killed process would: nothing more is written. For tests. */
    void abandon() {
        committer.interrupt();
        checkpointer.interrupt();
        try {
            committer.join(TimeUnit.SECONDS.toMillis(10));
            checkpointer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    /** Writes what is left, checkpoints and stops the committer; the store is closed by its owner after this. */
    @Override
    public void close() {
        synchronized (monitor) {
            closing = true;
            monitor.notifyAll();
        }
        try {
            committer.join(TimeUnit.SECONDS.toMillis(10));
            checkpointer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
