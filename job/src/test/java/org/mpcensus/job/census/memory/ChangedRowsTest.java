package org.mpcensus.job.census.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.host.HostRow;

/**
 * The rows a continued month writes: each key's last row once input ends, only when the census does
 * not hold it already; nothing is kept after.
 */
class ChangedRowsTest {

    static HostRow host(String address, Classification c, long replies) {
        return new HostRow(
                "2026-09", address, 443, 1, 4, 64496, c, 1, null, -1, replies, 1_000, 2_000, false,
                null);
    }

    @Test
    void onlyTheLastRowOfAKeyIsWrittenAndOnlyWhenItIsNew() throws Exception {
        HostRow held = host("198.18.0.1", Classification.CANDIDATE, 2);
        long[] existing = {CensusTables.HOSTS.fingerprint(CensusTables.HOSTS.valuesOf(held))};
        TypeInformation<HostRow> type = TypeInformation.of(HostRow.class);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new CensusMemory.Changed<>(CensusTables.HOSTS, existing, type)),
                        new CensusMemory.RowKey<>(CensusTables.HOSTS),
                        Types.STRING)) {
            h.open();
            // The held host passes through another value on its way to the one the census has.
            h.processElement(new StreamRecord<>(host("198.18.0.1", Classification.CANDIDATE, 1)));
            h.processElement(new StreamRecord<>(held));
            HostRow moved = host("198.18.0.2", Classification.SUSPECT_KEY, 1);
            h.processElement(new StreamRecord<>(host("198.18.0.2", Classification.CANDIDATE, 1)));
            h.processElement(new StreamRecord<>(moved));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).containsExactly(moved);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
