package io.chgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, for its report: cores, CPU model, memory and JDK. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = procField("/proc/cpuinfo", "model name");
        String memTotal = procField("/proc/meminfo", "MemTotal");
        String ram = memTotal == null ? "unknown RAM"
                : String.format(Locale.ROOT, "%.1f GiB RAM", Long.parseLong(memTotal.replaceAll("[^0-9]", "")) / 1048576.0);
        return Runtime.getRuntime().availableProcessors() + " cores (" + (cpu == null ? "unknown CPU" : cpu) + "), "
                + ram + ", " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    }

    /** The value of the first {@code name: value} line of a /proc file; null when there is none (not Linux). */
    private static String procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux: the core count still says something
        }
        return null;
    }
}
