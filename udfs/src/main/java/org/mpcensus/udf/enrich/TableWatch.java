package org.mpcensus.udf.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Looks at the enrichment files in turn, one per call, and reports what it saw as a {@link
 * TableVersion}. Run by a rate-limited generator source whose output is broadcast to {@link
 * Enrichment}.
 */
public final class TableWatch implements GeneratorFunction<Long, TableVersion> {
    public static final String ASN_TABLE = "asn-table";
    public static final String COUNTRY_DB = "country-db";

    private final List<String> kinds = new ArrayList<>();
    private final List<String> files = new ArrayList<>();

    /**
     * @param asnTableFile the IP-to-AS table, or null
     * @param countryDb the MaxMind Country database, or null
     */
    public TableWatch(String asnTableFile, String countryDb) {
        add(ASN_TABLE, asnTableFile);
        add(COUNTRY_DB, countryDb);
    }

    private void add(String kind, String file) {
        if (file != null) {
            kinds.add(kind);
            files.add(file);
        }
    }

    /** How many files are watched: one round of calls looks at each once. */
    public int tables() {
        return files.size();
    }

    @Override
    public TableVersion map(Long index) {
        if (files.isEmpty()) {
            // Nothing to watch: a version no subtask loads.
            return new TableVersion("none", "", -1, -1);
        }
        int i = (int) (index % files.size());
        return versionOf(kinds.get(i), files.get(i));
    }

    /** The current version of a file. */
    public static TableVersion versionOf(String kind, String file) {
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
            return new TableVersion(kind, file, a.lastModifiedTime().toMillis(), a.size());
        } catch (IOException e) {
            return new TableVersion(kind, file, -1, -1);
        }
    }
}
