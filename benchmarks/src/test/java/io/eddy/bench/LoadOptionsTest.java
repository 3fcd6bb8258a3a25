package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void readsEveryOption() {
        LoadOptions options = LoadOptions.parse("line", "--duration", "2.5", "--warmup", "1", "--rounds", "3",
                "--out", "results", "--generator", "java", "--connections", "500", "--rates", "10k, 2.5k,300", "--loops", "1, 2",
                "--jfr", "recordings", "--no-pin");
        assertEquals("line", options.command());
        assertEquals(Path.of("recordings"), options.jfr());
        assertEquals(Duration.ofMillis(2500), options.duration());
        assertEquals(Duration.ofSeconds(1), options.warmup());
        assertEquals(3, options.rounds());
        assertEquals(Path.of("results"), options.out());
        assertEquals("java", options.generator());
        assertEquals(500, options.connections());
        assertEquals(List.of(10_000L, 2_500L, 300L), options.rates());
        assertEquals(List.of(1, 2), options.loops());
        assertEquals(2, options.maxLoops());
        assertFalse(options.pin());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        LoadOptions options = LoadOptions.parse("all");
        assertEquals(Duration.ofSeconds(10), options.duration());
        assertEquals(2, options.rounds());
        assertEquals(10_000, options.connections());
        assertEquals(List.of(25_000L, 50_000L, 100_000L), options.rates());
        assertEquals("http-paced", LoadOptions.parse("http-paced").command());
        assertEquals("metrics", LoadOptions.parse("metrics").command());
        assertEquals(Path.of("docs", "benchmarks"), options.out());
        assertEquals(List.of(1), options.loops());
        assertEquals(null, options.jfr());
        assertEquals(List.of(), options.serverJvmFlags("tls-bulk", "Eddy"));
        assertEquals("tls", LoadOptions.parse("tls").command());
    }

    @Test
    void withJfrEachJavaServerRecordsIntoAFileNamedByFamilyAndServer() {
        List<String> flags = LoadOptions.parse("tls", "--jfr", "recordings").serverJvmFlags("tls-bulk", "Netty NIO");
        String recording = flags.get(flags.size() - 1);
        assertTrue(recording.startsWith("-XX:StartFlightRecording="), recording);
        assertTrue(recording.endsWith(Path.of("recordings", "tls-bulk-Netty-NIO.jfr").toAbsolutePath().toString()), recording);
    }

    @Test
    void eddyFromNamesAnotherBuildsJar() {
        LoadOptions.OtherBuild other = LoadOptions.parse("tls", "--eddy-from", "before=/tmp/before.jar").eddyFrom();
        assertEquals("before", other.name());
        assertEquals(Path.of("/tmp/before.jar"), other.jar());
        assertEquals(null, LoadOptions.parse("tls").eddyFrom());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("tls", "--eddy-from", "before.jar"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("tls", "--eddy-from", "Eddy=before.jar"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("tls", "--eddy-from", "before="));
    }

    @Test
    void tlsRowsRunInTheirUsualOrder() {
        assertEquals(LoadOptions.TLS_ROWS, LoadOptions.parse("tls").tlsRows());
        assertEquals(List.of("handshake", "bulk"), LoadOptions.parse("tls", "--tls-rows", "bulk,handshake").tlsRows());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("tls", "--tls-rows", "resumption"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("tls", "--tls-rows", "bulk,bulk"));
    }

    @Test
    void refusesUnknownCommandsAndOptions() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("tcp"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http", "--speed", "1"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http", "--rounds"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http", "--generator", "ab"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http-paced", "--rates", "fast"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http-paced", "--rates", "10k,0"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http-paced", "--loops", "0"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http-paced", "--loops", "2,2"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("http-paced", "--loops", "two"));
    }

    @Test
    void aServerTakesItsMetricsSwitch() {
        assertEquals("off", ServerArgs.parse(new String[0]).metrics());
        assertEquals("histogram", ServerArgs.parse(new String[] {"--metrics", "histogram"}).metrics());
        assertThrows(IllegalArgumentException.class, () -> ServerArgs.parse(new String[] {"--metrics", "yes"}).metrics());
        assertEquals(List.of("off", "on", "histogram"), Load.metricsServers().stream()
                .map(spec -> ServerArgs.parse(spec.args().toArray(String[]::new)).metrics()).toList());
    }
}
