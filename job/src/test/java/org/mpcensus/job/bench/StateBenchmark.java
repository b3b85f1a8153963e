package org.mpcensus.job.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.udf.aggregate.HostEvent;
import org.mpcensus.udf.aggregate.HostTracker;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.overlap.OverlapTracker;
import org.mpcensus.udf.window.ConsistencyWindow;
import org.mpcensus.udf.window.HostIdentity;

/**
 * State per tracked candidate host: N candidate hosts (each a candidate on port 443 for MPTCPv1 in
 * the three months of one consistency window, with a random key, as in a live campaign) are fed to
 * the census's keyed operators, one at a time, on the heap ({@code hashmap}) and the RocksDB
 * backend. Reports per candidate the bytes of a full checkpoint of the operator's state (timers
 * included) and, on the heap backend, the Java heap the state occupies after a full GC. Run by
 * {@code job/bench/bench state [HOSTS]}.
 */
public final class StateBenchmark {
    private static final int WINDOW = 3;
    private static final String[] MONTHS = {"2026-08", "2026-09", "2026-10"};

    /** The side outputs of the measured operators. */
    private static final List<OutputTag<?>> SIDE_OUTPUTS =
            List.of(
                    HostTracker.COUNT_DELTAS,
                    HostTracker.KEY_WEIGHTS,
                    HostTracker.MPTCP_HOSTS,
                    HostTracker.LATE_REPLIES);

    private StateBenchmark() {}

    /**
     * Arguments: candidate hosts on the heap backend (default 1,000,000), and on RocksDB (default
     * 50,000: each state access there is a JNI call, and bytes per host do not depend on the
     * count).
     */
    public static void main(String[] args) throws Exception {
        int heapHosts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rocksDbHosts = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path dir = Files.createTempDirectory("mpcensus-state-bench");
        try {
            System.out.printf(
                    "state: candidate hosts, each a candidate in %d months%n", MONTHS.length);
            for (String backend : List.of("hashmap", "rocksdb")) {
                int hosts = backend.equals("hashmap") ? heapHosts : rocksDbHosts;
                measure(
                        "consistency",
                        backend,
                        dir,
                        hosts,
                        new ConsistencyWindow(WINDOW, 2, 1),
                        HostIdentity::of,
                        TypeInformation.of(HostIdentity.class),
                        StateBenchmark::hostRows);
                measure(
                        "overlap-hosts",
                        backend,
                        dir,
                        hosts,
                        new OverlapTracker(80, 443, 1),
                        HostRow::host,
                        TypeInformation.of(String.class),
                        StateBenchmark::hostRows);
                measure(
                        "hosts",
                        backend,
                        dir,
                        hosts,
                        new HostTracker(java.time.Duration.ZERO, 1),
                        HostEvent::host,
                        TypeInformation.of(HostKey.class),
                        i -> replies(i).stream().map(HostEvent::of).toList());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static <K, I> void measure(
            String operator,
            String backendName,
            Path dir,
            int hosts,
            KeyedProcessFunction<K, I, ?> function,
            KeySelector<I, K> key,
            TypeInformation<K> keyType,
            Function<Integer, List<I>> inputOf)
            throws Exception {
        StateBackend backend =
                backendName.equals("hashmap")
                        ? new HashMapStateBackend()
                        : new EmbeddedRocksDBStateBackend(false);
        long heapBefore = usedHeapAfterGc();
        try (KeyedOneInputStreamOperatorTestHarness<K, I, ?> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function), key, keyType)) {
            h.setStateBackend(backend);
            h.setCheckpointStorage(
                    new org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage(
                            dir.resolve("checkpoints-" + operator + "-" + backendName).toUri()));
            if (backend instanceof EmbeddedRocksDBStateBackend r) {
                r.setDbStoragePath(dir.resolve(operator).toString());
            }
            h.open();
            long t0 = System.nanoTime();
            for (int i = 0; i < hosts; i++) {
                for (I in : inputOf.apply(i)) {
                    h.processElement(new StreamRecord<>(in, 0));
                }
                if (i % 10_000 == 0) {
                    clearOutputs(h);
                }
            }
            clearOutputs(h);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long heap = usedHeapAfterGc() - heapBefore;
            if (backendName.equals("hashmap") && Boolean.getBoolean("mpcensus.bench.histogram")) {
                printHistogram(operator);
            }
            OperatorSubtaskState snapshot = h.snapshot(1, 1);
            long bytes = snapshot.getStateSize();
            System.out.printf(
                    "state %-13s %-7s %,9d hosts: %s keyed entries, timers %,d; checkpoint %,d bytes = %.0f"
                            + " bytes per candidate%s (fed in %.1f s)%n",
                    operator,
                    backendName,
                    hosts,
                    backendName.equals("hashmap")
                            ? String.format("%,d", h.numKeyedStateEntries())
                            : "-",
                    h.numEventTimeTimers() + h.numProcessingTimeTimers(),
                    bytes,
                    (double) bytes / hosts,
                    backendName.equals("hashmap")
                            ? String.format(
                                    "; heap %,d MB = %.0f bytes per candidate",
                                    heap / 1_000_000, (double) heap / hosts)
                            : "",
                    seconds);
        }
    }

    /**
     * Drops what the operator emitted so far, main and side outputs, so that the heap measured is
     * the operator's state.
     */
    private static void clearOutputs(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        h.getOutput().clear();
        for (OutputTag<?> tag : SIDE_OUTPUTS) {
            var side = h.getSideOutput(tag);
            if (side != null) {
                side.clear();
            }
        }
    }

    /** The classes that hold most of the heap (with -Dmpcensus.bench.histogram=true). */
    private static void printHistogram(String operator) throws Exception {
        String histogram =
                (String)
                        ManagementFactory.getPlatformMBeanServer()
                                .invoke(
                                        new javax.management.ObjectName(
                                                "com.sun.management:type=DiagnosticCommand"),
                                        "gcClassHistogram",
                                        new Object[] {new String[0]},
                                        new String[] {String[].class.getName()});
        System.out.println("state " + operator + ": the largest classes on the heap");
        histogram.lines().limit(18).forEach(l -> System.out.println("  " + l));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // A few rounds: one System.gc() may leave garbage that the next one collects.
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** A distinct public-looking IPv4 address per host index. */
    private static String address(int i) {
        int a = 0x0b000000 + i * 7;
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    private static String key(int i, int month) {
        long k = (i * 0x9E3779B97F4A7C15L + month) * 0xBF58476D1CE4E5B9L;
        return String.format("%016x", k ^ (k >>> 31));
    }

    private static long time(int month) {
        return (Months.startMillis(Months.index(MONTHS[month])) + 86_400_000L) * 1000;
    }

    private static List<ClassifiedReply> replies(int i) {
        List<ClassifiedReply> out = new ArrayList<>(MONTHS.length);
        for (int m = 0; m < MONTHS.length; m++) {
            String k = key(i, m);
            out.add(
                    new ClassifiedReply(
                            time(m),
                            MONTHS[m],
                            4,
                            address(i),
                            443,
                            1,
                            ReplyType.SYN_ACK,
                            Classification.CANDIDATE,
                            1,
                            k,
                            Long.bitCount(Long.parseUnsignedLong(k, 16)),
                            64496 + i % 1000,
                            "DE",
                            "vp1",
                            "scan"));
        }
        return out;
    }

    private static List<HostRow> hostRows(int i) {
        List<HostRow> out = new ArrayList<>(MONTHS.length);
        for (ClassifiedReply r : replies(i)) {
            out.add(
                    new HostRow(
                            r.month(),
                            r.host(),
                            r.port(),
                            r.probedVersion(),
                            r.ipVersion(),
                            r.asn(),
                            r.classification(),
                            r.mptcpVersion(),
                            r.senderKey(),
                            r.keyWeight(),
                            1,
                            r.captureTimeMicros(),
                            r.captureTimeMicros(),
                            false,
                            r.country()));
        }
        return out;
    }
}
