package com.domainautomation.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void a_write_returns_only_once_it_is_committed_to_the_file() {
        Path file = dir.resolve("s.mv");
        MVStore store = EmbeddedMongo.open(file);
        try (GroupCommit commits = new GroupCommit(store, GroupCommit.Sync.FSYNC)) {
            MVMap<String, String> map = store.openMap("m");
            for (int i = 0; i < 50; i++) {
                int n = i;
                commits.write(() -> map.put("k" + n, "v" + n));
                assertFalse(store.hasUnsavedChanges(), "write " + n + " answered before its commit");
            }
        }
        // what a killed process leaves: the file as it is, without the close that would commit the rest
        store.closeImmediately();
        MVStore reopened = EmbeddedMongo.open(file);
        try {
            assertEquals(50, reopened.<String, String>openMap("m").size());
        } finally {
            reopened.close();
        }
    }

    @Test
    void concurrent_writes_share_commits() throws Exception {
        MVStore store = EmbeddedMongo.open(dir.resolve("s.mv"));
        int threads = 16;
        int perThread = 100;
        try (GroupCommit commits = new GroupCommit(store, GroupCommit.Sync.FSYNC)) {
            MVMap<String, Integer> map = store.openMap("m");
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        commits.write(() -> map.put(thread + ":" + n, n));
                    }
                    return null;
                }));
            }
            long before = commits.commits();
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            long used = commits.commits() - before;
            assertEquals(threads * perThread, map.size());
            assertTrue(used < threads * perThread / 2, "commits for " + threads * perThread + " writes: " + used);
        } finally {
            store.close();
        }
    }

    @Test
    void a_failing_write_is_reported_and_does_not_stop_the_others() {
        MVStore store = EmbeddedMongo.open(dir.resolve("s.mv"));
        try (GroupCommit commits = new GroupCommit(store, GroupCommit.Sync.COMMIT)) {
            MVMap<String, String> map = store.openMap("m");
            assertThrows(IllegalArgumentException.class, () -> commits.write(() -> {
                throw new IllegalArgumentException("bad");
            }));
            commits.write(() -> map.put("a", "b"));
            assertFalse(store.hasUnsavedChanges());
        } finally {
            store.close();
        }
    }

    @Test
    void sync_setting_is_fsync_or_commit() {
        assertEquals(GroupCommit.Sync.FSYNC, GroupCommit.Sync.parse("fsync"));
        assertEquals(GroupCommit.Sync.COMMIT, GroupCommit.Sync.parse(" Commit "));
        assertThrows(IllegalArgumentException.class, () -> GroupCommit.Sync.parse("always"));
    }
}
