package io.eddy.http.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking loopback server that answers each request with scripted bytes, right or wrong, so
 * the client can be shown misbehaving servers. It counts the connections it accepted and those
 * whose client has closed them.
 *
 * <p>Threading: a thread per connection; the counters may be read from any thread.
 */
final class ScriptedServer implements AutoCloseable {

    /** What to do with a request: send {@code reply} (null: never answer), then close or not. */
    record Action(String reply, boolean close) {
        static Action answer(String reply) {
            return new Action(reply, false);
        }

        static Action answerAndClose(String reply) {
            return new Action(reply, true);
        }

        static Action closeWithoutAnswer() {
            return new Action("", true);
        }

        static Action silence() {
            return new Action(null, false);
        }
    }

    /** Chooses the action for the {@code request}-th request (from 0) on the {@code connection}-th connection (from 0). */
    @FunctionalInterface
    interface Script {
        Action on(int connection, int request, String head);
    }

    static final String OK_HELLO = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    private final ServerSocket listener;
    private final Script script;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(script);
    }

    String url(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    int accepted() {
        return accepted.get();
    }

    int closedByClient() {
        return closedByClient.get();
    }

    /** Replies written (and flushed) so far. */
    int answered() {
        return answered.get();
    }

    /** Every request received, in order: its head, then its body (de-chunked) as ISO-8859-1 text. */
    List<String> requests() {
        return requests;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                int index = accepted.getAndIncrement();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket, index), "scripted-connection-" + index);
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket; InputStream in = socket.getInputStream()) {
            for (int request = 0; ; request++) {
                String head = readHead(in);
                if (head == null) {
                    closedByClient.incrementAndGet();
                    return;
                }
                requests.add(head + readBody(in, head));
                Action action = script.on(connection, request, head);
                if (action.reply() == null) {
                    if (in.read() < 0) {
                        closedByClient.incrementAndGet();
                    }
                    return;
                }
                socket.getOutputStream().write(action.reply().getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                answered.incrementAndGet();
                if (action.close()) {
                    return;
                }
            }
        } catch (IOException e) {
            closedByClient.incrementAndGet(); // reset by the client
        }
    }

    /** A request head up to its empty line, or null if the connection ends first. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    private static String readBody(InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return new String(in.readNBytes(Integer.parseInt(line.substring(15).strip())), StandardCharsets.ISO_8859_1);
            }
            if (line.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)) {
                return dechunk(in);
            }
        }
        return "";
    }

    /** A chunked body, its trailers skipped. */
    static String dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // a trailer field
                }
                return body.toString(StandardCharsets.ISO_8859_1);
            }
            body.write(in.readNBytes(size));
            readLine(in); // the CRLF after the data
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the connection ended inside a chunked body");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
