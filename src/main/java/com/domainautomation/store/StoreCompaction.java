package com.domainautomation.store;

import java.util.function.LongSupplier;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Keeps the store's file proportional to its live data. The store never overwrites a page in place: each commit
 * appends the pages it changed, and the older copies become garbage inside older chunks. At each checkpoint this rewrites the live
 * pages of the emptiest chunks (so whole chunks become free and are reused), and moves chunks towards the start of the
 * file so its end can be cut off. A step picks chunks whose live pages fit a fixed budget (larger with no writes
 * waiting), and the checkpoint's commit writes them, so its buffer stays small. The budget once grew with the time since
 * the previous step (up to 160 MB): on a store of a million domains, whose chunks are tens of MB, a checkpoint then
 * needed an 80 MB buffer, failed with OutOfMemoryError on a 384 MB heap, and the store stopped taking writes.
 */
final class StoreCompaction {
    static final int INTERVAL_MS = 1000;
    /** below this share of live data in the chunks, or in the file, a step compacts */
    private static final int TARGET_FILL_PERCENT = 80;

    private static final int BUSY_STEP_BYTES = 4 * 1024 * 1024;
    private static final int IDLE_STEP_BYTES = 16 * 1024 * 1024;

    private final MVStore store;
    private final LongSupplier nanoTime;
    private long nextStep;

    StoreCompaction(MVStore store) {
        this(store, System::nanoTime);
    }

    /** With the clock given (tests). */
    StoreCompaction(MVStore store, LongSupplier nanoTime) {
        // the store's default retention (45 s) stays: a long query still reads pages of the version it started on, and
        // with 0 (tried), moving chunks beside writers broke an assertion of H2's (RandomAccessStore.moveChunkInside)
        this.store = store;
        this.nanoTime = nanoTime;
        this.nextStep = nanoTime.getAsLong();
    }

    /** Runs one bounded compaction step if one is due; the caller commits right after. */
    void stepIfDue(boolean idle) {
        long now = nanoTime.getAsLong();
        if (now - nextStep < 0) {
            return;
        }
        nextStep = now + INTERVAL_MS * 1_000_000L;
        FileStore<?> file = store.getFileStore();
        if (file == null) {
            return;
        }
        int bytes = idle ? IDLE_STEP_BYTES : BUSY_STEP_BYTES;
        if (file.getChunksFillRate() < TARGET_FILL_PERCENT) {
            store.compact(TARGET_FILL_PERCENT, bytes); // the caller's commit writes the rewritten pages
        }
        if (file instanceof RandomAccessStore randomAccess && store.getFillRate() < TARGET_FILL_PERCENT) {
            randomAccess.compactMoveChunks(TARGET_FILL_PERCENT, bytes, store);
        }
    }
}
