package org.mpcensus.job.http;

import org.mpcensus.probe.http.HttpTiming;

/**
 * One row of {@code census_http}: one GET of a paired run.
 *
 * @param run the run
 * @param timing the GET
 * @param startedMicros when the run started
 */
public record HttpRow(HttpRun run, HttpTiming timing, long startedMicros) {

    /** The row's key: month, host, port, run and transport. */
    public String key() {
        return HttpStage.key(run.target()) + '|' + run.run() + '|' + timing.transport();
    }
}
