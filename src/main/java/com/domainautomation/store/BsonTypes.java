package com.domainautomation.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the embedded store keeps documents, ids and index keys in its file: as BSON (the form MongoDB itself stores),
 * not as Java serialisation, which wrote each document's class descriptions again and cost a fifth of the CPU of a
 * checkout. Ids and index keys sort as MongoDB compares values.
 */
final class BsonTypes {
    /** One BSON value: a document's id, which is also its position in the collection's map. */
    static final BasicDataType<Object> VALUE = new ValueType();
    /** The key of a unique index: a list of values. */
    static final BasicDataType<KeyValue> KEY_VALUE = new KeyValueType();

    private static final byte MISSING = 0;
    private static final ValueComparator ORDER = ValueComparator.ascWithoutListHandling();

    private BsonTypes() {}

    static byte[] encode(Document document) {
        ByteBuf buffer = Unpooled.buffer(256);
        BsonEncoder.encodeDocument(document, buffer);
        return bytes(buffer);
    }

    static Document decode(byte[] bson) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    /** One value (an id) as bytes, and back. */
    static byte[] encodeValue(Object value) {
        if (value instanceof Missing) {
            return new byte[] {MISSING};
        }
        byte type = BsonEncoder.determineType(value);
        ByteBuf buffer = Unpooled.buffer(32);
        buffer.writeByte(type);
        BsonEncoder.encodeValue(type, value, buffer);
        return bytes(buffer);
    }

    static Object decodeValue(byte[] bytes) {
        if (bytes[0] == MISSING) {
            return Missing.getInstance();
        }
        return BsonDecoder.decodeValue(bytes[0], Unpooled.wrappedBuffer(bytes, 1, bytes.length - 1));
    }

    private static void writeValue(WriteBuffer out, Object value) {
        if (value instanceof Missing) {
            out.put(MISSING);
            return;
        }
        byte type = BsonEncoder.determineType(value);
        ByteBuf buffer = Unpooled.buffer(32);
        BsonEncoder.encodeValue(type, value, buffer);
        byte[] bytes = bytes(buffer);
        out.put(type).putVarInt(bytes.length).put(bytes);
    }

    private static Object readValue(ByteBuffer in) {
        byte type = in.get();
        if (type == MISSING) {
            return Missing.getInstance();
        }
        byte[] bytes = new byte[DataUtils.readVarInt(in)];
        in.get(bytes);
        return BsonDecoder.decodeValue(type, Unpooled.wrappedBuffer(bytes));
    }

    /** A rough size in memory, for the store's page and cache accounting (it need not be exact). */
    static int memory(Object value) {
        if (value instanceof Map<?, ?> map) {
            int size = 48;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += 40 + 2 * entry.getKey().toString().length() + memory(entry.getValue());
            }
            return size;
        }
        if (value instanceof Collection<?> list) {
            int size = 32;
            for (Object element : list) {
                size += 8 + memory(element);
            }
            return size;
        }
        if (value instanceof String text) {
            return 40 + 2 * text.length();
        }
        return 24;
    }

    private static final class ValueType extends BasicDataType<Object> {
        @Override
        public int getMemory(Object value) {
            return memory(value);
        }

        @Override
        public void write(WriteBuffer out, Object value) {
            writeValue(out, value);
        }

        @Override
        public Object read(ByteBuffer in) {
            return readValue(in);
        }

        @Override
        public int compare(Object a, Object b) {
            return ORDER.compare(a, b);
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }
    }

    private static final class KeyValueType extends BasicDataType<KeyValue> {
        @Override
        public int getMemory(KeyValue key) {
            int size = 32;
            for (Object value : key) {
                size += memory(value);
            }
            return size;
        }

        @Override
        public void write(WriteBuffer out, KeyValue key) {
            out.putVarInt(key.size());
            for (Object value : key) {
                writeValue(out, value);
            }
        }

        @Override
        public KeyValue read(ByteBuffer in) {
            int size = DataUtils.readVarInt(in);
            List<Object> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(readValue(in));
            }
            return new KeyValue(values);
        }

        @Override
        public int compare(KeyValue a, KeyValue b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int result = ORDER.compare(a.get(i), b.get(i));
                if (result != 0) {
                    return result;
                }
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        public KeyValue[] createStorage(int size) {
            return new KeyValue[size];
        }
    }
}
