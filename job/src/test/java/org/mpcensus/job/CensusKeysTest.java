package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.census.CensusPipeline;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.probe.event.CensusInput;

/**
 * Keys must hash the same in every JVM: a key group computed in one TaskManager process must be the
 * one every other process (and a restore in a new process) computes. The key types are those of the
 * census's job graph.
 */
class CensusKeysTest {

    @Test
    void theSamplesCoverEveryKeyTypeOfTheCensus() {
        assertThat(keyTypesOfTheCensus()).isEqualTo(CensusKeys.samples().keySet());
    }

    @Test
    void keyGroupsAreTheSameInAnotherJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                CensusKeys.class.getName())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out.lines().toList()).isEqualTo(CensusKeys.keyGroups());
    }

    /** The key types of every keyed operator of the census, read from its transformations. */
    static Set<Class<?>> keyTypesOfTheCensus() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        DataStream<CensusInput> records =
                env.fromData(
                                TypeInformation.of(CensusInput.class),
                                CensusInput.of(
                                        new org.mpcensus.probe.event.DeadLetter(
                                                "s", "l", "r", new byte[0], -1)))
                        .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks());
        CensusStreams census = CensusPipeline.build(records, new Configuration(), false);
        for (DataStream<?> s :
                List.of(
                        census.hosts(),
                        census.counts(),
                        census.consistency(),
                        census.keyTests(),
                        census.overlap(),
                        census.deadLetters())) {
            s.sinkTo(new DiscardingSink<>());
        }
        Set<Class<?>> types = new HashSet<>();
        List<Transformation<?>> todo = new ArrayList<>(env.getTransformations());
        Set<Transformation<?>> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.remove(todo.size() - 1);
            if (!seen.add(t)) {
                continue;
            }
            TypeInformation<?> key = null;
            if (t instanceof OneInputTransformation<?, ?> one) {
                key = one.getStateKeyType();
            } else if (t instanceof TwoInputTransformation<?, ?, ?> two) {
                key = two.getStateKeyType();
            }
            if (key != null) {
                types.add(key.getTypeClass());
            }
            todo.addAll(t.getInputs());
        }
        return types;
    }
}
