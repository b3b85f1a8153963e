package org.mpcensus.udf.sql;

import org.apache.flink.table.api.TableEnvironment;

/** Registers mpcensus's SQL functions in a table environment, under their SQL names. */
public final class CensusFunctions {
    private CensusFunctions() {}

    /**
     * Registers {@code hamming_weight}, {@code mp_capable}, {@code is_mirrored}, and when their
     * files are given {@code asn_of} (pyasn/pfx2as table), {@code country_of} (MaxMind Country
     * mmdb) and {@code as_name} (pyasn asnames.json).
     */
    public static void register(
            TableEnvironment env, String asnTable, String countryMmdb, String asNames) {
        env.createTemporarySystemFunction("hamming_weight", HammingWeightFunction.class);
        env.createTemporarySystemFunction("mp_capable", MpCapableFunction.class);
        env.createTemporarySystemFunction("is_mirrored", IsMirroredFunction.class);
        if (asnTable != null) {
            env.createTemporarySystemFunction("asn_of", new AsnOfFunction(asnTable));
        }
        if (countryMmdb != null) {
            env.createTemporarySystemFunction("country_of", new CountryOfFunction(countryMmdb));
        }
        if (asNames != null) {
            env.createTemporarySystemFunction("as_name", new AsNameFunction(asNames));
        }
    }
}
