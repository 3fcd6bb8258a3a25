package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.http.BodyWriter;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * An Eddy {@link HttpServer} on its own loop, bound to 127.0.0.1 on a free port, with the routes
 * the independent-client tests share. Every request that reaches one of them is recorded with the
 * client's port, so a test can tell from the server's side how many connections a client used.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code GET /hello}</td><td>{@code hello world}, text</td></tr>
 *   <tr><td>{@code GET /port}</td><td>the client's port and a newline</td></tr>
 *   <tr><td>{@code GET /headers}</td><td>the request's header fields, one {@code name: value} line each</td></tr>
 *   <tr><td>{@code POST /echo}, {@code PUT /echo}</td><td>the gathered body, with the request's content type</td></tr>
 *   <tr><td>{@code POST /upload}</td><td>the body streamed piece by piece: {@code bytes=N sha256=HEX}</td></tr>
 *   <tr><td>{@code GET /stream/{pieces}}</td><td>{@link #streamBody} of that many pieces, chunked, written as
 *       the connection takes them</td></tr>
 *   <tr><td>{@code GET /file/{position}/{length}}</td><td>that range of {@link #file()} (3 MiB), as a file region</td></tr>
 * </table>
 *
 * <p>{@link #startWithTls} adds a TLS listener on another port, with the same routes and the test
 * certificates ({@link TestCertificates#serverTls()}: {@code localhost} and {@code 127.0.0.1}, EC
 * and RSA, and {@code other.test} by SNI); {@link #httpsUrl} names it.
 *
 * <p>Threading: the accessors may be called from any thread.
 */
final class TestServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final int FILE_SIZE = 3 * 1024 * 1024;

    /** A request as a route saw it. */
    record Seen(String method, String path, int clientPort) {
    }

    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Path file;
    private EventLoop loop;
    private HttpServer server;

    private TestServer() throws IOException {
        file = Files.createTempFile("eddy-client-test", ".bin");
        byte[] content = new byte[FILE_SIZE];
        new Random(3).nextBytes(content);
        Files.write(file, content);
    }

    /** Starts the shared routes only. */
    static TestServer start() throws IOException {
        return start((server, router) -> { });
    }

    /** Starts the shared routes and those {@code moreRoutes} adds (it may wrap its handlers in {@link #recorded}). */
    static TestServer start(BiConsumer<TestServer, Router> moreRoutes) throws IOException {
        return start(moreRoutes, false);
    }

    /** Starts the shared routes on a plaintext and a TLS port. */
    static TestServer startWithTls() throws IOException {
        return start((server, router) -> { }, true);
    }

    /** Starts the shared routes and those {@code moreRoutes} adds on a plaintext and a TLS port. */
    static TestServer startWithTls(BiConsumer<TestServer, Router> moreRoutes) throws IOException {
        return start(moreRoutes, true);
    }

    private static TestServer start(BiConsumer<TestServer, Router> moreRoutes, boolean tls) throws IOException {
        TestServer test = new TestServer();
        try {
            Router router = test.sharedRoutes();
            moreRoutes.accept(test, router);
            test.loop = EventLoop.start("client-test");
            HttpServer.Builder builder = HttpServer.on(test.loop).bind(HOST, 0).router(router);
            if (tls) {
                builder.bindTls(HOST, 0, TestCertificates.get().serverTls());
            }
            test.server = builder.start();
            return test;
        } catch (IOException | RuntimeException e) {
            test.close();
            throw e;
        }
    }

    private Router sharedRoutes() {
        Router router = new Router();
        router.get("/hello", recorded(request -> HttpResponse.text("hello world")));
        router.get("/port", recorded(request -> HttpResponse.text(request.remoteAddress().getPort() + "\n")));
        router.get("/headers", recorded(request -> {
            StringBuilder lines = new StringBuilder();
            request.headers().forEach((name, value) -> lines.append(name).append(": ").append(value).append('\n'));
            return HttpResponse.text(lines.toString());
        }));
        HttpHandler echo = recorded(request -> HttpResponse.bytes(request.body(),
                request.header("Content-Type") == null ? "application/octet-stream" : request.header("Content-Type")));
        router.post("/echo", echo);
        router.put("/echo", echo);
        router.routeStreaming(HttpMethod.POST, "/upload", request -> {
            record(request);
            return new DigestingReceiver();
        });
        router.get("/stream/{pieces}", recorded(request -> {
            int pieces = Integer.parseInt(request.pathParam("pieces"));
            return HttpResponse.stream("text/plain; charset=utf-8", writer -> writePieces(writer, 0, pieces));
        }));
        router.get("/file/{position}/{length}", recorded(request -> HttpResponse.file(file,
                Long.parseLong(request.pathParam("position")), Long.parseLong(request.pathParam("length")),
                "application/octet-stream")));
        return router;
    }

    /** {@code handler}, recording each request it answers. */
    HttpHandler recorded(HttpHandler handler) {
        return request -> {
            record(request);
            return handler.handle(request);
        };
    }

    /** Records {@code request}, for handlers that are not plain {@link HttpHandler}s. */
    void record(HttpRequest request) {
        seen.add(new Seen(request.method(), request.path(), request.remoteAddress().getPort()));
    }

    /** Writes pieces from {@code next} on while the connection takes them, then resumes when it is writable. */
    private static void writePieces(BodyWriter writer, int next, int pieces) {
        for (int i = next; i < pieces; i++) {
            if (!writer.isWritable()) {
                int resumeAt = i;
                writer.onWritable(() -> writePieces(writer, resumeAt, pieces));
                return;
            }
            writer.write(piece(i));
        }
        writer.end();
    }

    private static String piece(int i) {
        return ("piece " + i + " ").repeat(i % 97 + 1) + "\n";
    }

    /** The body of {@code GET /stream/{pieces}}: pieces of different sizes, each ending in a newline. */
    static String streamBody(int pieces) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            body.append(piece(i));
        }
        return body.toString();
    }

    /** The answer of {@code POST /upload} to {@code body}. */
    static String uploadAnswer(byte[] body) {
        return uploadAnswer(body.length, sha256().digest(body));
    }

    private static String uploadAnswer(long bytes, byte[] sha256) {
        return "bytes=" + bytes + " sha256=" + HexFormat.of().formatHex(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** Digests a streamed body without keeping it. */
    private static final class DigestingReceiver implements BodyReceiver {
        private final MessageDigest digest = sha256();
        private long bytes;

        @Override
        public void onData(ByteBuffer data) {
            bytes += data.remaining();
            digest.update(data);
        }

        @Override
        public CompletionStage<HttpResponse> onEnd(HttpHeaders trailers) {
            return BodyReceiver.respond(HttpResponse.text(uploadAnswer(bytes, digest.digest())));
        }
    }

    URI uri(String path) {
        return URI.create(url(path));
    }

    String url(String path) {
        return "http://" + HOST + ":" + server.port() + path;
    }

    /** The URL of {@code path} on the TLS port, by the name the test certificates hold: {@code https://localhost:PORT/...}. */
    String httpsUrl(String path) {
        return "https://localhost:" + server.tlsPort() + path;
    }

    int port() {
        return server.port();
    }

    int tlsPort() {
        return server.tlsPort();
    }

    HttpServer server() {
        return server;
    }

    /** The file {@code GET /file/...} serves. */
    Path file() {
        return file;
    }

    /** {@code length} bytes of {@link #file()} from {@code position}. */
    byte[] fileBytes(int position, int length) {
        try {
            return Arrays.copyOfRange(Files.readAllBytes(file), position, position + length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request the routes saw, in order. */
    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The client ports of the requests to {@code path}, in order. */
    List<Integer> clientPortsOf(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).map(Seen::clientPort).toList();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
            if (loop != null) {
                loop.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
