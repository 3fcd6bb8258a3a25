package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection closed while its peer is still sending: the peer must still read the last reply.
 * Closed at once, the socket would be reset by the kernel (unread input), and the reset would
 * throw the reply away, as it does to an HTTP client refused in the middle of an upload.
 */
@Timeout(30)
class LingeringCloseTest {

    @Test
    void aPeerStillSendingReadsTheLastReplyThenTheEnd() throws Exception {
        try (EventLoop loop = EventLoop.start("linger")) {
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                    .codec(() -> new LineCodec(64 * 1024, StandardCharsets.UTF_8))
                    .handler((Connection<String> connection, String line) -> {
                        connection.write("refused");
                        connection.close();
                    })
                    .start();
            try (Socket socket = Loopback.connect(server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write("first line\n".getBytes(StandardCharsets.UTF_8));
                // Far more than the socket buffers hold: the write only completes if the server
                // goes on reading after it closed.
                byte[] more = new byte[8 * 1024 * 1024];
                out.write(more);
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                assertEquals("refused\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
