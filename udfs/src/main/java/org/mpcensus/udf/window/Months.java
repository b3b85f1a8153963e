package org.mpcensus.udf.window;

import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Calendar months (UTC) as consecutive integers, so that month arithmetic is integer arithmetic:
 * the index of {@code yyyy-MM} is {@code year * 12 + month - 1}.
 */
public final class Months {
    private Months() {}

    /** The index of a {@code yyyy-MM} month. */
    public static int index(String month) {
        YearMonth m = YearMonth.parse(month);
        return m.getYear() * 12 + m.getMonthValue() - 1;
    }

    /** The {@code yyyy-MM} text of a month index. */
    public static String month(int index) {
        return YearMonth.of(index / 12, index % 12 + 1).toString();
    }

    /** The start of a month index in epoch milliseconds. */
    public static long startMillis(int index) {
        return YearMonth.of(index / 12, index % 12 + 1)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
    }
}
