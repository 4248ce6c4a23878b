package com.domainautomation.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a store file written with Java-serialised documents (every version before BSON) once, at its first start:
 * every collection, its indexes and documents are copied into a new file, which then takes the old one's place. The old
 * file is kept beside it as {@code mongo.mv.before-upgrade}. A crash at any point leaves either the old file, which is
 * upgraded again at the next start, or the finished new one.
 */
final class StoreUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(StoreUpgrade.class);
    private static final String FORMAT_MAP = "domain-automation.format";
    private static final String FORMAT = "bson";
    private static final int COMMIT_EVERY = 10_000;

    private StoreUpgrade() {}

    /** Whether a store holds documents in this version's form (a new, empty store does). */
    static boolean isCurrent(MVStore store) {
        return store.hasMap(FORMAT_MAP)
                || store.getMapNames().stream().noneMatch(n -> n.startsWith(StoreBackend.DATA_PREFIX));
    }

    static void markCurrent(MVStore store) {
        store.openMap(FORMAT_MAP).putIfAbsent("documents", FORMAT);
    }

    static Path backupOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".before-upgrade");
    }

    static void upgradeIfNeeded(Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".upgrading");
        Path upgraded = file.resolveSibling(file.getFileName() + ".upgraded");
        Files.deleteIfExists(partial);
        if (!Files.exists(file) && Files.exists(upgraded)) {
            Files.move(upgraded, file, StandardCopyOption.ATOMIC_MOVE); // the last step of an upgrade a crash cut short
            return;
        }
        Files.deleteIfExists(upgraded);
        if (!Files.exists(file)) {
            return;
        }
        MVStore existing =
                new MVStore.Builder().fileName(file.toString()).readOnly().open();
        boolean current;
        try {
            current = isCurrent(existing);
        } finally {
            existing.close();
        }
        if (current) {
            return;
        }
        long started = System.nanoTime();
        LOG.warn(
                "Upgrading the embedded store {} to BSON documents (once; this takes about a minute per million documents)",
                file);
        long documents = copy(file, partial);
        Files.move(partial, upgraded, StandardCopyOption.ATOMIC_MOVE);
        Files.move(file, backupOf(file), StandardCopyOption.REPLACE_EXISTING);
        Files.move(upgraded, file, StandardCopyOption.ATOMIC_MOVE);
        LOG.warn(
                "Upgraded the embedded store: {} documents in {} s. The previous file is kept as {}; delete it once you no longer need it",
                documents,
                (System.nanoTime() - started) / 1_000_000_000L,
                backupOf(file));
    }

    private static long copy(Path from, Path to) {
        MVStore old = new MVStore.Builder().fileName(from.toString()).readOnly().open();
        MVStore fresh = EmbeddedMongo.open(to);
        long copied = 0;
        try {
            markCurrent(fresh);
            StoreBackend backend = new StoreBackend(fresh, new StoreScans());
            Channel channel = new EmbeddedChannel(); // commands keep per-connection state; this one has no client
            for (Map.Entry<String, TreeSet<String>> database :
                    collectionsByDatabase(old).entrySet()) {
                String db = database.getKey();
                List<Document> indexes = values(old, StoreBackend.DATA_PREFIX + db + ".system.indexes");
                for (String collection : database.getValue()) {
                    backend.handleCommand(channel, db, "create", new Document("create", collection));
                    createIndexes(backend, channel, db, collection, indexes);
                    MongoCollection<Object> target = backend.collection(db, collection);
                    MVMap<Object, Object> documents = old.openMap(StoreBackend.DATA_PREFIX + db + "." + collection);
                    for (Object document : documents.values()) {
                        target.addDocument((Document) document);
                        if (++copied % COMMIT_EVERY == 0) {
                            fresh.commit();
                            LOG.info("Upgrading the embedded store: {} documents copied", copied);
                        }
                    }
                }
            }
            fresh.commit();
            fresh.sync();
        } finally {
            fresh.close();
            old.close();
        }
        return copied;
    }

    /** {@code database -> collections}, from the map names (system collections are made anew by the new store). */
    private static Map<String, TreeSet<String>> collectionsByDatabase(MVStore store) {
        Map<String, TreeSet<String>> result = new TreeMap<>();
        for (String name : store.getMapNames()) {
            if (name.startsWith(StoreBackend.DATA_PREFIX)) {
                String[] parts =
                        name.substring(StoreBackend.DATA_PREFIX.length()).split("\\.", 2);
                if (parts.length == 2 && !parts[1].startsWith("system.")) {
                    result.computeIfAbsent(parts[0], d -> new TreeSet<>()).add(parts[1]);
                }
            }
        }
        return result;
    }

    private static void createIndexes(
            StoreBackend backend, Channel channel, String db, String collection, List<Document> descriptions) {
        List<Document> indexes = new ArrayList<>();
        for (Document description : descriptions) {
            if ((db + "." + collection).equals(description.get("ns")) && !"_id_".equals(description.get("name"))) {
                Document index = new Document("key", description.get("key")).append("name", description.get("name"));
                for (String option : List.of("unique", "sparse")) {
                    if (description.containsKey(option)) {
                        index.append(option, description.get(option));
                    }
                }
                indexes.add(index);
            }
        }
        if (!indexes.isEmpty()) {
            backend.handleCommand(
                    channel, db, "createIndexes", new Document("createIndexes", collection).append("indexes", indexes));
        }
    }

    private static List<Document> values(MVStore store, String mapName) {
        if (!store.hasMap(mapName)) {
            return List.of();
        }
        List<Document> values = new ArrayList<>();
        for (Object value : store.openMap(mapName).values()) {
            values.add((Document) value);
        }
        return values;
    }
}
