package io.chgate.gateway.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the embedded engine's {@code Native} output, which libchdb always writes for protocol revision 0, as
 * ClickHouse's HTTP server writes it for a client that sent {@code client_protocol_version} (clickhouse-go does, and
 * decodes with that revision): each block gains its {@code BlockInfo}, and from revision 54454 each column a
 * "no custom serialization" byte after its type. Column data is identical at both revisions for the types below, but
 * it is not self-delimiting, so each column is skipped by walking its type. ClickHouse has no setting for this and
 * libchdb no per-query client revision, hence this small hand-written walker. Types whose encoding depends on the
 * revision or on state this walker cannot know (Dynamic, JSON, Variant, AggregateFunction...) are refused, never
 * guessed.
 */
public final class NativeRevision {
    /** {@code DBMS_MIN_REVISION_WITH_CUSTOM_SERIALIZATION}. */
    static final long WITH_CUSTOM_SERIALIZATION = 54454;
    /** {@code DBMS_MIN_REVISION_WITH_OUT_OF_ORDER_BUCKETS_IN_AGGREGATION}: BlockInfo gains field 3. */
    static final long WITH_OUT_OF_ORDER_BUCKETS = 54480;

    private static final Map<String, Integer> FIXED_WIDTH = Map.ofEntries(
            Map.entry("UInt8", 1), Map.entry("Int8", 1), Map.entry("Bool", 1), Map.entry("Enum8", 1),
            Map.entry("UInt16", 2), Map.entry("Int16", 2), Map.entry("Enum16", 2), Map.entry("Date", 2),
            Map.entry("BFloat16", 2),
            Map.entry("UInt32", 4), Map.entry("Int32", 4), Map.entry("Float32", 4), Map.entry("DateTime", 4),
            Map.entry("Date32", 4), Map.entry("IPv4", 4), Map.entry("Decimal32", 4), Map.entry("Time", 4),
            Map.entry("UInt64", 8), Map.entry("Int64", 8), Map.entry("Float64", 8), Map.entry("DateTime64", 8),
            Map.entry("Decimal64", 8), Map.entry("Time64", 8),
            Map.entry("UInt128", 16), Map.entry("Int128", 16), Map.entry("Decimal128", 16), Map.entry("UUID", 16),
            Map.entry("IPv6", 16),
            Map.entry("UInt256", 32), Map.entry("Int256", 32), Map.entry("Decimal256", 32));

    private final long revision;
    private byte[] pending = new byte[0];

    /** @param revision the client's {@code client_protocol_version}, greater than 0 */
    public NativeRevision(long revision) {
        this.revision = revision;
    }

    /** The client's revision from the URL parameter; 0 (the engine's own format) when absent. */
    public static long parse(String clientProtocolVersion) {
        if (clientProtocolVersion == null || clientProtocolVersion.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(clientProtocolVersion);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Cannot parse client_protocol_version: not an unsigned integer");
        }
    }

    /**
     * The bytes to send for one chunk of the engine's output. A block cut by the chunk's end is kept for the next
     * call.
     *
     * @throws IllegalArgumentException for a column type this walker does not know, or bytes that are not Native
     */
    public byte[] convert(byte[] chunk) {
        byte[] in = pending.length == 0 ? chunk : concat(pending, chunk);
        Output out = new Output(in.length + 64);
        Reader r = new Reader(in);
        int blockStart = 0;
        int written = 0;
        try {
            while (r.pos < in.length) {
                blockStart = r.pos;
                written = out.size();
                convertBlock(r, out);
            }
            pending = new byte[0];
        } catch (Incomplete e) {
            out.truncate(written);   // the cut block is converted whole with the next chunk
            pending = Arrays.copyOfRange(in, blockStart, in.length);
        }
        return out.toByteArray();
    }

    /** Throws if the engine's output ended inside a block. */
    public void finish() {
        if (pending.length > 0) {
            throw new IllegalArgumentException("the Native output ended inside a block");
        }
    }

    private void convertBlock(Reader r, Output out) {
        // BlockInfo: field 1 is_overflows = false, field 2 bucket_num = -1, [field 3 no buckets], end.
        out.writeBytes(new byte[] {1, 0, 2, -1, -1, -1, -1});
        if (revision >= WITH_OUT_OF_ORDER_BUCKETS) {
            out.writeBytes(new byte[] {3, 0});
        }
        out.write(0);
        int start = r.pos;
        long columns = r.varUInt();
        long rows = r.varUInt();
        out.write(r.bytes, start, r.pos - start);
        for (long c = 0; c < columns; c++) {
            int columnStart = r.pos;
            r.skip(r.varUInt());   // name
            String typeName = r.string();
            out.write(r.bytes, columnStart, r.pos - columnStart);
            if (revision >= WITH_CUSTOM_SERIALIZATION) {
                out.write(0);
            }
            int dataStart = r.pos;
            if (rows > 0) {
                Type type = Type.parse(typeName);
                skipPrefix(r, type);
                skipData(r, type, rows);
            }
            out.write(r.bytes, dataStart, r.pos - dataStart);
        }
    }

    /** A byte array output that can drop what it wrote of a block the chunk cut. */
    private static final class Output extends ByteArrayOutputStream {
        Output(int size) {
            super(size);
        }

        void truncate(int size) {
            count = size;
        }
    }

    /** Bulk-serialization state written before a column's data: only LowCardinality has one, wherever it nests. */
    private static void skipPrefix(Reader r, Type type) {
        if (type.name.equals("LowCardinality")) {
            r.skip(8);   // keys serialization version
            return;
        }
        for (Type arg : type.nested()) {
            skipPrefix(r, arg);
        }
    }

    private static void skipData(Reader r, Type type, long rows) {
        Integer width = FIXED_WIDTH.get(type.name);
        if (width != null) {
            r.skip(Math.multiplyExact(rows, width));
            return;
        }
        switch (type.name) {
            case "String" -> {
                for (long i = 0; i < rows; i++) {
                    r.skip(r.varUInt());
                }
            }
            case "FixedString" -> r.skip(Math.multiplyExact(rows, type.number(0)));
            case "Decimal" -> r.skip(Math.multiplyExact(rows, decimalWidth(type.number(0))));
            case "Nothing" -> r.skip(rows);
            case "Nullable" -> {
                r.skip(rows);   // null map
                skipData(r, type.arg(0), rows);
            }
            case "Array", "Map", "Nested" -> {
                r.skip(Math.multiplyExact(rows - 1, 8));
                long elements = r.uint64();   // the last offset is the elements' count
                if (type.name.equals("Array")) {
                    skipData(r, type.arg(0), elements);
                } else {
                    for (Type element : type.nested()) {
                        skipData(r, element, elements);
                    }
                }
            }
            case "Tuple" -> {
                for (Type element : type.nested()) {
                    skipData(r, element, rows);
                }
            }
            case "LowCardinality" -> skipLowCardinality(r, type.arg(0), rows);
            case "SimpleAggregateFunction" -> skipData(r, type.arg(1), rows);
            case "Point" -> r.skip(Math.multiplyExact(rows, 16));
            case "Ring", "LineString" -> skipData(r, Type.parse("Array(Point)"), rows);
            case "Polygon", "MultiLineString" -> skipData(r, Type.parse("Array(Ring)"), rows);
            case "MultiPolygon" -> skipData(r, Type.parse("Array(Polygon)"), rows);
            default -> {
                if (type.name.startsWith("Interval")) {
                    r.skip(Math.multiplyExact(rows, 8));
                } else {
                    throw new IllegalArgumentException("chgate's embedded engine cannot send a column of type "
                            + type.name + " in Native format to a client with client_protocol_version set;"
                            + " select it in another format or cast it");
                }
            }
        }
    }

    /** Granules of: index type, [additional keys: count and the keys], row count, one index per row. */
    private static void skipLowCardinality(Reader r, Type nested, long rows) {
        Type dictionary = nested.name.equals("Nullable") ? nested.arg(0) : nested;
        long remaining = rows;
        while (remaining > 0) {
            long indexType = r.uint64();
            if ((indexType & (1 << 8)) != 0) {
                throw new IllegalArgumentException("a LowCardinality column with a global dictionary");
            }
            if ((indexType & (1 << 9)) != 0) {
                skipData(r, dictionary, r.uint64());
            }
            long granule = r.uint64();
            if (granule <= 0 || granule > remaining) {
                throw new IllegalArgumentException("a LowCardinality granule of " + granule + " rows");
            }
            r.skip(Math.multiplyExact(granule, 1L << (indexType & 0xFF)));
            remaining -= granule;
        }
    }

    private static int decimalWidth(long precision) {
        return precision <= 9 ? 4 : precision <= 18 ? 8 : precision <= 38 ? 16 : 32;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The engine's output ended inside a block: the rest comes with the next chunk. */
    private static final class Incomplete extends RuntimeException {
        private static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super(null, null, false, false);
        }
    }

    private static final class Reader {
        final byte[] bytes;
        int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        void skip(long n) {
            if (n < 0 || n > bytes.length - pos) {
                throw Incomplete.INSTANCE;
            }
            pos += (int) n;
        }

        long varUInt() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= bytes.length) {
                    throw Incomplete.INSTANCE;
                }
                int b = bytes[pos++] & 0xFF;
                value |= (long) (b & 0x7F) << shift;
                if (b < 0x80) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a VarUInt longer than 10 bytes");
        }

        long uint64() {
            if (bytes.length - pos < 8) {
                throw Incomplete.INSTANCE;
            }
            long value = 0;
            for (int i = 7; i >= 0; i--) {
                value = (value << 8) | (bytes[pos + i] & 0xFF);
            }
            pos += 8;
            return value;
        }

        String string() {
            long length = varUInt();
            int start = pos;
            skip(length);
            return new String(bytes, start, pos - start, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A column type as ClickHouse names it: {@code Name} or {@code Name(arg, ...)}, named tuple elements unwrapped. */
    record Type(String name, List<String> args) {
        static Type parse(String text) {
            String t = text.trim();
            int open = t.indexOf('(');
            if (open < 0) {
                return new Type(t, List.of());
            }
            if (!t.endsWith(")")) {
                throw new IllegalArgumentException("a column type that does not parse: " + t);
            }
            return new Type(t.substring(0, open).trim(), splitTopLevel(t.substring(open + 1, t.length() - 1)));
        }

        Type arg(int i) {
            return parse(elementType(args.get(i)));
        }

        long number(int i) {
            return Long.parseLong(args.get(i).trim());
        }

        /** The type arguments that are types (all but those of parameterised scalars like Decimal or Enum). */
        List<Type> nested() {
            return switch (name) {
                case "Nullable", "Array", "LowCardinality", "Tuple", "Map", "Nested" -> {
                    List<Type> types = new ArrayList<>();
                    for (String arg : args) {
                        types.add(parse(elementType(arg)));
                    }
                    yield types;
                }
                case "SimpleAggregateFunction" -> List.of(arg(1));
                default -> List.of();
            };
        }

        /** {@code name Type} or {@code `quoted name` Type} (named Tuple and Nested elements) to {@code Type}. */
        private static String elementType(String arg) {
            String a = arg.trim();
            if (a.startsWith("`") || a.startsWith("\"")) {
                int close = a.indexOf(a.charAt(0), 1);
                while (close > 0 && close + 1 < a.length() && a.charAt(close + 1) == a.charAt(0)) {
                    close = a.indexOf(a.charAt(0), close + 2);
                }
                return a.substring(close + 1);
            }
            int depth = 0;
            for (int i = 0; i < a.length(); i++) {
                char c = a.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ' ' && depth == 0) {
                    return a.substring(i + 1);
                }
            }
            return a;
        }

        private static List<String> splitTopLevel(String s) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            int start = 0;
            char quote = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '`' || c == '"') {
                    quote = c;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    parts.add(s.substring(start, i).trim());
                    start = i + 1;
                }
            }
            parts.add(s.substring(start).trim());
            return parts;
        }

        @Override
        public String toString() {
            return args.isEmpty() ? name : name + "(" + String.join(", ", args) + ")";
        }
    }
}
