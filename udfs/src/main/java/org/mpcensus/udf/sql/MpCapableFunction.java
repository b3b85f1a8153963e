package org.mpcensus.udf.sql;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpOptionList;

/**
 * SQL {@code mp_capable(options_hex)}: the MP_CAPABLE option of raw TCP option bytes (hex, optional
 * {@code 0x}) as {@code ROW<version INT, flags INT, sender_key STRING>}, decoded by mpcensus's
 * codec; NULL when absent or malformed.
 */
public class MpCapableFunction extends ScalarFunction {
    @DataTypeHint("ROW<version INT, flags INT, sender_key STRING>")
    public Row eval(String optionsHex) {
        byte[] options = SqlHex.parse(optionsHex);
        if (options == null) {
            return null;
        }
        TcpOptionList list = TcpOptionList.decode(options);
        MpCapable mp = list.mpCapable();
        if (mp == null || !list.errors().isEmpty()) {
            return null;
        }
        return Row.of(mp.version(), mp.flags(), mp.senderKeyHex());
    }
}
