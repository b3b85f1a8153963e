package org.mpcensus.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The SQL recipes shipped in this module ({@code mpcensus/sql/recipes/NAME.sql}): each file starts
 * with a one-line summary comment and holds one query over the census tables.
 */
public final class Recipes {
    private Recipes() {}

    /** The text of a recipe. */
    public static String load(String name) throws IOException {
        String path = "mpcensus/sql/recipes/" + name + ".sql";
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
