package org.mpcensus.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.testing.SharedData;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * The shipped {@code functions.sql}, as {@code mpcensus sql} and the SQL Gateway run it, declares
 * every function, and the file-backed ones read their files from the job parameters.
 */
class FunctionsDdlTest {

    @Test
    void functionsDeclaredByTheShippedDdlAnswerInSql() throws Exception {
        Configuration conf = new Configuration();
        conf.set(
                PipelineOptions.GLOBAL_JOB_PARAMETERS,
                Map.of(
                        EnrichmentOptions.ASN_TABLE.key(),
                        SharedData.file("pyasn/ipasn.fake").toString(),
                        EnrichmentOptions.COUNTRY_DB.key(),
                        SharedData.file("maxmind/GeoIP2-Country-Test.mmdb").toString(),
                        EnrichmentOptions.AS_NAMES.key(),
                        SharedData.file("pyasn/asnames.json.gz").toString()));
        TableEnvironment env =
                TableEnvironment.create(
                        EnvironmentSettings.newInstance()
                                .inBatchMode()
                                .withConfiguration(conf)
                                .build());
        for (String statement : Ddl.statements(Ddl.load("functions", Map.of()))) {
            env.executeSql(statement);
        }
        String sql =
                "SELECT hamming_weight('0c0c0c0c0c0c0c0c'), hamming_weight(CAST(NULL AS STRING)),"
                        + " mp_capable('0x020405b41e0c0181e356a8f252e41976').sender_key,"
                        + " mp_capable('020405b41e0c0181e356a8f252e41976').version,"
                        + " mp_capable('020405b4'),"
                        + " is_mirrored(0, '020405b41e0c00810c0c0c0c0c0c0c0c', '1e0c00810c0c0c0c0c0c0c0c'),"
                        + " is_mirrored(1, '020405b41e040181', '1e0c0181e356a8f252e41976'),"
                        + " asn_of('1.0.0.1'), asn_of('3.200.0.1'), asn_of('5.0.0.0'),"
                        + " country_of('81.2.69.160'), country_of('198.18.0.1'),"
                        + " as_name(15169), as_name(CAST(4294967295 AS BIGINT))";
        Row row;
        try (CloseableIterator<Row> it = env.sqlQuery(sql).execute().collect()) {
            row = it.next();
        }
        assertThat(row.getField(0)).isEqualTo(16);
        assertThat(row.getField(1)).isNull();
        assertThat(row.getField(2)).isEqualTo("e356a8f252e41976");
        assertThat(row.getField(3)).isEqualTo(1);
        assertThat(row.getField(4)).isNull();
        assertThat(row.getField(5)).isEqualTo(true);
        assertThat(row.getField(6)).isEqualTo(false);
        assertThat(row.getField(7)).isEqualTo(1L);
        assertThat(row.getField(8)).isEqualTo(4L);
        assertThat(row.getField(9)).isEqualTo(0L);
        assertThat(row.getField(10)).isEqualTo("GB");
        assertThat(row.getField(11)).isNull();
        assertThat(row.getField(12)).isEqualTo("GOOGLE - Google Inc., US");
        assertThat(row.getField(13)).isNull();
    }
}
