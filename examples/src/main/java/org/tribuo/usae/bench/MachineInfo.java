package org.tribuo.usae.bench;

import ai.onnxruntime.OrtEnvironment;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a benchmark ran, for its table.
 *
 * @param dateUtc     start time, UTC (yyyy-MM-dd HH:mm).
 * @param cores       processors available to the JVM.
 * @param cpuModel    the CPU's model name (Linux), or the architecture.
 * @param os          OS name and architecture.
 * @param jvm         JVM name and version.
 * @param maxHeapGiB  the heap limit.
 * @param ortVersion  ONNX Runtime version.
 * @param ortProviders execution providers this ONNX Runtime build has.
 */
record MachineInfo(String dateUtc, int cores, String cpuModel, String os, String jvm, double maxHeapGiB,
                   String ortVersion, String ortProviders) {

    /** @return this machine, now. */
    static MachineInfo current() {
        return new MachineInfo(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + ", CPU engine row kernels " + org.tribuo.usae.engine.CpuEngine.rowKernels(),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30),
                OrtEnvironment.getEnvironment().getVersion(), OrtEnvironment.getAvailableProviders().toString());
    }

    /** @return the 1-minute load average (all processes on the machine), or -1 where unknown. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the architecture
        }
        return System.getProperty("os.arch");
    }
}
