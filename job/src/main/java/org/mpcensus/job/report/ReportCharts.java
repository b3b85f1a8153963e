package org.mpcensus.job.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws a figure's rows with JFreeChart, and writes the chart as SVG (JFreeSVG) and PNG. Rows are
 * the figure's SQL result, column name to value, in the query's order.
 */
final class ReportCharts {
    static final int WIDTH = 900;
    static final int HEIGHT = 460;

    private ReportCharts() {}

    /** The chart of a figure's rows. */
    static JFreeChart chart(ReportFigure f, List<Map<String, Object>> rows) {
        String x = String.join(" / ", f.category());
        String y =
                f.kind() == ReportFigure.Kind.STACKED_BARS
                        ? f.values().get(0)
                        : String.join(", ", f.values());
        JFreeChart chart =
                switch (f.kind()) {
                    case STACKED_BARS ->
                            ChartFactory.createStackedBarChart(
                                    null, x, y, dataset(f, rows, f.values()));
                    case BARS ->
                            ChartFactory.createBarChart(null, x, y, dataset(f, rows, f.values()));
                    case LINES ->
                            ChartFactory.createLineChart(null, x, y, dataset(f, rows, f.values()));
                    case HISTOGRAM -> histogram(f, rows);
                    case TABLE -> throw new IllegalArgumentException(f.name() + " is a table");
                };
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        CategoryAxis axis = plot.getDomainAxis();
        axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        axis.setMaximumCategoryLabelLines(2);
        if (plot.getRenderer() instanceof BarRenderer bars) {
            bars.setBarPainter(new StandardBarPainter());
            bars.setShadowVisible(false);
        }
        return chart;
    }

    /** Bars of the first value column with the second as a line over them. */
    private static JFreeChart histogram(ReportFigure f, List<Map<String, Object>> rows) {
        DefaultCategoryDataset observed = dataset(f, rows, f.values().subList(0, 1));
        DefaultCategoryDataset expected = dataset(f, rows, f.values().subList(1, 2));
        JFreeChart chart =
                ChartFactory.createBarChart(
                        null, String.join(" / ", f.category()), f.values().get(0), observed);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setDataset(1, expected);
        LineAndShapeRenderer line = new LineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, Color.BLACK);
        plot.setRenderer(1, line);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        return chart;
    }

    /**
     * The values of some columns per category (the category columns' values joined) and series (the
     * series column's value, or the value column's name).
     */
    private static DefaultCategoryDataset dataset(
            ReportFigure f, List<Map<String, Object>> rows, List<String> values) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        Map<String, Map<String, Double>> cells = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<String> parts = new ArrayList<>();
            for (String c : f.category()) {
                parts.add(label(c, row.get(c)));
            }
            String category = String.join(" ", parts);
            if (!categories.contains(category)) {
                categories.add(category);
            }
            for (String v : values) {
                String series = f.series() == null ? v : String.valueOf(row.get(f.series()));
                Object value = row.get(v);
                if (value instanceof Number n) {
                    cells.computeIfAbsent(series, k -> new LinkedHashMap<>())
                            .merge(category, n.doubleValue(), Double::sum);
                }
            }
        }
        for (var s : cells.entrySet()) {
            for (String c : categories) {
                Double v = s.getValue().get(c);
                if (v != null) {
                    d.addValue(v, s.getKey(), c);
                }
            }
        }
        return d;
    }

    /** How a category column's value reads on the axis. */
    private static String label(String column, Object value) {
        return switch (column) {
            case "ip_version" -> "IPv" + value;
            case "probed_version" -> "v" + value;
            case "port" -> ":" + value;
            default -> String.valueOf(value);
        };
    }

    /** Writes the chart as {@code <name>.svg} and {@code <name>.png} in a directory. */
    static void write(JFreeChart chart, Path dir, String name) throws IOException {
        SVGGraphics2D svg = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(svg, new Rectangle(0, 0, WIDTH, HEIGHT));
        Files.writeString(dir.resolve(name + ".svg"), svg.getSVGDocument(), StandardCharsets.UTF_8);
        ChartUtils.saveChartAsPNG(dir.resolve(name + ".png").toFile(), chart, WIDTH, HEIGHT);
    }
}
