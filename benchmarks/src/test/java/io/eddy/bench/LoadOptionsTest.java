package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void readsEveryOption() {
        LoadOptions options = LoadOptions.parse("line", "--duration", "2.5", "--warmup", "1", "--rounds", "3",
                "--out", "results", "--generator", "java", "--connections", "500", "--no-pin");
        assertEquals("line", options.command());
        assertEquals(Duration.ofMillis(2500), options.duration());
        assertEquals(Duration.ofSeconds(1), options.warmup());
        assertEquals(3, options.rounds());
        assertEquals(Path.of("results"), options.out());
        assertEquals("java", options.generator());
        assertEquals(500, options.connections());
        assertFalse(options.pin());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        LoadOptions options = LoadOptions.parse("all");
        assertEquals(Duration.ofSeconds(10), options.duration());
        assertEquals(2, options.rounds());
        assertEquals(10_000, options.connections());
        assertEquals(Path.of("docs", "benchmarks"), options.out());
    }

    @Test
    void refusesUnknownCommandsAndOptions() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("tcp"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http", "--speed", "1"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http", "--rounds"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http", "--generator", "ab"));
    }
}
