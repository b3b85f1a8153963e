package org.mpcensus.job.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes each element as one line to a single local file (run with parallelism 1). The file is
 * replaced when the writer starts and flushed at every checkpoint and at the end of input.
 *
 * @param <T> the element type
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
    private final String file;
    private final SerializableFunction<T, String> toLine;

    public JsonLinesFileSink(String file, SerializableFunction<T, String> toLine) {
        this.file = file;
        this.toLine = toLine;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path path = Path.of(file);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        return new LineWriter<>(out, toLine);
    }

    /** Runs on the sink's task thread. */
    private static final class LineWriter<T> implements SinkWriter<T> {
        private final Writer out;
        private final SerializableFunction<T, String> toLine;

        LineWriter(Writer out, SerializableFunction<T, String> toLine) {
            this.out = out;
            this.toLine = toLine;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(toLine.apply(element));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
