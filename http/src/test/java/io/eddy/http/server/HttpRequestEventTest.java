package io.eddy.http.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code io.eddy.HttpRequest} event, recorded with the shipped {@code eddy.jfc} and read back from the file. */
@Timeout(60)
class HttpRequestEventTest {

    @TempDir
    Path dir;

    @Test
    void recordsARequestSlowerThanTheThresholdWithItsRouteAndStatus() throws Exception {
        Configuration eddy;
        try (Reader jfc = new InputStreamReader(EventLoop.class.getResourceAsStream("/io/eddy/core/eddy.jfc"), UTF_8)) {
            eddy = Configuration.create(jfc);
        }
        assertEquals("20 ms", eddy.getSettings().get("io.eddy.HttpRequest#threshold"));
        Path file = dir.resolve("http.jfr");
        try (Recording recording = new Recording(eddy); EventLoop loop = EventLoop.start("jfr-http")) {
            recording.start();
            HttpServer server = HttpServer.on(loop).bind("127.0.0.1", 0)
                    // Answered by a loop timer 50 ms on: slower than the threshold, whatever the machine.
                    .routeAsync("GET", "/slow/{n}", req -> {
                        CompletableFuture<HttpResponse> later = new CompletableFuture<>();
                        loop.schedule(Duration.ofMillis(50), () -> later.complete(HttpResponse.text("late")));
                        return later;
                    })
                    .start();
            try (WireClient client = WireClient.connect(server.port())) {
                assertEquals(200, client.send("GET /slow/7 HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> requests = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.eddy.HttpRequest")).collect(Collectors.toList());
        assertEquals(1, requests.size(), requests.toString());
        RecordedEvent request = requests.get(0);
        assertEquals("GET", request.getString("method"));
        assertEquals("/slow/7", request.getString("path"));
        assertEquals("/slow/{n}", request.getString("route"));
        assertEquals(200, request.getInt("status"));
        assertTrue(request.getDuration().toMillis() >= 50, request.toString());
        assertTrue(request.getString("remoteAddress").contains("127.0.0.1"), request.toString());
    }
}
