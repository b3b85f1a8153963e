package org.mpcensus.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RecipesTest {
    @Test
    void everyRecipeFileIsListedAndHasASummary() throws Exception {
        Path dir = Path.of("src/main/resources/mpcensus/sql/recipes");
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files =
                    s.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".sql"))
                            .map(n -> n.substring(0, n.length() - 4))
                            .toList();
        }
        assertThat(Recipes.ALL).containsExactlyInAnyOrderElementsOf(files);
        for (String name : Recipes.ALL) {
            assertThat(Recipes.summary(Recipes.load(name))).as(name).isNotBlank();
        }
    }

    @Test
    void ddlPlaceholdersAreFilledAndStatementsSplit() throws Exception {
        String ddl =
                Ddl.load(
                        "replies",
                        java.util.Map.of("bootstrap", "k:9092", "replies_topic", "it's"));
        assertThat(ddl).contains("'k:9092'").contains("'it''s'").doesNotContain("${");
        assertThat(Ddl.statements(ddl)).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Ddl.load("replies", java.util.Map.of()))
                .hasMessageContaining("needs a value for ${replies_topic}");
    }
}
