package org.mpcensus.probe.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.mpcensus.probe.event.CensusInput;

/**
 * The replay source (bounded, or continuous when watching directories): Flink's {@link FileSource}
 * over archive files with an {@link ArchiveBulkFormat}. Only wires parts together.
 */
public final class ArchiveSource {
    private ArchiveSource() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FileSource} of {@link CensusInput}s. */
    public static final class Builder {
        private final List<Path> paths = new ArrayList<>();
        private ArchiveFormat format;
        private ArchiveSettings settings = ArchiveSettings.defaults();
        private Duration watch;
        private long splitBytes;

        private Builder() {}

        /** The format of every file; by default each file's name decides. */
        public Builder format(ArchiveFormat format) {
            this.format = format;
            return this;
        }

        public Builder settings(ArchiveSettings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * Read uncompressed CSV and JSON Lines files larger than this in ranges of about this size,
         * in parallel; 0 (the default) reads every file whole.
         */
        public Builder splitBytes(long bytes) {
            this.splitBytes = bytes;
            return this;
        }

        /** Keep looking for new files this often: the source becomes continuous. */
        public Builder watch(Duration interval) {
            this.watch = interval;
            return this;
        }

        /** Adds files (or directories, read recursively). */
        public Builder paths(String... files) {
            for (String f : files) {
                paths.add(new Path(f));
            }
            return this;
        }

        public FileSource<CensusInput> build() {
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("no archive files to replay");
            }
            FileSource.FileSourceBuilder<CensusInput> b =
                    FileSource.forBulkFileFormat(
                            new ArchiveBulkFormat(format, settings), paths.toArray(new Path[0]));
            ArchiveFormat kind = format;
            long bytes = splitBytes;
            b.setFileEnumerator(() -> new ArchiveEnumerator(kind, bytes));
            if (watch != null) {
                b.monitorContinuously(watch);
            }
            return b.build();
        }
    }
}
