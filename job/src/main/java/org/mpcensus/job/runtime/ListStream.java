package org.mpcensus.job.runtime;

import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * A list of the job's own as a bounded stream (a job built from rows in hand: the census's memory).
 */
public final class ListStream {
    private ListStream() {}

    /**
     * A list as a bounded stream of the environment's parallelism: each subtask emits its share, so
     * the operators that follow chain to it. The list travels in the job graph, serialized with its
     * type's serializer where the job is built; an empty list is a stream that ends at once.
     */
    public static <T> DataStream<T> of(
            StreamExecutionEnvironment env, List<T> list, TypeInformation<T> type, String name) {
        int parts = env.getParallelism();
        return env.fromSequence(0, parts - 1)
                .name(name + "-parts")
                .uid(name + "-parts")
                .flatMap(new Elements<>(list, type, parts))
                .name(name)
                .uid(name);
    }

    /** Emits the elements of a list whose index is the input modulo the number of parts. */
    static final class Elements<T> implements FlatMapFunction<Long, T>, ResultTypeQueryable<T> {
        private final TypeInformation<T> type;
        private final int size;
        private final int parts;
        private final byte[] bytes;

        Elements(List<T> elements, TypeInformation<T> type, int parts) {
            this.type = type;
            this.size = elements.size();
            this.parts = parts;
            TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
            DataOutputSerializer out = new DataOutputSerializer(1 << 16);
            try {
                for (T e : elements) {
                    serializer.serialize(e, out);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            this.bytes = out.getCopyOfBuffer();
        }

        @Override
        public void flatMap(Long part, Collector<T> out) throws Exception {
            TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            for (int i = 0; i < size; i++) {
                T e = serializer.deserialize(in);
                if (i % parts == part) {
                    out.collect(e);
                }
            }
        }

        @Override
        public TypeInformation<T> getProducedType() {
            return type;
        }
    }
}
