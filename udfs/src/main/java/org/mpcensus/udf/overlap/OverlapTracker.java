package org.mpcensus.udf.overlap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.Scope;

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

    /** The host's months: candidate versions per (month, port), origin AS per month. */
    private transient ValueState<HostMonths> months;

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
        months =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("months", HostMonths.class));
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
        HostMonths state = months.value();
        if (state == null) {
            state = new HostMonths();
        }
        Map<Long, Integer> near = state.cellsBetween(m - 1, m + 1);
        long key = cell(m, r.port());
        Integer old = near.get(key);
        int bit = r.probedVersion() == 0 ? V0 : V1;
        int bits = (old == null ? 0 : old) & ~bit;
        if (r.classification() == Classification.CANDIDATE) {
            bits |= bit;
        }
        Long originTime = state.originTime(m);
        Long origin = state.origin(m);
        boolean newOrigin =
                originTime == null
                        || r.lastSeenMicros() > originTime
                        || (r.lastSeenMicros() == originTime && r.asn() > origin);
        if (bits == (old == null ? 0 : old) && !newOrigin) {
            return;
        }
        Set<OverlapKey> before = places(state, near, m, r.host());
        before.addAll(places(state, near, m + 1, r.host()));
        state.putCell(key, bits);
        if (bits == 0) {
            near.remove(key);
        } else {
            near.put(key, bits);
        }
        if (newOrigin) {
            state.putOrigin(m, r.asn(), r.lastSeenMicros());
        }
        months.update(state);
        ctx.timerService().registerEventTimeTimer(Months.startMillis(m + 2 + latenessMonths));

        Set<OverlapKey> after = places(state, near, m, r.host());
        after.addAll(places(state, near, m + 1, r.host()));
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
    private Set<OverlapKey> places(HostMonths state, Map<Long, Integer> cells, int m, String host) {
        Set<OverlapKey> places = new HashSet<>();
        Map<Integer, Integer> now = monthCells(cells, m);
        if (now.isEmpty()) {
            return places;
        }
        String month = Months.month(m);
        int ipVersion = host.indexOf(':') >= 0 ? 6 : 4;
        Long origin = state.origin(m);
        long asn = origin == null ? 0 : origin;
        for (Map.Entry<Integer, Integer> e : now.entrySet()) {
            Scope scope = new Scope(month, ipVersion, e.getKey(), -1, asn);
            places.add(new OverlapKey(scope, OverlapMeasure.VERSIONS, versions(e.getValue())));
        }
        for (int v = 0; v <= 1; v++) {
            int bit = v == 0 ? V0 : V1;
            boolean first = (now.getOrDefault(firstPort, 0) & bit) != 0;
            boolean second = (now.getOrDefault(secondPort, 0) & bit) != 0;
            if (first || second) {
                int port = first && second ? -1 : first ? firstPort : secondPort;
                OverlapCategory category =
                        first && second ? OverlapCategory.BOTH_PORTS : OverlapCategory.ONLY_PORT;
                Scope scope = new Scope(month, ipVersion, port, v, asn);
                places.add(new OverlapKey(scope, OverlapMeasure.PORTS, category));
            }
        }
        Map<Integer, Integer> previous = monthCells(cells, m - 1);
        for (Map.Entry<Integer, Integer> e : now.entrySet()) {
            Integer was = previous.get(e.getKey());
            if (was == null) {
                continue;
            }
            Scope scope = new Scope(month, ipVersion, e.getKey(), -1, asn);
            for (OverlapCategory category : migration(was, e.getValue())) {
                places.add(new OverlapKey(scope, OverlapMeasure.MIGRATION, category));
            }
        }
        return places;
    }

    private static OverlapCategory versions(int bits) {
        return switch (bits) {
            case V0 -> OverlapCategory.ONLY_V0;
            case V1 -> OverlapCategory.ONLY_V1;
            default -> OverlapCategory.BOTH_VERSIONS;
        };
    }

    /** The migration categories of a host that had {@code was} and now has {@code now}. */
    static List<OverlapCategory> migration(int was, int now) {
        List<OverlapCategory> c = new ArrayList<>();
        if (was == now) {
            c.add(OverlapCategory.UNCHANGED);
        }
        if ((was & V1) == 0 && (now & V1) != 0) {
            c.add(OverlapCategory.ADDED_V1);
        }
        if ((was & V0) != 0 && (now & V0) == 0) {
            c.add(OverlapCategory.DROPPED_V0);
        }
        if (was == V0 && now == V1) {
            c.add(OverlapCategory.SWITCHED_V0_TO_V1);
        }
        return c;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OverlapDelta> out)
            throws Exception {
        HostMonths state = months.value();
        if (state == null) {
            return;
        }
        state.removeMonths(m -> Months.startMillis(m + 2 + latenessMonths) <= timestamp);
        if (state.holdsNothing()) {
            months.clear();
        } else {
            months.update(state);
        }
    }
}
