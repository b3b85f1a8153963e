package org.mpcensus.job.schema;

import java.util.List;
import org.apache.flink.util.function.SerializableFunction;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.host.HostOfMonth;
import org.mpcensus.udf.scope.Scope;

/**
 * The columns that many census tables share: the scope (month, IP version, port, probed version,
 * AS) and the host of a month (month, host, port, probed version), both the leading part of their
 * tables' primary keys (the columns are key columns).
 */
public final class CensusColumns {
    private CensusColumns() {}

    /** The scope columns of a row, from its {@link Scope}. */
    public static <T> List<Column<T>> scope(SerializableFunction<T, Scope> scope) {
        List<Column<Scope>> columns =
                List.of(
                        Column.text("month", 7, Scope::month),
                        Column.smallint("ip_version", Scope::ipVersion),
                        Column.integer("port", Scope::port),
                        Column.smallint("probed_version", Scope::probedVersion),
                        Column.bigint("asn", Scope::asn));
        return columns.stream().map(c -> c.of(scope).asKey()).toList();
    }

    /**
     * The columns of a row about a host of a month: the host's key columns, then its IP version and
     * AS.
     */
    public static <T extends HostOfMonth> List<Column<T>> hostOfMonth() {
        return List.of(
                Column.<T>text("month", 7, HostOfMonth::month).asKey(),
                Column.<T>text("host", 45, HostOfMonth::host).asKey(),
                Column.<T>integer("port", HostOfMonth::port).asKey(),
                Column.<T>smallint("probed_version", HostOfMonth::probedVersion).asKey(),
                Column.<T>smallint("ip_version", HostOfMonth::ipVersion).notNull(),
                Column.<T>bigint("asn", HostOfMonth::asn).notNull());
    }

    /** The columns of a host of a month, from its {@link HostKey}. */
    public static <T> List<Column<T>> host(SerializableFunction<T, HostKey> host) {
        List<Column<HostKey>> columns =
                List.of(
                        Column.text("month", 7, HostKey::month),
                        Column.text("host", 45, HostKey::host),
                        Column.integer("port", HostKey::port),
                        Column.smallint("probed_version", HostKey::probedVersion));
        return columns.stream().map(c -> c.of(host).asKey()).toList();
    }
}
