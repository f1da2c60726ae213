package io.chgate.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine's memory ceiling ({@code max_server_memory_usage}). The engine runs inside chgate's process, and left
 * to itself it takes 0.9 of the machine's memory: one statement could grow the gateway by gigabytes and the machine
 * into its OOM killer. The default is well below what the process may use: 40% of the machine's memory or of the
 * cgroup's limit, whichever is less.
 */
public final class EngineMemory {
    private static final Path CGROUP_V2_LIMIT = Path.of("/sys/fs/cgroup/memory.max");
    private static final Path CGROUP_V1_LIMIT = Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes");

    private EngineMemory() {
    }

    /** The default ceiling in bytes. */
    public static long defaultCeiling() {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long available = Math.min(machine, Math.min(cgroupLimit(CGROUP_V2_LIMIT), cgroupLimit(CGROUP_V1_LIMIT)));
        return available / 10 * 4;
    }

    private static long cgroupLimit(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
