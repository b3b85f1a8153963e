package org.mpcensus.job.report;

import java.util.List;
import java.util.Map;
import org.mpcensus.job.report.CensusReport.Written;
import org.mpcensus.job.report.ReportFigure.Kind;
import org.mpcensus.udf.enrich.AsDirectory;

/** The report's HTML page: figures as SVG images with links to their PNG and CSV, tables. */
final class ReportPage {
    private ReportPage() {}

    static String html(List<Written> written, MonthRange months, AsDirectory ases, String source) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        b.append("<title>mpcensus report</title>\n<style>\n")
                .append("body { font-family: sans-serif; margin: 2em; max-width: 1000px; }\n")
                .append("figure { margin: 2em 0; }\n")
                .append("figure img { width: 900px; height: 460px; border: 1px solid #ddd; }\n")
                .append("figcaption { margin-top: 0.4em; }\n")
                .append("table { border-collapse: collapse; margin: 0.5em 0; }\n")
                .append("td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; }\n")
                .append("td.n { text-align: right; }\n")
                .append(".left-out { color: #777; }\n")
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>Multipath TCP census</h1>\n<p>")
                .append(escape(source))
                .append(", ")
                .append(escape(months.toString()))
                .append(". Each figure's data are in the CSV beside it.</p>\n");
        for (Written w : written) {
            ReportFigure f = w.figure();
            if (w.leftOut() != null) {
                b.append("<p class=\"left-out\" id=\"")
                        .append(f.name())
                        .append("\">Left out: <b>")
                        .append(escape(f.title()))
                        .append("</b> (")
                        .append(escape(w.leftOut()))
                        .append(").</p>\n");
                continue;
            }
            if (f.kind() == Kind.TABLE) {
                table(b, f, w.rows(), ases);
                continue;
            }
            b.append("<figure id=\"")
                    .append(f.name())
                    .append("\">\n<img class=\"figure\" src=\"")
                    .append(f.name())
                    .append(".svg\" alt=\"")
                    .append(escape(f.title()))
                    .append("\">\n<figcaption><b>")
                    .append(escape(f.title()))
                    .append("</b>. In the studies: ")
                    .append(escape(f.answers()))
                    .append(". <a href=\"")
                    .append(f.name())
                    .append(".csv\">CSV</a>, <a href=\"")
                    .append(f.name())
                    .append(".png\">PNG</a>.</figcaption>\n</figure>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    /** An AS table: the SQL's columns, then name, country, rank and network type. */
    private static void table(
            StringBuilder b, ReportFigure f, List<Map<String, Object>> rows, AsDirectory ases) {
        b.append("<section class=\"figure\" id=\"")
                .append(f.name())
                .append("\">\n<h2>")
                .append(escape(f.title()))
                .append("</h2>\n<p>In the studies: ")
                .append(escape(f.answers()))
                .append(". <a href=\"")
                .append(f.name())
                .append(".csv\">CSV</a>.</p>\n<table>\n<tr>");
        for (String c : rows.get(0).keySet()) {
            b.append("<th>").append(escape(c)).append("</th>");
        }
        b.append("<th>name</th><th>country</th><th>AS rank</th><th>PeeringDB type</th></tr>\n");
        for (Map<String, Object> row : rows) {
            b.append("<tr>");
            for (Object v : row.values()) {
                b.append(v instanceof Number ? "<td class=\"n\">" : "<td>")
                        .append(escape(CensusReport.cell(v)))
                        .append("</td>");
            }
            long asn = ((Number) row.get("asn")).longValue();
            b.append("<td>")
                    .append(escape(orDash(ases.name(asn))))
                    .append("</td><td>")
                    .append(escape(orDash(ases.country(asn))))
                    .append("</td><td class=\"n\">")
                    .append(escape(orDash(ases.rank(asn))))
                    .append("</td><td>")
                    .append(escape(orDash(ases.type(asn))))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n</section>\n");
    }

    private static String orDash(Object v) {
        return v == null ? "-" : v.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
