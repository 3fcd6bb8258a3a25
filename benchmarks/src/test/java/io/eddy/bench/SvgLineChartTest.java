package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The line chart of the soak page. */
class SvgLineChartTest {

    @Test
    void drawsALinePerSeriesThroughItsPointsSkippingTheUnreadOnes() {
        String svg = new SvgLineChart("Soak <memory>", "seconds", "MiB", new double[] {10, 20, 30},
                List.of("heap", "RSS"), new double[][] {{4.5, Double.NaN, 4.6}, {110, 111, 112}}).render();
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>\n"), svg);
        assertEquals(2, svg.split("<polyline").length - 1, "one line a series");
        String heap = svg.substring(svg.indexOf("<polyline"), svg.indexOf("/>", svg.indexOf("<polyline")));
        assertEquals(2, heap.substring(heap.indexOf("points=\"")).split(" ").length, "the unread sample left out");
        assertTrue(svg.contains("Soak &lt;memory&gt;"), "the title escaped");
        assertTrue(svg.contains(">112<") && svg.contains(">4.60<"), "each line's last value written at its end");
    }

    @Test
    void refusesValuesThatDoNotMatchTheAxis() {
        assertThrows(IllegalArgumentException.class, () -> new SvgLineChart("t", "s", "u", new double[] {1, 2},
                List.of("a"), new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> new SvgLineChart("t", "s", "u", new double[] {1},
                List.of("a", "b"), new double[][] {{1}}));
    }
}
