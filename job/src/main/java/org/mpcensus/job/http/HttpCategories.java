package org.mpcensus.job.http;

import java.util.EnumSet;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.path.PathCategory;
import org.mpcensus.udf.classify.Classification;

/**
 * The hosts to time ({@link HttpOptions#CATEGORIES}): path categories when paths are verified,
 * reply classifications otherwise. A name that is both ({@code NOT_MPTCP}) counts as both.
 *
 * @param paths the path categories
 * @param classifications the classifications
 */
public record HttpCategories(Set<PathCategory> paths, Set<Classification> classifications)
        implements java.io.Serializable {

    /**
     * The categories of a configuration.
     *
     * @throws IllegalArgumentException naming a name that is neither
     */
    public static HttpCategories of(Configuration conf) {
        Set<PathCategory> paths = EnumSet.noneOf(PathCategory.class);
        Set<Classification> classifications = EnumSet.noneOf(Classification.class);
        for (String name : conf.get(HttpOptions.CATEGORIES)) {
            boolean known = false;
            for (PathCategory p : PathCategory.values()) {
                if (p.name().equals(name)) {
                    paths.add(p);
                    known = true;
                }
            }
            for (Classification c : Classification.values()) {
                if (c.name().equals(name)) {
                    classifications.add(c);
                    known = true;
                }
            }
            if (!known) {
                throw new IllegalArgumentException(
                        HttpOptions.CATEGORIES.key()
                                + ": "
                                + name
                                + " is neither a path category nor a classification");
            }
        }
        return new HttpCategories(paths, classifications);
    }
}
