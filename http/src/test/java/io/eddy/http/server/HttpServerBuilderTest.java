package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's builder follows the rule every endpoint's does: same validation, same defaults, closeable. */
class HttpServerBuilderTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("http-builder");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void refusesAPortOutOfRangeWhenItIsGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpServer.on(loop).bind(65536));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpServer.on(loop).bind("127.0.0.1", -1));
    }

    @Test
    void refusesASecondIdleTimeout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpServer.on(loop)
                .options(ConnectionOptions.defaults().withIdleTimeout(Duration.ofSeconds(5))));
        assertTrue(e.getMessage().contains("HttpLimits.idleTimeout"), e.getMessage());
    }

    @Test
    void saysAnHttpServerListensNotATcpServer() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(TcpServer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        boolean additive = logger.isAdditive();
        logger.setLevel(Level.INFO); // the tests' configuration logs warnings only
        logger.setAdditive(false);
        logger.addAppender(appender);
        try (HttpServer server = HttpServer.on(loop).bind("127.0.0.1", 0).start()) {
            String expected = "HTTP server listening on " + server.localAddress();
            assertTrue(appender.list.stream().anyMatch(e -> e.getFormattedMessage().equals(expected)),
                    () -> "no line '" + expected + "' in " + appender.list);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
            logger.setAdditive(additive);
        }
    }

    @Test
    void refusesANonPositiveConnectionLimit() {
        assertThrows(IllegalArgumentException.class, () -> HttpServer.on(loop).maxConnections(0));
    }

    @Test
    void closesItsListenerAndConnectionsAsAnAutoCloseable() throws IOException {
        int port;
        try (HttpServer server = HttpServer.on(loop).bind("127.0.0.1", 0)
                .get("/", req -> HttpResponse.text("hi")).start();
             Socket client = new Socket("127.0.0.1", server.port())) {
            port = server.port();
            await().until(() -> server.connectionCount() == 1);
            server.close();
            // The idle connection is closed: the client reads the end of the stream.
            client.setSoTimeout(10_000);
            assertEquals(-1, client.getInputStream().read());
        }
        // The listener is closed on the loop, right after close() returns.
        await().until(() -> !accepts(port));
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
