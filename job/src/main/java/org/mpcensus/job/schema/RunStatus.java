package org.mpcensus.job.schema;

import java.util.Locale;

/** Where a run that writes the census stands ({@code census_runs.status}). */
public enum RunStatus {
    /** A continuous run that has started and not ended. */
    RUNNING,
    /** A bounded run that read all of its input; its row appears with its results. */
    COMPLETE,
    /** A continuous run that was stopped. */
    STOPPED,
    /** A run that failed. */
    FAILED;

    /** The status as {@code census_runs} writes it: {@code running}, {@code complete}, ... */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
