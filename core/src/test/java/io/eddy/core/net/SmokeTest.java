package io.eddy.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void echoesLines() throws Exception {
        try (EventLoop loop = EventLoop.start("smoke")) {
            TcpServer<String, String> server = TcpServer.on(loop).bind("127.0.0.1", 0)
                    .codec(LineCodec::new)
                    .handler((c, line) -> c.write("echo: " + line))
                    .start();
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                OutputStream out = s.getOutputStream();
                out.write("hello\nworld\r\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("echo: hello", in.readLine());
                assertEquals("echo: world", in.readLine());
            }
            var client = TcpClient.on(loop).codec(LineCodec::new);
            var got = new java.util.concurrent.CompletableFuture<String>();
            Connection<String> c = client.handler((conn, line) -> got.complete(line)).build().connect("127.0.0.1", server.port()).join();
            c.write("via client");
            assertEquals("echo: via client", got.get(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }
}
