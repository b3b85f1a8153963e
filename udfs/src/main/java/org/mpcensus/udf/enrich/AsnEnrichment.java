package org.mpcensus.udf.enrich;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * Sets each reply's origin AS from a {@link Pfx2AsTable} that every subtask loads from a file when
 * it opens (the file must be readable on every task manager). Without a file every AS is 0
 * (unknown).
 */
public class AsnEnrichment extends RichMapFunction<ClassifiedReply, ClassifiedReply> {
    private final String tableFile;
    private transient Pfx2AsTable table;

    /**
     * @param tableFile a pyasn or pfx2as file, or null for no enrichment
     */
    public AsnEnrichment(String tableFile) {
        this.tableFile = tableFile;
    }

    @Override
    public void open(OpenContext openContext) throws IOException {
        table = tableFile == null ? Pfx2AsTable.empty() : Pfx2AsTable.load(Path.of(tableFile));
    }

    @Override
    public ClassifiedReply map(ClassifiedReply r) {
        return r.withLocation(table.lookup(r.host()), r.country());
    }
}
