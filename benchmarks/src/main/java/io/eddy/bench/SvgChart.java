package io.eddy.bench;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a standalone SVG: one group per scenario (say, a connection count), one
 * bar per server in each, the value written above each bar. Hand-written, so the runner needs no
 * charting library.
 *
 * <p>Threading: a value; {@link #render} makes a new string each time.
 */
final class SvgChart {

    static final String[] COLOURS = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a"};
    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 50;

    private final String title;
    private final String unit;
    private final List<String> groups;
    private final List<String> series;
    private final double[][] values;

    /**
     * A chart of {@code values[group][series]}; NaN leaves a bar out.
     */
    SvgChart(String title, String unit, List<String> groups, List<String> series, double[][] values) {
        if (values.length != groups.size()) {
            throw new IllegalArgumentException("one row of values per group");
        }
        for (double[] row : values) {
            if (row.length != series.size()) {
                throw new IllegalArgumentException("one value per series in each group");
            }
        }
        this.title = title;
        this.unit = unit;
        this.groups = List.copyOf(groups);
        this.series = List.copyOf(series);
        this.values = values;
    }

    String render() {
        double max = 0;
        for (double[] row : values) {
            for (double value : row) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        double scale = max > 0 ? (HEIGHT - TOP - BOTTOM) / max : 0;
        int plotWidth = WIDTH - LEFT - RIGHT;
        double groupWidth = groups.isEmpty() ? plotWidth : (double) plotWidth / groups.size();
        double barWidth = groupWidth * 0.8 / Math.max(1, series.size());
        int baseline = HEIGHT - BOTTOM;
        StringBuilder svg = open(WIDTH, HEIGHT, LEFT, TOP, baseline, title, unit);
        svg.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", LEFT, baseline, WIDTH - RIGHT, baseline));
        for (int s = 0; s < series.size(); s++) {
            int x = LEFT + s * 160;
            svg.append(format("<rect x=\"%d\" y=\"28\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, COLOURS[s % COLOURS.length]));
            svg.append(format("<text x=\"%d\" y=\"39\">%s</text>\n", x + 16, escape(series.get(s))));
        }
        for (int g = 0; g < groups.size(); g++) {
            double groupX = LEFT + g * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double value = values[g][s];
                if (Double.isNaN(value)) {
                    continue;
                }
                double height = value * scale;
                double x = groupX + s * barWidth;
                svg.append(format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                        x, baseline - height, barWidth - 2, height, COLOURS[s % COLOURS.length],
                        escape(series.get(s) + ", " + groups.get(g) + ": " + number(value))));
                svg.append(format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%s</text>\n",
                        x + barWidth / 2 - 1, baseline - height - 3, escape(number(value))));
            }
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    LEFT + g * groupWidth + groupWidth / 2, baseline + 18, escape(groups.get(g))));
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * The start of a chart {@code width} by {@code height}: the white ground, the title above the
     * plot (which starts at {@code left}) and the unit along the y axis, from {@code top} to
     * {@code baseline}. The caller draws the rest and closes the {@code svg} element.
     */
    static StringBuilder open(int width, int height, int left, int top, int baseline, String title, String unit) {
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height));
        svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        svg.append(format("<text x=\"%d\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", left, escape(title)));
        svg.append(format("<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>\n",
                (top + baseline) / 2, (top + baseline) / 2, escape(unit)));
        return svg;
    }

    /** A number in a few characters: 1234567 as 1.23M, 45678 as 45.7k. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 1e6) {
            return format("%.2fM", value / 1e6);
        }
        if (magnitude >= 1e4) {
            return format("%.1fk", value / 1e3);
        }
        if (magnitude >= 100 || value == Math.rint(value)) {
            return format("%.0f", value);
        }
        return format("%.2f", value);
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
