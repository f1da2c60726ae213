package io.chgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A number of bytes written the way people write them: {@code 262144}, {@code 256KiB}, {@code 4 MiB}, {@code 1GB}. */
public record DataSize(long bytes) {

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative");
        }
    }

    public static DataSize ofKibibytes(long n) {
        return new DataSize(n * 1024);
    }

    public static DataSize ofMebibytes(long n) {
        return new DataSize(n * 1024 * 1024);
    }

    @JsonCreator
    public static DataSize parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        int unitStart = 0;
        while (unitStart < s.length() && Character.isDigit(s.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 262144, 256KiB, 4MiB)");
        }
        long n = Long.parseLong(s.substring(0, unitStart));
        long unit = switch (s.substring(unitStart)) {
            case "", "b" -> 1L;
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> throw new IllegalArgumentException(
                    "unknown size unit in '" + text + "' (use B, KiB, MiB or GiB)");
        };
        return new DataSize(Math.multiplyExact(n, unit));
    }

    public int toIntExact() {
        return Math.toIntExact(bytes);
    }

    @JsonValue
    @Override
    public String toString() {
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return (bytes >> 10) + "KiB";
        }
        return Long.toString(bytes);
    }
}
