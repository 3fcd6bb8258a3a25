package io.eddy.core.metrics;

import java.util.List;

/**
 * Writes families in Prometheus' text exposition format, version 0.0.4: for each family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples; a histogram as cumulative
 * {@code _bucket} samples up to {@code le="+Inf"}, then {@code _sum} and {@code _count}.
 *
 * <pre>
 * # HELP eddy_tcp_server_sent_bytes_total Bytes written to the server's connections.
 * # TYPE eddy_tcp_server_sent_bytes_total counter
 * eddy_tcp_server_sent_bytes_total{server="127.0.0.1:9990"} 120345
 * </pre>
 *
 * <p>Threading: stateless; reads each series on the calling thread.
 */
public final class PrometheusText {

    /** The content type of the text format, to serve it with. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** Appends {@code families} (skipping those without series) to {@code out}. */
    public static void write(List<MetricFamily> families, StringBuilder out) {
        for (MetricFamily family : families) {
            if (family.series().isEmpty()) {
                continue;
            }
            String name = family.prometheusName();
            out.append("# HELP ").append(name).append(' ');
            escapeHelp(family.help(), out);
            out.append("\n# TYPE ").append(name).append(' ')
                    .append(family.type().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
            for (Series series : family.series()) {
                if (family.type() == MetricFamily.Type.HISTOGRAM) {
                    writeHistogram(name, family.labelNames(), series, out);
                } else {
                    sample(name, "", family.labelNames(), series.labelValues(), null, out);
                    number(series.value().getAsDouble(), out);
                    out.append('\n');
                }
            }
        }
    }

    private static void writeHistogram(String name, List<String> labelNames, Series series, StringBuilder out) {
        HistogramSnapshot histogram = series.histogram().get();
        double[] bounds = histogram.upperBounds();
        long[] counts = histogram.bucketCounts();
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
            cumulative += counts[i];
            String le = i < bounds.length ? formatted(bounds[i]) : "+Inf";
            sample(name, "_bucket", labelNames, series.labelValues(), le, out);
            out.append(cumulative).append('\n');
        }
        sample(name, "_sum", labelNames, series.labelValues(), null, out);
        number(histogram.sum(), out);
        out.append('\n');
        sample(name, "_count", labelNames, series.labelValues(), null, out);
        out.append(cumulative).append('\n');
    }

    private static void sample(String name, String suffix, List<String> labelNames, List<String> labelValues, String le,
                               StringBuilder out) {
        out.append(name).append(suffix);
        if (!labelNames.isEmpty() || le != null) {
            out.append('{');
            for (int i = 0; i < labelNames.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labelNames.get(i)).append("=\"");
                escapeLabel(labelValues.get(i), out);
                out.append('"');
            }
            if (le != null) {
                out.append(labelNames.isEmpty() ? "" : ",").append("le=\"").append(le).append('"');
            }
            out.append('}');
        }
        out.append(' ');
    }

    /** A whole number without a fraction (counts read best so), anything else as Java writes a double. */
    private static void number(double value, StringBuilder out) {
        out.append(formatted(value));
    }

    private static String formatted(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static void escapeHelp(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    private static void escapeLabel(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                default -> out.append(c);
            }
        }
    }
}
