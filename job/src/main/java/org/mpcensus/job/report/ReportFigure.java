package org.mpcensus.job.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One figure (or table) of the report: the SQL its data come from (a resource beside this class's
 * package, {@code mpcensus/report/<name>.sql}, with {@code {months}} standing for the month range),
 * how it is drawn, and which of the published studies' figures it answers.
 *
 * @param name the file name of its CSV, SVG and PNG, and its anchor in the HTML
 * @param title the caption
 * @param answers the studies' figure or table it stands for
 * @param kind how it is drawn
 * @param needs the census table it reads, named in the line that says why it is left out
 * @param category the columns whose values, joined, name a bar's category (or the x value)
 * @param series the column whose values are the series (null: one series per value column)
 * @param values the columns drawn as values
 */
public record ReportFigure(
        String name,
        String title,
        String answers,
        Kind kind,
        String needs,
        List<String> category,
        String series,
        List<String> values) {

    /** How a figure is drawn. */
    public enum Kind {
        /** Bars stacked by series per category. */
        STACKED_BARS,
        /** Bars side by side by series per category. */
        BARS,
        /** A histogram (first value column) with an expectation drawn as a line (the second). */
        HISTOGRAM,
        /** Lines over the category axis, one per value column. */
        LINES,
        /** A table, not a chart. */
        TABLE
    }

    /** Stacked bars of hosts by {@code series}, per value of the {@code by} columns. */
    static ReportFigure stackedHosts(
            String name, String title, String answers, String table, String series, String... by) {
        return new ReportFigure(
                name,
                title,
                answers,
                Kind.STACKED_BARS,
                table,
                List.of(by),
                series,
                List.of("hosts"));
    }

    /**
     * The table of the top {@code n} ASes of MPTCP v{@code version} candidates per port in the last
     * month ({@code top-ases-v0.sql}, {@code top-ases-v1.sql}).
     */
    static ReportFigure topAses(int version, int n) {
        return new ReportFigure(
                "top-ases-v" + version,
                "Top "
                        + n
                        + " ASes of MPTCPv"
                        + version
                        + " candidates per port, in the last month",
                "top-" + n + " ASes of v" + version + " hosts per port",
                Kind.TABLE,
                "census_counts",
                List.of("port", "asn"),
                null,
                List.of("hosts"));
    }

    /** The figure's SQL, with the month range put in. */
    public String sql(MonthRange months) {
        return template().replace("{months}", months.condition());
    }

    /** The figure's SQL as shipped, {@code {months}} and all. */
    public String template() {
        String resource = "/mpcensus/report/" + name + ".sql";
        try (InputStream in = ReportFigure.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
