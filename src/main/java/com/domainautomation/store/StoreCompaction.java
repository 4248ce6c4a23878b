package com.domainautomation.store;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Keeps the store's file proportional to its live data. The store never overwrites a page in place: each commit
 * appends the pages it changed, and the older copies become garbage inside older chunks. At each checkpoint this rewrites the live
 * pages of the emptiest chunks (so whole chunks become free and are reused), and moves chunks towards the start of the
 * file so its end can be cut off. Each step is bounded by a budget per second since the previous step, so a commit that
 * runs one waits little; with no writes waiting, the budget is larger.
 */
final class StoreCompaction {
    static final int INTERVAL_MS = 1000;
    /** below this share of live data in the chunks, or in the file, a step compacts */
    private static final int TARGET_FILL_PERCENT = 80;

    private static final int BUSY_WRITE_BYTES_PER_SECOND = 2 * 1024 * 1024;
    private static final int IDLE_WRITE_BYTES_PER_SECOND = 16 * 1024 * 1024;
    private static final int MOST_SECONDS_PER_STEP = 10;

    private final MVStore store;
    private long nextStep;
    private long lastStep;

    StoreCompaction(MVStore store) {
        // the store's default retention (45 s) stays: a long query still reads pages of the version it started on,
        // and a chunk it reads must not be overwritten under it
        this.store = store;
        this.nextStep = System.nanoTime();
        this.lastStep = nextStep - INTERVAL_MS * 1_000_000L;
    }

    /** Runs one bounded compaction step if one is due; the caller commits right after. */
    void stepIfDue(boolean idle) {
        long now = System.nanoTime();
        if (now - nextStep < 0) {
            return;
        }
        nextStep = now + INTERVAL_MS * 1_000_000L;
        long seconds = Math.min(MOST_SECONDS_PER_STEP, Math.max(1, (now - lastStep) / 1_000_000_000L));
        lastStep = now;
        FileStore<?> file = store.getFileStore();
        if (file == null) {
            return;
        }
        int bytes = (int) (seconds * (idle ? IDLE_WRITE_BYTES_PER_SECOND : BUSY_WRITE_BYTES_PER_SECOND));
        if (file.getChunksFillRate() < TARGET_FILL_PERCENT) {
            store.compact(TARGET_FILL_PERCENT, bytes); // the caller's commit writes the rewritten pages
        }
        if (file instanceof RandomAccessStore randomAccess && store.getFillRate() < TARGET_FILL_PERCENT) {
            randomAccess.compactMoveChunks(TARGET_FILL_PERCENT, bytes, store);
        }
    }
}
