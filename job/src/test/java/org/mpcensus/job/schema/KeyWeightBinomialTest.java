package org.mpcensus.job.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.mpcensus.udf.keys.KeyWeightHistogram;

/** The binomial the figures draw against is the census's test's own, read back from DuckDB. */
class KeyWeightBinomialTest {
    @Test
    void theViewHoldsTheTestsBinomialWeightByWeight() throws Exception {
        double[] want = KeyWeightHistogram.binomial64();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute(CensusTables.KEY_WEIGHT_BINOMIAL.ddl(SqlDialect.DUCKDB));
            double total = 0;
            int rows = 0;
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT weight, probability FROM census_key_weight_binomial"
                                    + " ORDER BY weight")) {
                while (r.next()) {
                    int k = r.getInt(1);
                    assertThat(k).isEqualTo(rows);
                    assertThat(r.getDouble(2))
                            .as("weight " + k)
                            .isCloseTo(want[k], within(want[k] * 1e-12));
                    total += r.getDouble(2);
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(65);
            assertThat(total).isCloseTo(1.0, within(1e-12));
        }
    }
}
