package org.mpcensus.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The SQL recipes shipped in this module ({@code mpcensus/sql/recipes/NAME.sql}): each file starts
 * with a one-line summary comment and holds one query over the census tables.
 */
public final class Recipes {
    /** Every recipe, by name. */
    public static final List<String> ALL =
            List.of(
                    "top-ases-v1-443",
                    "top-consistent-ases",
                    "consistent-vs-candidates",
                    "key-weights-per-as",
                    "mirrored-share-per-port",
                    "port-overlap",
                    "version-overlap",
                    "v0-to-v1-migration");

    /**
     * The recipes over the traffic tables of {@code mpcensus traffic} (database tables, read
     * through the PostgreSQL catalog), by name.
     */
    public static final List<String> TRAFFIC =
            List.of("traffic-share-per-day", "traffic-apps", "traffic-sizes");

    private Recipes() {}

    /** The text of a recipe. */
    public static String load(String name) throws IOException {
        String path =
                "mpcensus/sql/"
                        + (TRAFFIC.contains(name) ? "traffic/" : "recipes/")
                        + name
                        + ".sql";
        try (InputStream in = Recipes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no recipe " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The one-line summary of a recipe (its first comment line). */
    public static String summary(String sql) {
        String first = sql.lines().findFirst().orElse("");
        return first.startsWith("--") ? first.substring(2).trim() : "";
    }
}
