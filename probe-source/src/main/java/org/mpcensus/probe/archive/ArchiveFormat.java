package org.mpcensus.probe.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.mpcensus.probe.event.ArchiveRecord;
import org.mpcensus.probe.event.DeadLetter;

/**
 * A {@link BulkFormat} for Flink's {@code FileSource} that reads a whole archive file with an
 * {@link ArchiveDecoder} (files are not split: captures and CSV headers must be read from the
 * start). The checkpointed position is the number of records emitted; a restored reader re-decodes
 * and skips them. Files ending in {@code .gz} are decompressed. Read errors end the file with a
 * dead letter.
 */
public final class ArchiveFormat implements BulkFormat<ArchiveRecord, FileSourceSplit> {

    private static final int BATCH = 512;

    private final ArchiveFormatKind kind;
    private final ArchiveSettings settings;

    public ArchiveFormat(@Nullable ArchiveFormatKind kind, ArchiveSettings settings) {
        this.kind = kind;
        this.settings = settings;
    }

    @Override
    public Reader<ArchiveRecord> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return new ArchiveReader(open(split.path()), split.path().toString(), 0);
    }

    @Override
    public Reader<ArchiveRecord> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        ArchiveReader reader = new ArchiveReader(open(split.path()), split.path().toString(), skip);
        for (long i = 0; i < skip; i++) {
            if (reader.decodeNext() == null) {
                break;
            }
        }
        return reader;
    }

    private ArchiveDecoder open(Path path) throws IOException {
        FileSystem fs = path.getFileSystem();
        InputStream in = new BufferedInputStream(fs.open(path), 1 << 16);
        String name = path.getName();
        if (name.endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        ArchiveFormatKind k = kind != null ? kind : ArchiveFormatKind.detect(name);
        return k.decoder(in, path.toString(), settings);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<ArchiveRecord> getProducedType() {
        return TypeInformation.of(ArchiveRecord.class);
    }

    /** Reads batches from one decoder; runs on the source's split fetcher thread. */
    private static final class ArchiveReader implements BulkFormat.Reader<ArchiveRecord> {
        private final ArchiveDecoder decoder;
        private final String source;
        private long emitted;
        private boolean ended;

        ArchiveReader(ArchiveDecoder decoder, String source, long alreadyEmitted) {
            this.decoder = decoder;
            this.source = source;
            this.emitted = alreadyEmitted;
        }

        /** The next record, turning an I/O failure into a final dead letter. */
        ArchiveRecord decodeNext() {
            if (ended) {
                return null;
            }
            try {
                ArchiveRecord r = decoder.next();
                if (r == null) {
                    ended = true;
                }
                return r;
            } catch (IOException e) {
                ended = true;
                return ArchiveRecord.of(
                        new DeadLetter(
                                source,
                                "after record " + emitted,
                                "file could not be read to its end: " + e,
                                new byte[0],
                                -1));
            }
        }

        @Nullable
        @Override
        public RecordIterator<ArchiveRecord> readBatch() {
            List<ArchiveRecord> batch = new ArrayList<>(BATCH);
            ArchiveRecord r;
            while (batch.size() < BATCH && (r = decodeNext()) != null) {
                batch.add(r);
            }
            if (batch.isEmpty()) {
                return null;
            }
            long start = emitted;
            emitted += batch.size();
            return new IteratorResultIterator<>(
                    batch.iterator(), CheckpointedPosition.NO_OFFSET, start);
        }

        @Override
        public void close() throws IOException {
            decoder.close();
        }
    }
}
