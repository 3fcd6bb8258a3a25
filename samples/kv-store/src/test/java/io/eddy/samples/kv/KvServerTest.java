package io.eddy.samples.kv;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server over a real loopback socket, on a free port, with a blocking client of the JDK's own. */
class KvServerTest {

    @Test
    void storesAndAnswersOverASocket() throws Exception {
        try (EventLoop loop = EventLoop.start("kv-test");
             KvServer kv = KvServer.start(loop, "127.0.0.1", 0);
             Socket socket = new Socket("127.0.0.1", kv.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));

            out.write("SET a 2\r\nhi\r\nGET a\r\n".getBytes(US_ASCII));
            assertEquals("STORED", in.readLine());
            assertEquals("VALUE 2", in.readLine());
            assertEquals("hi", in.readLine());
            assertEquals(1, kv.size().get(10, TimeUnit.SECONDS));   // asked from this thread, answered by the loop's
        }
    }
}
