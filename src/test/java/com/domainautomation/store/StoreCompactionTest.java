package com.domainautomation.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCompactionTest {
    @TempDir
    Path dir;

    @Test
    void a_step_after_a_long_pause_still_rewrites_a_bounded_amount() throws Exception {
        MVStore store = EmbeddedMongo.open(dir.resolve("s.mv"));
        store.setRetentionTime(0); // the chunks written here may be compacted at once
        try {
            // one big chunk (a burst of writes between two checkpoints), then small commits that leave it half live
            MVMap<Integer, byte[]> map = store.openMap("m");
            for (int i = 0; i < 80_000; i++) {
                map.put(i, new byte[500]);
            }
            store.commit();
            for (int round = 0; round < 10; round++) {
                for (int i = round * 8_000; i < (round + 1) * 8_000; i += 16) {
                    map.put(i, new byte[400]);
                }
                store.commit();
            }
            AtomicLong nanos = new AtomicLong();
            StoreCompaction compaction = new StoreCompaction(store, nanos::get);
            // the checkpointer was held up for 10 s (a busy machine, a long reshaping command)
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
            long before = writeBytes(store);
            compaction.stepIfDue(true);
            store.commit();
            long written = writeBytes(store) - before;
            // rewriting the big chunk's live pages in one go writes some 37 MB into one commit's buffer, as a budget
            // that grew with the pause since the last step did
            assertTrue(written > 0, "the step compacted nothing");
            assertTrue(written < 20L * 1024 * 1024, "one compaction step wrote " + written + " bytes");
        } finally {
            store.close();
        }
    }

    private static long writeBytes(MVStore store) throws ReflectiveOperationException {
        Method bytes = FileStore.class.getDeclaredMethod("getWriteBytes");
        bytes.setAccessible(true);
        return (long) bytes.invoke(store.getFileStore());
    }
}
