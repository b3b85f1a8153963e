package org.mpcensus.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Flink SQL DDL shipped in this module ({@code mpcensus/sql/ddl/NAME.sql}): {@code replies}
 * (the raw-reply Kafka topic), {@code tables-kafka} (the census tables as upsert-kafka topics) and
 * {@code catalog-postgres} (the census tables in PostgreSQL through a JDBC catalog). Settings are
 * {@code ${name}} placeholders.
 */
public final class Ddl {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

    private Ddl() {}

    /** The text of a DDL file with its placeholders replaced. */
    public static String load(String name, Map<String, String> settings) throws IOException {
        String path = "mpcensus/sql/ddl/" + name + ".sql";
        String text;
        try (InputStream in = Ddl.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no DDL " + path);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = settings.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(
                        path + " needs a value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace("'", "''")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The statements of a SQL text: split at semicolons that end a line; comments dropped. */
    public static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String s = current.toString().strip();
                statements.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
