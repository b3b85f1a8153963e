package org.mpcensus.udf.overlap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.udf.aggregate.HostRow;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.window.Months;

/**
 * Per address (keyed by host), on which ports and for which probed versions it was a candidate in
 * each month, and from that the host's place in the overlap counts: port overlap per version,
 * version overlap per port, and migration from the previous month per port ({@link
 * OverlapMeasure}). Emits the changes of those places as {@link OverlapDelta}s (-1 for a count the
 * host left, +1 for one it entered), so the summed counts are exact in any arrival order: a month
 * that arrives late re-evaluates itself and the month after it.
 *
 * <p>Rows of month M are applied until the watermark passes the end of month M + L (L = {@code
 * latenessMonths}); later ones are counted in {@code rowsPastLateness}. Month M is kept while month
 * M + 1 may still change, then cleared; with the last month all of the host's state goes.
 */
public class OverlapTracker extends KeyedProcessFunction<String, HostRow, OverlapDelta> {
    private static final int V0 = 1;
    private static final int V1 = 2;

    private final int firstPort;
    private final int secondPort;
    private final int latenessMonths;

    /** (month index << 16 | port) to candidate versions (bit 0: v0, bit 1: v1). */
    private transient MapState<Long, Integer> cells;

    /** Month index to the origin AS of the month's latest row. */
    private transient MapState<Integer, Long> origins;

    /** Month index to the capture time of the row that set the origin. */
    private transient MapState<Integer, Long> originTimes;

    private transient Counter tooLate;

    /**
     * @param firstPort the first port of the port overlap (80 in the published studies)
     * @param secondPort the second port (443)
     * @param latenessMonths L, months after a month's end that its rows are still applied
     */
    public OverlapTracker(int firstPort, int secondPort, int latenessMonths) {
        if (firstPort == secondPort || latenessMonths < 0) {
            throw new IllegalArgumentException(
                    "ports " + firstPort + "/" + secondPort + ", lateness " + latenessMonths);
        }
        this.firstPort = firstPort;
        this.secondPort = secondPort;
        this.latenessMonths = latenessMonths;
    }

    @Override
    public void open(OpenContext openContext) {
        cells =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("cells", Types.LONG, Types.INT));
        origins =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("origins", Types.INT, Types.LONG));
        originTimes =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("origin-times", Types.INT, Types.LONG));
        tooLate = getRuntimeContext().getMetricGroup().counter("rowsPastLateness");
    }

    private static long cell(int month, int port) {
        return ((long) month << 16) | port;
    }

    @Override
    public void processElement(HostRow r, Context ctx, Collector<OverlapDelta> out)
            throws Exception {
        int m = Months.index(r.month());
        if (Months.lateFrom(m, latenessMonths) <= ctx.timerService().currentWatermark()) {
            tooLate.inc();
            return;
        }
        if (r.probedVersion() != 0 && r.probedVersion() != 1) {
            return;
        }
        // One read of the host's cells around month m serves both evaluations.
        Map<Long, Integer> near = new HashMap<>();
        for (Map.Entry<Long, Integer> e : cells.entries()) {
            int month = (int) (e.getKey() >> 16);
            if (month >= m - 1 && month <= m + 1) {
                near.put(e.getKey(), e.getValue());
            }
        }
        long key = cell(m, r.port());
        Integer old = near.get(key);
        int bit = r.probedVersion() == 0 ? V0 : V1;
        int bits = (old == null ? 0 : old) & ~bit;
        if (r.classification() == Classification.CANDIDATE) {
            bits |= bit;
        }
        Long originTime = originTimes.get(m);
        Long origin = origins.get(m);
        boolean newOrigin =
                originTime == null
                        || r.lastSeenMicros() > originTime
                        || (r.lastSeenMicros() == originTime && r.asn() > origin);
        if (bits == (old == null ? 0 : old) && !newOrigin) {
            return;
        }
        Set<OverlapKey> before = places(near, m, r.host());
        before.addAll(places(near, m + 1, r.host()));
        if (bits == 0) {
            cells.remove(key);
            near.remove(key);
        } else {
            cells.put(key, bits);
            near.put(key, bits);
        }
        if (newOrigin) {
            origins.put(m, r.asn());
            originTimes.put(m, r.lastSeenMicros());
        }
        ctx.timerService().registerEventTimeTimer(Months.startMillis(m + 2 + latenessMonths));

        Set<OverlapKey> after = places(near, m, r.host());
        after.addAll(places(near, m + 1, r.host()));
        for (OverlapKey k : before) {
            if (!after.contains(k)) {
                out.collect(new OverlapDelta(k, -1));
            }
        }
        for (OverlapKey k : after) {
            if (!before.contains(k)) {
                out.collect(new OverlapDelta(k, 1));
            }
        }
    }

    /** Port to candidate versions in a month, from cells read from the state. */
    private static Map<Integer, Integer> monthCells(Map<Long, Integer> cells, int m) {
        Map<Integer, Integer> ports = new TreeMap<>();
        for (Map.Entry<Long, Integer> e : cells.entrySet()) {
            if ((int) (e.getKey() >> 16) == m) {
                ports.put((int) (e.getKey() & 0xffff), e.getValue());
            }
        }
        return ports;
    }

    /** The counts the host is in for month m, given its cells around m. */
    private Set<OverlapKey> places(Map<Long, Integer> cells, int m, String host) throws Exception {
        Set<OverlapKey> places = new HashSet<>();
        Map<Integer, Integer> now = monthCells(cells, m);
        if (now.isEmpty()) {
            return places;
        }
        String month = Months.month(m);
        int ipVersion = host.indexOf(':') >= 0 ? 6 : 4;
        Long origin = origins.get(m);
        long asn = origin == null ? 0 : origin;
        for (Map.Entry<Integer, Integer> e : now.entrySet()) {
            places.add(
                    new OverlapKey(
                            month,
                            ipVersion,
                            asn,
                            OverlapMeasure.VERSIONS,
                            e.getKey(),
                            -1,
                            versions(e.getValue())));
        }
        for (int v = 0; v <= 1; v++) {
            int bit = v == 0 ? V0 : V1;
            boolean first = (now.getOrDefault(firstPort, 0) & bit) != 0;
            boolean second = (now.getOrDefault(secondPort, 0) & bit) != 0;
            if (first || second) {
                String category =
                        first && second ? "both" : "only_" + (first ? firstPort : secondPort);
                places.add(
                        new OverlapKey(
                                month, ipVersion, asn, OverlapMeasure.PORTS, -1, v, category));
            }
        }
        Map<Integer, Integer> previous = monthCells(cells, m - 1);
        for (Map.Entry<Integer, Integer> e : now.entrySet()) {
            Integer was = previous.get(e.getKey());
            if (was == null) {
                continue;
            }
            for (String category : migration(was, e.getValue())) {
                places.add(
                        new OverlapKey(
                                month,
                                ipVersion,
                                asn,
                                OverlapMeasure.MIGRATION,
                                e.getKey(),
                                -1,
                                category));
            }
        }
        return places;
    }

    private static String versions(int bits) {
        return switch (bits) {
            case V0 -> "only_v0";
            case V1 -> "only_v1";
            default -> "both";
        };
    }

    /** The migration categories of a host that had {@code was} and now has {@code now}. */
    static List<String> migration(int was, int now) {
        List<String> c = new ArrayList<>();
        if (was == now) {
            c.add("unchanged");
        }
        if ((was & V1) == 0 && (now & V1) != 0) {
            c.add("added_v1");
        }
        if ((was & V0) != 0 && (now & V0) == 0) {
            c.add("dropped_v0");
        }
        if (was == V0 && now == V1) {
            c.add("switched_v0_to_v1");
        }
        return c;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OverlapDelta> out)
            throws Exception {
        List<Long> expiredCells = new ArrayList<>();
        for (Long key : cells.keys()) {
            if (Months.startMillis((int) (key >> 16) + 2 + latenessMonths) <= timestamp) {
                expiredCells.add(key);
            }
        }
        for (Long key : expiredCells) {
            cells.remove(key);
        }
        List<Integer> expiredMonths = new ArrayList<>();
        for (Integer m : origins.keys()) {
            if (Months.startMillis(m + 2 + latenessMonths) <= timestamp) {
                expiredMonths.add(m);
            }
        }
        for (Integer m : expiredMonths) {
            origins.remove(m);
            originTimes.remove(m);
        }
        if (cells.isEmpty() && origins.isEmpty()) {
            cells.clear();
            origins.clear();
            originTimes.clear();
        }
    }
}
