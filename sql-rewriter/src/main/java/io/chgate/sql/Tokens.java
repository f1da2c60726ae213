package io.chgate.sql;

import java.util.Arrays;

/**
 * The tokens of one text as parallel arrays of kinds and spans: a query of any length costs three arrays, not an
 * object per token.
 */
public final class Tokens {
    private static final TokenType[] TYPES = TokenType.values();

    private byte[] types;
    private int[] starts;
    private int[] ends;
    private int size;

    Tokens(int capacity) {
        types = new byte[capacity];
        starts = new int[capacity];
        ends = new int[capacity];
    }

    void add(TokenType type, int start, int end) {
        if (size == types.length) {
            int grown = size * 2;
            types = Arrays.copyOf(types, grown);
            starts = Arrays.copyOf(starts, grown);
            ends = Arrays.copyOf(ends, grown);
        }
        types[size] = (byte) type.ordinal();
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    public int size() {
        return size;
    }

    public TokenType type(int i) {
        return TYPES[types[i]];
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }
}
