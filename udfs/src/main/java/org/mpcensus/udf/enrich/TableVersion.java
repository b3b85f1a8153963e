package org.mpcensus.udf.enrich;

/**
 * What the watcher saw of one enrichment file: its modification time and size. A change of either
 * makes every enrichment subtask reload that table.
 *
 * @param kind which table ({@link TableWatch#ASN_TABLE} or {@link TableWatch#COUNTRY_DB})
 * @param file the file
 * @param modifiedMillis the file's modification time, -1 when it could not be read
 * @param size the file's size in bytes, -1 when it could not be read
 */
public record TableVersion(String kind, String file, long modifiedMillis, long size) {

    /** True when the watcher could read the file's attributes. */
    public boolean readable() {
        return modifiedMillis >= 0;
    }
}
