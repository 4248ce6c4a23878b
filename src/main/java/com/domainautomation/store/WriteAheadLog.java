package com.domainautomation.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The embedded store's redo log: every document a write command puts or removes, appended as one record, so a write
 * is durable as soon as its record is on disk, and the store's file itself is committed only every few seconds
 * (a checkpoint). Records go to numbered segment files beside the store ({@code mongo.mv.log.<n>}); a checkpoint
 * starts a new segment and, once the store's file holds everything, deletes the older ones. At start, the records of
 * the segments left over are applied again in order: putting a document or removing one is the same whether it is
 * done once or twice, so a record the file already holds does no harm. A record cut short by a crash (its checksum
 * does not match) ends the log; it was never acknowledged.
 */
final class WriteAheadLog implements AutoCloseable {
    /** A document put ({@code bson} set) or removed ({@code bson} null) in collection {@code namespace}. */
    record Change(long sequence, String namespace, Object id, byte[] bson) {}

    private static final byte PUT = 1;
    private static final byte REMOVE = 2;

    private final Path store;
    private final Object lock = new Object();
    private final Object io = new Object(); // one writer of segment files at a time: flush and rotate
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(64 * 1024); // guarded by lock
    private ByteArrayOutputStream spare =
            new ByteArrayOutputStream(64 * 1024); // guarded by io: the batch being written
    private long lastSequence; // guarded by lock
    private long segment; // guarded by lock
    private FileChannel channel; // guarded by lock
    private long bytesSinceCheckpoint; // guarded by lock

    private WriteAheadLog(Path store, long lastSequence, long segment) throws IOException {
        this.store = store;
        this.lastSequence = lastSequence;
        this.segment = segment;
        this.channel = open(segmentFile(segment));
    }

    /** Opens the log for new records after {@code lastSequence}, in a segment after those left over. */
    static WriteAheadLog open(Path store, long lastSequence) throws IOException {
        List<Path> old = segments(store);
        long next = old.isEmpty() ? 1 : number(old.get(old.size() - 1)) + 1;
        return new WriteAheadLog(store, lastSequence, next);
    }

    /** Appends a change; returns its sequence number. */
    long append(String namespace, Object id, byte[] bson) {
        byte[] record = encode(namespace, id, bson);
        synchronized (lock) {
            long sequence = ++lastSequence;
            ByteBuffer header = ByteBuffer.allocate(16);
            header.putInt(record.length + 8);
            CRC32 crc = new CRC32();
            ByteBuffer sequenceBytes = ByteBuffer.allocate(8).putLong(0, sequence);
            crc.update(sequenceBytes.array());
            crc.update(record);
            header.putInt((int) crc.getValue());
            header.putLong(sequence);
            pending.write(header.array(), 0, 16);
            pending.write(record, 0, record.length);
            return sequence;
        }
    }

    long lastSequence() {
        synchronized (lock) {
            return lastSequence;
        }
    }

    /**
     * Writes what was appended so far to the current segment and, with {@code force}, to disk; returns the last
     * sequence number it covers. Called by one thread at a time (the committer).
     */
    long flush(boolean force) {
        synchronized (io) {
            return flushLocked(force);
        }
    }

    private long flushLocked(boolean force) {
        ByteArrayOutputStream batch;
        long covered;
        FileChannel target;
        synchronized (lock) {
            batch = pending;
            covered = lastSequence;
            target = channel;
            spare.reset();
            pending = spare; // the two buffers take turns, so a flush allocates nothing
            spare = batch;
            bytesSinceCheckpoint += batch.size();
        }
        try {
            if (batch.size() > 0) {
                batch.writeTo(java.nio.channels.Channels.newOutputStream(target));
                if (force) {
                    target.force(false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the store's log " + segmentFile(segment), e);
        }
        return covered;
    }

    long bytesSinceCheckpoint() {
        synchronized (lock) {
            return bytesSinceCheckpoint;
        }
    }

    /** A segment no longer written to: its number and the last record it holds. */
    record Ended(long segment, long lastSequence) {}

    /** Writes what is pending to the current segment (forced to disk with {@code force}) and starts a new one. */
    Ended rotate(boolean force) {
        synchronized (io) {
            synchronized (lock) {
                try {
                    flushPendingTo(channel);
                    if (force) {
                        channel.force(false);
                    }
                    channel.close();
                    Ended ended = new Ended(segment++, lastSequence);
                    channel = open(segmentFile(segment));
                    bytesSinceCheckpoint = 0;
                    return ended;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start a new segment of the store's log", e);
                }
            }
        }
    }

    void delete(long number) {
        try {
            Files.deleteIfExists(segmentFile(number));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flushPendingTo(FileChannel target) throws IOException {
        pending.writeTo(java.nio.channels.Channels.newOutputStream(target));
        pending.reset();
    }

    @Override
    public void close() {
        synchronized (io) {
            synchronized (lock) {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Reads every valid change of the segments beside {@code store}, in order, and returns the last sequence number. */
    static long replay(Path store, Consumer<Change> apply) throws IOException {
        long last = 0;
        for (Path file : segments(store)) {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            while (bytes.remaining() >= 16) {
                int length = bytes.getInt();
                int checksum = bytes.getInt();
                if (length < 8 || length > bytes.remaining()) {
                    return last; // cut short by a crash: nothing after it was acknowledged
                }
                long sequence = bytes.getLong();
                byte[] record = new byte[length - 8];
                bytes.get(record);
                CRC32 crc = new CRC32();
                crc.update(ByteBuffer.allocate(8).putLong(0, sequence).array());
                crc.update(record);
                if ((int) crc.getValue() != checksum) {
                    return last;
                }
                apply.accept(decode(sequence, record));
                last = sequence;
            }
        }
        return last;
    }

    static List<Path> segments(Path store) {
        Path dir = store.toAbsolutePath().getParent();
        String prefix = store.getFileName() + ".log.";
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found =
                    new ArrayList<>(files.filter(f -> f.getFileName().toString().startsWith(prefix))
                            .filter(f -> f.getFileName()
                                    .toString()
                                    .substring(prefix.length())
                                    .matches("\\d+"))
                            .toList());
            found.sort((a, b) -> Long.compare(number(a), number(b)));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long number(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('.') + 1));
    }

    private Path segmentFile(long number) {
        return store.resolveSibling(store.getFileName() + ".log." + number);
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static byte[] encode(String namespace, Object id, byte[] bson) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (bson == null ? 0 : bson.length));
            DataOutputStream data = new DataOutputStream(out);
            data.writeByte(bson == null ? REMOVE : PUT);
            byte[] name = namespace.getBytes(StandardCharsets.UTF_8);
            data.writeShort(name.length);
            data.write(name);
            byte[] key = BsonTypes.encodeValue(id);
            data.writeShort(key.length);
            data.write(key);
            if (bson != null) {
                data.write(bson);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Change decode(long sequence, byte[] record) {
        ByteBuffer in = ByteBuffer.wrap(record);
        byte type = in.get();
        byte[] name = new byte[in.getShort()];
        in.get(name);
        byte[] key = new byte[in.getShort()];
        in.get(key);
        byte[] bson = null;
        if (type == PUT) {
            bson = new byte[in.remaining()];
            in.get(bson);
        }
        return new Change(sequence, new String(name, StandardCharsets.UTF_8), BsonTypes.decodeValue(key), bson);
    }
}
