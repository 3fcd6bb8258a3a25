package io.eddy.bench;

import java.util.List;

/**
 * A line chart as a standalone SVG: one line per series over a shared x axis (the seconds of a
 * soak, say), the y axis from zero, each series' first and last values written at its ends. Drawn
 * with {@link SvgChart}'s colours, number format and escaping, so the runner's charts look alike.
 *
 * <p>Threading: a value; {@link #render} makes a new string each time.
 */
final class SvgLineChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 70;
    private static final int TOP = 50;
    private static final int BOTTOM = 50;
    private static final int Y_TICKS = 4;

    private final String title;
    private final String xUnit;
    private final String yUnit;
    private final double[] x;
    private final List<String> series;
    private final double[][] values;

    /** A chart of {@code values[series][i]} at {@code x[i]}; NaN leaves a point out. */
    SvgLineChart(String title, String xUnit, String yUnit, double[] x, List<String> series, double[][] values) {
        if (values.length != series.size()) {
            throw new IllegalArgumentException("one row of values per series");
        }
        for (double[] row : values) {
            if (row.length != x.length) {
                throw new IllegalArgumentException("one value per x in each series");
            }
        }
        this.title = title;
        this.xUnit = xUnit;
        this.yUnit = yUnit;
        this.x = x.clone();
        this.series = List.copyOf(series);
        this.values = values;
    }

    String render() {
        double maxY = 0;
        for (double[] row : values) {
            for (double value : row) {
                if (!Double.isNaN(value)) {
                    maxY = Math.max(maxY, value);
                }
            }
        }
        maxY = maxY > 0 ? maxY * 1.1 : 1;
        double maxX = x.length == 0 ? 1 : Math.max(x[x.length - 1], 1e-9);
        int baseline = HEIGHT - BOTTOM;
        int plotWidth = WIDTH - LEFT - RIGHT;
        StringBuilder svg = SvgChart.open(WIDTH, HEIGHT, LEFT, TOP, baseline, title, yUnit);
        svg.append(SvgChart.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", LEFT + plotWidth / 2,
                HEIGHT - 12, SvgChart.escape(xUnit)));
        for (int t = 0; t <= Y_TICKS; t++) {
            double value = maxY * t / Y_TICKS;
            double y = baseline - (baseline - TOP) * (double) t / Y_TICKS;
            svg.append(SvgChart.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>", LEFT, y,
                    WIDTH - RIGHT, y, t == 0 ? "black" : "#dddddd"));
            svg.append(SvgChart.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 4, y + 4,
                    SvgChart.escape(SvgChart.number(value))));
        }
        for (int t = 0; t <= 4; t++) {
            double value = maxX * t / 4;
            svg.append(SvgChart.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    LEFT + plotWidth * t / 4.0, baseline + 16, SvgChart.escape(SvgChart.number(value))));
        }
        for (int s = 0; s < series.size(); s++) {
            String colour = SvgChart.COLOURS[s % SvgChart.COLOURS.length];
            int legendX = LEFT + s * 200;
            svg.append(SvgChart.format("<rect x=\"%d\" y=\"28\" width=\"12\" height=\"12\" fill=\"%s\"/>", legendX, colour));
            svg.append(SvgChart.format("<text x=\"%d\" y=\"39\">%s</text>\n", legendX + 16, SvgChart.escape(series.get(s))));
            StringBuilder points = new StringBuilder();
            double firstY = Double.NaN;
            double lastY = Double.NaN;
            double lastValue = Double.NaN;
            for (int i = 0; i < x.length; i++) {
                double value = values[s][i];
                if (Double.isNaN(value)) {
                    continue;
                }
                double px = LEFT + plotWidth * x[i] / maxX;
                double py = baseline - (baseline - TOP) * value / maxY;
                points.append(SvgChart.format("%.1f,%.1f ", px, py));
                if (Double.isNaN(firstY)) {
                    firstY = py;
                    svg.append(SvgChart.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\" fill=\"%s\">%s</text>\n",
                            LEFT - 4, py - 4, colour, SvgChart.escape(SvgChart.number(value))));
                }
                lastY = py;
                lastValue = value;
            }
            if (!Double.isNaN(lastY)) {
                svg.append(SvgChart.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", colour,
                        points.toString().trim()));
                svg.append(SvgChart.format("<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s</text>\n", WIDTH - RIGHT + 4,
                        lastY + 4, colour, SvgChart.escape(SvgChart.number(lastValue))));
            }
        }
        return svg.append("</svg>\n").toString();
    }
}
