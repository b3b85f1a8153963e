package org.mpcensus.udf.month;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class MonthsTest {
    @Test
    void indexAndStartAgreeWithJavaTimeForEveryMonthOfTwoCenturies() {
        for (YearMonth m = YearMonth.of(1950, 1);
                m.isBefore(YearMonth.of(2150, 1));
                m = m.plusMonths(1)) {
            int i = Months.index(m.toString());
            assertThat(i).isEqualTo(m.getYear() * 12 + m.getMonthValue() - 1);
            assertThat(Months.month(i)).isEqualTo(m.toString());
            assertThat(Months.startMillis(i))
                    .isEqualTo(m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
        }
    }

    @Test
    void textThatIsNotAMonthIsRefused() {
        for (String bad : new String[] {"2026-13", "2026-00", "2026-1x", "2026/01", "26-01", ""}) {
            assertThatThrownBy(() -> Months.index(bad))
                    .as(bad)
                    .isInstanceOf(DateTimeParseException.class);
        }
        assertThat(Months.index("+12026-01")).isEqualTo(12026 * 12);
    }
}
