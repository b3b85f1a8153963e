package org.mpcensus.job.report;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * The months a report covers, {@code FROM..TO} (either side may be left out), as the SQL condition
 * that stands for {@code {months}} in the figures' SQL.
 */
public record MonthRange(String from, String to) {
    /** Every month. */
    public static final MonthRange ALL = new MonthRange("0000-01", "9999-12");

    /**
     * Parses {@code 2026-08..2026-10}, {@code 2026-08..} or {@code ..2026-10}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MonthRange parse(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            throw new IllegalArgumentException(
                    "months must be FROM..TO (e.g. 2026-08..2026-10), not " + text);
        }
        String from = text.substring(0, dots).strip();
        String to = text.substring(dots + 2).strip();
        MonthRange r =
                new MonthRange(
                        from.isEmpty() ? ALL.from : month(from), to.isEmpty() ? ALL.to : month(to));
        if (r.from.compareTo(r.to) > 0) {
            throw new IllegalArgumentException("months " + text + " end before they begin");
        }
        return r;
    }

    private static String month(String s) {
        try {
            return YearMonth.parse(s).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a month (YYYY-MM): " + s);
        }
    }

    /** The condition on a table's {@code month} column. */
    public String condition() {
        return "month BETWEEN '" + from + "' AND '" + to + "'";
    }

    @Override
    public String toString() {
        return equals(ALL) ? "all months" : from + " to " + to;
    }
}
