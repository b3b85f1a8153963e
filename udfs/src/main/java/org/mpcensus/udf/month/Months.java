package org.mpcensus.udf.month;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Calendar months (UTC) as consecutive integers, so that month arithmetic is integer arithmetic:
 * the index of {@code yyyy-MM} is {@code year * 12 + month - 1}.
 */
public final class Months {
    private Months() {}

    /** The index of a {@code yyyy-MM} month. */
    public static int index(String month) {
        // Read by hand: it is called for every host row, and YearMonth.parse goes through a
        // DateTimeFormatter. Anything but four digits, '-', two digits of 01..12 goes to it.
        if (month.length() == 7 && month.charAt(4) == '-') {
            int year = digits(month, 0, 4);
            int m = digits(month, 5, 7);
            if (year >= 0 && m >= 1 && m <= 12) {
                return year * 12 + m - 1;
            }
        }
        YearMonth m = YearMonth.parse(month);
        return m.getYear() * 12 + m.getMonthValue() - 1;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The {@code yyyy-MM} text of a month index. */
    public static String month(int index) {
        return YearMonth.of(index / 12, index % 12 + 1).toString();
    }

    /**
     * The event time from which rows of month {@code index} are late: the end of month index +
     * {@code latenessMonths}. The host, consistency and overlap operators take none after it.
     */
    public static long lateFrom(int index, int latenessMonths) {
        return startMillis(index + 1 + latenessMonths);
    }

    /** {@link #lateFrom(int, int)} of a {@code yyyy-MM} month. */
    public static long lateFrom(String month, int latenessMonths) {
        return lateFrom(index(month), latenessMonths);
    }

    /** The start of a month index in epoch milliseconds. */
    public static long startMillis(int index) {
        return LocalDate.of(index / 12, index % 12 + 1, 1).toEpochDay() * 86_400_000L;
    }
}
