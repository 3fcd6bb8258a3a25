package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.http.BodyWriter;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.awaitility.Awaitility.await;

/**
 * Seeded random runs of a server over loopback: per seed, random water marks, socket buffers,
 * {@code maxPipelinedRequests} and {@code maxBodySize}, a random way of answering errors
 * ({@link ErrorAnswers}), and a few clients at once, each sending a few dozen requests (GET, HEAD,
 * POST, now and then a GET with a body; Content-Length or chunked bodies from empty to past
 * 64 KiB; HTTP/1.1 and now and then HTTP/1.0) to handlers of every kind:
 *
 * <table>
 *   <caption>Routes (GET and POST each; HEAD through GET)</caption>
 *   <tr><td>{@code /sync/{id}}</td><td>answers at once</td></tr>
 *   <tr><td>{@code /async/{id}}</td><td>answers with a stage completed at once, or later on another thread</td></tr>
 *   <tr><td>{@code /in/{id}}</td><td>takes the body piece by piece, then answers like {@code /async}</td></tr>
 *   <tr><td>{@code /out/{id}}</td><td>streams the answer in pieces (some empty), from the loop under
 *       backpressure or from another thread</td></tr>
 *   <tr><td>{@code /missing/{id}}</td><td>no route: 404</td></tr>
 * </table>
 *
 * <p>Every answer is a function of its request (method, target, body length and CRC, then as many
 * bytes as the target's {@code size} asks for), so the client checks each one whole. The target
 * also asks now and then for a handler that fails (500, or a streamed answer cut short) or an
 * answer with {@code Connection: close}; now and then a request is broken (400). A client sends its
 * requests in sessions, one connection each: pipelined (written in one go, request by request, or in
 * random pieces, with a reader on another thread) or one at a time, sometimes with
 * {@code Expect: 100-continue}, the body sent only once the {@code 100} came (or not at all if the
 * final answer came instead). A session ends with the request after which the server must close,
 * by the documented rules (no keep-alive, an answer that says so, an HTTP/1.0 streamed answer, a
 * body answered before it was read that cannot be dropped, a broken request), and the connection
 * must then end right after that answer; otherwise the client closes it, sometimes first closing
 * its output (and then the server must answer everything and close). Every answer must come in
 * order, with {@code Connection: close} exactly on the last, and the server must count no
 * connection once the clients are gone.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RandomizedPipelineTest {

    private static final int SEEDS = 20;
    private static final int CLIENTS = 4;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ExecutorService threads;
    private ScheduledExecutorService scheduler;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @BeforeEach
    void startThreads() {
        threads = Executors.newCachedThreadPool();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
        scheduler.shutdownNow();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void answersEveryRequestInOrderWithItsOwnAnswerAndClosesExactlyWhenItShould(long seed) throws Exception {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L);
        int high = 1024 << random.nextInt(9);
        ConnectionOptions options = ConnectionOptions.defaults().withWaterMarks(random.nextInt(high + 1), high);
        int socketBuffers = random.nextBoolean() ? 8 * 1024 : 0;
        HttpLimits limits = HttpLimits.defaults().withMaxPipelinedRequests(random.nextBoolean() ? 64 : 1 + random.nextInt(8));
        if (random.nextBoolean()) {
            limits = limits.withMaxBodySize(random.nextInt(100_000));
        }
        ErrorAnswers errors = ErrorAnswers.random(random);
        String where = "seed " + seed + " (errors " + errors + ", water marks " + options.lowWaterMark() + "/" + options.highWaterMark()
                + ", socket buffers " + (socketBuffers == 0 ? "default" : socketBuffers)
                + ", maxPipelinedRequests " + limits.maxPipelinedRequests() + ", maxBodySize " + limits.maxBodySize() + ")";
        try (EventLoop loop = EventLoop.start("randomized-http-" + seed)) {
            HttpServer.Builder builder = HttpServer.on(loop).bind(TestServer.HOST, 0).options(options).limits(limits)
                    .errorHandler(errors).router(routes());
            if (socketBuffers > 0) {
                builder.option(SO_RCVBUF, socketBuffers).option(SO_SNDBUF, socketBuffers);
            }
            HttpServer server = builder.start();
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Client client = new Client(where + " client " + i, i, new Random(random.nextLong()), server.port(),
                        limits.maxBodySize(), errors);
                runs.add(threads.submit(() -> {
                    client.run();
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                result(run, where);
            }
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> server.connectionCount() == 0);
            server.close();
        }
    }

    /** Waits for {@code run}; its failure fails the test, an assertion as it is. */
    static void result(Future<?> run, String where) throws Exception {
        try {
            run.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError(where + ": failed", e.getCause());
        }
    }

    // ---- the server's side ----

    private Router routes() {
        Router router = new Router();
        for (String method : new String[] {HttpMethod.GET, HttpMethod.POST}) {
            router.route(method, "/sync/{id}", request -> {
                if (param(request, "fail") == 1) {
                    throw new PlannedFailure();
                }
                return answer(request, request.body());
            });
            router.routeAsync(method, "/async/{id}", request -> answerLater(request, answer(request, request.body())));
            router.routeStreaming(method, "/in/{id}", CrcReceiver::new);
            router.route(method, "/out/{id}", request -> {
                CRC32 crc = new CRC32();
                crc.update(request.body());
                byte[] answer = Answers.of(request.method(), request.target(), request.body().length, crc.getValue(),
                        param(request, "size"));
                int[] cuts = Answers.cuts(request.target(), answer.length, param(request, "pieces"));
                boolean fromThread = param(request, "thread") == 1;
                return bye(request, HttpResponse.stream("application/octet-stream", writer -> {
                    if (param(request, "fail") == 1) {
                        writer.write(ByteBuffer.wrap(answer, 0, answer.length / 2));
                        writer.fail(new PlannedFailure());
                    } else if (fromThread) {
                        writeFromThread(writer, answer, cuts, 0, param(request, "wait"));
                    } else {
                        pump(writer, answer, cuts, 0);
                    }
                }));
            });
        }
        return router;
    }

    private static HttpResponse answer(HttpRequest request, byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return answer(request, body.length, crc.getValue());
    }

    /** The answer to {@code request}; with {@code bye=1} it closes the connection. */
    private static HttpResponse answer(HttpRequest request, long bodyLength, long crc) {
        HttpResponse response = HttpResponse.bytes(Answers.of(request.method(), request.target(), bodyLength, crc,
                param(request, "size")), "application/octet-stream");
        return bye(request, response);
    }

    private static HttpResponse bye(HttpRequest request, HttpResponse response) {
        return param(request, "bye") == 1 ? response.header(HeaderNames.CONNECTION, "close") : response;
    }

    private static int param(HttpRequest request, String name) {
        String value = request.queryParam(name);
        return value == null ? 0 : Integer.parseInt(value);
    }

    /**
     * A stage completing with {@code response}, or failing if the target says {@code fail=1}: at
     * once if the target has no {@code wait}, else that many microseconds later on another thread.
     */
    private CompletionStage<HttpResponse> answerLater(HttpRequest request, HttpResponse response) {
        CompletableFuture<HttpResponse> stage = new CompletableFuture<>();
        Runnable complete = () -> {
            if (param(request, "fail") == 1) {
                stage.completeExceptionally(new PlannedFailure());
            } else {
                stage.complete(response);
            }
        };
        if (request.queryParam("wait") == null) {
            complete.run();
        } else {
            scheduler.schedule(complete, param(request, "wait"), TimeUnit.MICROSECONDS);
        }
        return stage;
    }

    /** A handler's failure the test asks for (without a stack trace, which would only fill the log). */
    private static final class PlannedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PlannedFailure() {
            super("a failure the test asked for", null, false, false);
        }
    }

    /** Writes pieces while the connection takes them, then goes on when it is writable (loop thread). */
    private static void pump(BodyWriter writer, byte[] answer, int[] cuts, int next) {
        for (int i = next; i < cuts.length - 1; i++) {
            if (!writer.isWritable()) {
                int resumeAt = i;
                writer.onWritable(() -> pump(writer, answer, cuts, resumeAt));
                return;
            }
            writer.write(ByteBuffer.wrap(answer, cuts[i], cuts[i + 1] - cuts[i]));
        }
        writer.end();
    }

    /** Writes one piece at a time from the scheduler's threads, the first {@code micros} from now. */
    private void writeFromThread(BodyWriter writer, byte[] answer, int[] cuts, int next, int micros) {
        scheduler.schedule(() -> {
            if (next == cuts.length - 1) {
                writer.end();
                return;
            }
            writer.write(ByteBuffer.wrap(answer, cuts[next], cuts[next + 1] - cuts[next]));
            writeFromThread(writer, answer, cuts, next + 1, 0);
        }, micros, TimeUnit.MICROSECONDS);
    }

    /** Takes a body piece by piece (failing on the first with {@code fail=1}); answers like {@link #answerLater}. */
    private final class CrcReceiver implements BodyReceiver {
        private final HttpRequest request;
        private final CRC32 crc = new CRC32();
        private long bytes;

        CrcReceiver(HttpRequest request) {
            this.request = request;
        }

        @Override
        public void onData(ByteBuffer data) {
            if (param(request, "fail") == 1) {
                throw new PlannedFailure();
            }
            bytes += data.remaining();
            crc.update(data);
        }

        @Override
        public CompletionStage<HttpResponse> onEnd(HttpHeaders trailers) {
            return answerLater(request, answer(request, bytes, crc.getValue()));
        }
    }

    /** What every route answers, computed alike by the server and the client. */
    static final class Answers {

        private Answers() {
        }

        /** The request's line, body length and CRC, then {@code size} bytes that depend on the target. */
        static byte[] of(String method, String target, long bodyLength, long crc, int size) {
            byte[] line = (method + " " + target + " body=" + bodyLength + " crc=" + Long.toHexString(crc) + "\n")
                    .getBytes(ISO_8859_1);
            byte[] answer = Arrays.copyOf(line, line.length + size);
            int salt = target.hashCode();
            for (int i = 0; i < size; i++) {
                answer[line.length + i] = (byte) (i * 31 + (i >>> 9) + salt);
            }
            return answer;
        }

        /** Where a streamed answer of {@code length} bytes is cut into {@code pieces} (some may be empty). */
        static int[] cuts(String target, int length, int pieces) {
            Random random = new Random(target.hashCode());
            int[] cuts = new int[pieces + 1];
            for (int i = 1; i < pieces; i++) {
                cuts[i] = random.nextInt(length + 1);
            }
            cuts[pieces] = length;
            Arrays.sort(cuts);
            return cuts;
        }
    }

    // ---- the client's side ----

    enum Kind { SYNC, ASYNC, IN, OUT, MISSING, BROKEN }

    /** One request, its bytes, and what must come back. */
    record Request(Kind kind, String method, String target, boolean http10, byte[] head, byte[] body,
            boolean chunked, boolean expect, boolean continues, boolean closes, int status, byte[] answer, boolean cut,
            boolean readToTheEnd) {

        byte[] wire() {
            byte[] wire = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, wire, head.length, body.length);
            return wire;
        }

        boolean isHead() {
            return method.equals(HttpMethod.HEAD);
        }

        /**
         * Whether the client waits for {@code 100 Continue} (or a final answer) before sending the
         * body; {@link #continues} says which must come.
         */
        boolean waitsForContinue() {
            return expect && body.length > 0;
        }

        @Override
        public String toString() {
            return (kind == Kind.BROKEN ? "broken " : "") + method + " " + target + (http10 ? " HTTP/1.0" : "")
                    + (chunked ? " chunked" : "") + " body " + (chunked ? "~" : "") + body.length + (expect ? " expect" : "")
                    + (closes ? " closes" : "");
        }
    }

    /** Told whether the body of a request that waits for {@code 100 Continue} is to be sent. */
    @FunctionalInterface
    private interface Continued {
        void bodyGoes(boolean sendBody) throws IOException;
    }

    /** Bytes to write in one go or in pieces, after {@code gate} (if any) says the body may go. */
    private record Segment(byte[] bytes, List<Integer> requestEnds, CompletableFuture<Boolean> gate) {
    }

    /** A plain blocking client: sessions of requests, each on a connection of its own, each answer checked. */
    private final class Client {
        private final String where;
        private final int number;
        private final Random random;
        private final int port;
        private final long maxBody;
        private final ErrorAnswers errors;
        private int counter;

        Client(String where, int number, Random random, int port, long maxBody, ErrorAnswers errors) {
            this.where = where;
            this.number = number;
            this.random = random;
            this.port = port;
            this.maxBody = maxBody;
            this.errors = errors;
        }

        void run() throws Exception {
            int requests = 30 + random.nextInt(60);
            int sent = 0;
            while (sent < requests) {
                boolean pipelined = random.nextInt(3) != 0;
                List<Request> session = new ArrayList<>();
                int length = 1 + random.nextInt(random.nextBoolean() ? 40 : 8);
                while (session.size() < length && sent < requests) {
                    Request request = request();
                    session.add(request);
                    sent++;
                    if (request.closes()) {
                        break;
                    }
                }
                boolean halfClose = !session.get(session.size() - 1).closes() && random.nextInt(4) == 0;
                if (pipelined) {
                    pipelined(session, halfClose);
                } else {
                    oneAtATime(session, halfClose);
                }
            }
        }

        /**
         * Writes the session as it comes, stopping only before the body of a request that waits for
         * {@code 100 Continue}, while another thread reads and checks the answers.
         */
        private void pipelined(List<Request> session, boolean halfClose) throws Exception {
            Request last = session.get(session.size() - 1);
            List<CompletableFuture<Boolean>> gates = new ArrayList<>();
            List<Segment> segments = new ArrayList<>();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<Integer> ends = new ArrayList<>();
            CompletableFuture<Boolean> gate = null;
            for (Request request : session) {
                CompletableFuture<Boolean> continued = new CompletableFuture<>();
                gates.add(continued);
                if (request.waitsForContinue()) {
                    bytes.writeBytes(request.head());
                    ends.add(bytes.size());
                    segments.add(new Segment(bytes.toByteArray(), ends, gate));
                    bytes.reset();
                    ends = new ArrayList<>();
                    gate = continued;
                    bytes.writeBytes(request.body());
                } else {
                    bytes.writeBytes(request.wire());
                }
                ends.add(bytes.size());
            }
            int lastSegmentMustArrive = bytes.size();
            if (last.closes() && random.nextInt(4) == 0) {
                // After the last request, one the server must never answer.
                bytes.writeBytes(("GET /sync/after-close HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(ISO_8859_1));
            }
            segments.add(new Segment(bytes.toByteArray(), ends, gate));

            String at = where + " pipelined" + (halfClose ? ", half-closed, " : " ") + session;
            try (WireClient client = connect()) {
                Future<?> reader = threads.submit(() -> {
                    try {
                        for (int i = 0; i < session.size(); i++) {
                            Request request = session.get(i);
                            check(at + " #" + i, request, answer(client, request, gates.get(i)::complete),
                                    halfClose && i == session.size() - 1);
                        }
                        if ((last.closes() || halfClose) && !last.readToTheEnd()) {
                            assertClosed(at, client);
                        }
                    } finally {
                        gates.forEach(g -> g.complete(false));
                    }
                    return null;
                });
                int mode = random.nextInt(3);
                for (int s = 0; s < segments.size(); s++) {
                    Segment segment = segments.get(s);
                    if (segment.gate() != null && !segment.gate().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    int offset = 0;
                    try {
                        for (int next = 0; offset < segment.bytes().length; ) {
                            int end = switch (mode) {
                                case 0 -> segment.bytes().length;
                                case 1 -> next < segment.requestEnds().size() ? segment.requestEnds().get(next++) : segment.bytes().length;
                                default -> Math.min(segment.bytes().length, offset
                                        + Math.max(1 + random.nextInt(1 << random.nextInt(17)), segment.bytes().length / 200));
                            };
                            client.send(Arrays.copyOfRange(segment.bytes(), offset, end));
                            offset = end;
                        }
                    } catch (IOException e) {
                        if (s < segments.size() - 1 || offset < lastSegmentMustArrive) {
                            throw new AssertionError(at + ": the server stopped taking requests", e);
                        }
                    }
                }
                if (halfClose) {
                    client.socket().shutdownOutput();
                }
                result(reader, at);
            }
        }

        /**
         * Reads the answer to {@code request}; if it waits to send its body, first tells
         * {@code continued} whether a {@code 100 Continue} came (then the body is to be sent) or
         * the final answer at once.
         */
        private WireClient.Response answer(WireClient client, Request request, Continued continued) throws IOException {
            WireClient.Response response = request.waitsForContinue() ? client.read(request.isHead()) : read(client, request);
            if (request.waitsForContinue()) {
                boolean sendBody = response.status() == 100;
                if (sendBody != request.continues()) {
                    continued.bodyGoes(false);
                    throw new AssertionError(where + ": " + request + (sendBody ? " got" : " did not get") + " 100 Continue");
                }
                continued.bodyGoes(sendBody);
                if (sendBody) {
                    response = read(client, request);
                }
            }
            return response;
        }

        /** One request at a time, each answer read before the next request is written. */
        private void oneAtATime(List<Request> session, boolean halfClose) throws IOException {
            String at = where + " one at a time" + (halfClose ? ", half-closed, " : " ") + session;
            try (WireClient client = connect()) {
                for (int i = 0; i < session.size(); i++) {
                    Request request = session.get(i);
                    try {
                        exchange(client, request, at + " #" + i);
                    } catch (IOException e) {
                        throw new AssertionError(at + " #" + i + ": " + request, e);
                    }
                }
                Request last = session.get(session.size() - 1);
                if (halfClose) {
                    client.socket().shutdownOutput();
                }
                if ((last.closes() || halfClose) && !last.readToTheEnd()) {
                    assertClosed(at, client);
                }
            }
        }

        private void exchange(WireClient client, Request request, String at) throws IOException {
            if (request.waitsForContinue()) {
                client.send(request.head());
                check(at, request, answer(client, request, sendBody -> {
                    if (sendBody) {
                        sendInPieces(client, request.body());
                    }
                }), false);
            } else {
                sendInPieces(client, request.wire());
                check(at, request, read(client, request), false);
            }
        }

        /** The final answer to {@code request}; null if it was cut short, as it had to be. */
        private WireClient.Response read(WireClient client, Request request) throws IOException {
            if (!request.cut()) {
                return client.read(request.isHead());
            }
            try {
                WireClient.Response response = client.read(request.isHead());
                throw new AssertionError(where + ": " + request + " answered whole: " + response.status() + " " + response.headers());
            } catch (IOException expected) {
                return null;
            }
        }

        /** A connection whose small writes leave at once (Nagle's delays would only slow the run down). */
        private WireClient connect() throws IOException {
            WireClient client = WireClient.connect(port);
            client.socket().setTcpNoDelay(true);
            return client;
        }

        private void sendInPieces(WireClient client, byte[] bytes) throws IOException {
            if (random.nextBoolean()) {
                client.send(bytes);
                return;
            }
            for (int offset = 0; offset < bytes.length; ) {
                int end = Math.min(bytes.length, offset + Math.max(1 + random.nextInt(1 << random.nextInt(17)), bytes.length / 50));
                client.send(Arrays.copyOfRange(bytes, offset, end));
                offset = end;
            }
        }

        private void assertClosed(String at, WireClient client) throws IOException {
            if (!client.closedByServer()) {
                throw new AssertionError(at + ": the server did not close the connection after the last answer");
            }
        }

        /**
         * The answer to {@code request}: status, framing, persistence and every byte. The last answer
         * on a connection the client half-closed may say {@code Connection: close} (if the end of
         * the input came before it was written).
         */
        private void check(String at, Request request, WireClient.Response response, boolean lastOfHalfClosed) {
            if (response == null) {
                return; // cut short
            }
            String about = at + ": " + request + " answered " + response.status() + " " + response.headers();
            expect(response.status() == request.status(), about);
            String connection = request.closes() ? "close" : request.http10() ? "keep-alive" : null;
            String said = response.header("Connection");
            expect(java.util.Objects.equals(connection, said) || (lastOfHalfClosed && "close".equals(said)),
                    about + ": Connection should be " + connection);
            if (request.status() != 200) {
                String error = errors.body(request.status());
                expect(error == null || request.isHead() || error.equals(response.text()), about + ": " + response.text());
                return;
            }
            boolean chunkedAnswer = request.kind() == Kind.OUT && !request.http10();
            expect(chunkedAnswer == "chunked".equals(response.header("Transfer-Encoding")), about + ": framing");
            if (request.isHead()) {
                expect(response.body().length == 0, about + ": a body to HEAD");
                if (request.kind() != Kind.OUT) {
                    expect(String.valueOf(request.answer().length).equals(response.header("Content-Length")), about + ": length");
                }
                return;
            }
            if (!Arrays.equals(request.answer(), response.body())) {
                int common = Arrays.mismatch(request.answer(), response.body());
                throw new AssertionError(about + ": the body differs at byte " + common + " of " + request.answer().length
                        + " (got " + response.body().length + "): "
                        + new String(response.body(), 0, Math.min(200, response.body().length), ISO_8859_1));
            }
        }

        private void expect(boolean condition, String message) {
            if (!condition) {
                throw new AssertionError(message);
            }
        }

        // ---- requests ----

        /** A random valid request, or now and then a broken one. */
        private Request request() {
            String id = "c" + number + "r" + counter++;
            if (random.nextInt(40) == 0) {
                return broken(id);
            }
            Kind kind = Kind.values()[random.nextInt(Kind.BROKEN.ordinal())];
            int pick = random.nextInt(10);
            String method = pick < 4 ? HttpMethod.GET : pick < 5 ? HttpMethod.HEAD : HttpMethod.POST;
            boolean http10 = random.nextInt(15) == 0;
            boolean hasBody = method.equals(HttpMethod.POST) || (method.equals(HttpMethod.GET) && random.nextInt(10) == 0);
            boolean chunked = hasBody && !http10 && random.nextInt(3) == 0;
            byte[] content = hasBody ? bytes(size(random.nextInt(4) == 0)) : new byte[0];
            boolean expect = !http10 && hasBody && random.nextInt(4) == 0;
            boolean close = random.nextInt(30) == 0;
            boolean keepAlive10 = http10 && random.nextBoolean();
            boolean bye = kind != Kind.MISSING && random.nextInt(30) == 0;
            boolean fail = kind != Kind.MISSING && (kind != Kind.OUT || !http10) && random.nextInt(80) == 0;

            StringBuilder target = new StringBuilder("/" + kind.name().toLowerCase(java.util.Locale.ROOT) + "/" + id);
            int size = size(random.nextInt(3) == 0);
            target.append("?size=").append(size);
            if (random.nextBoolean()) {
                target.append("&wait=").append(random.nextInt(500));
            }
            if (kind == Kind.OUT) {
                target.append("&pieces=").append(1 + random.nextInt(random.nextBoolean() ? 4 : 40));
                target.append("&thread=").append(random.nextInt(3) == 0 ? 1 : 0);
            }
            if (bye) {
                target.append("&bye=1");
            }
            if (fail) {
                target.append("&fail=1");
            }

            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
            head.append("Host: test\r\n");
            if (close) {
                head.append("Connection: close\r\n");
            } else if (keepAlive10) {
                head.append("Connection: keep-alive\r\n");
            }
            if (expect) {
                head.append("Expect: 100-continue\r\n");
            }
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (hasBody) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] body = chunked ? chunkedBody(content) : content;

            // A body gathered for a handler may be too large: known from the head, or found as it comes if chunked.
            boolean tooLarge = kind != Kind.MISSING && kind != Kind.IN && content.length > maxBody;
            // A handler that runs and fails: a streamed answer is cut short (the connection closes in the
            // middle of its body); any other is answered 500 in place of the handler's answer (and its bye).
            boolean cut = fail && !tooLarge && kind == Kind.OUT && !method.equals(HttpMethod.HEAD);
            boolean answers500 = fail && !tooLarge && kind != Kind.OUT;
            // Answered before its body, a body the client is surely sending, announced and small, is dropped;
            // one it waits to send, a chunked one, or a large one closes the connection.
            // A receiver failing on the first piece answers before the rest, after the 100 Continue.
            boolean failsEarly = fail && kind == Kind.IN && content.length > 0;
            boolean answeredBeforeBody = kind == Kind.MISSING || (tooLarge && !chunked);
            boolean dropped = (!expect || failsEarly) && !chunked && content.length <= maxBody;
            int status = kind == Kind.MISSING ? 404 : tooLarge ? 413 : answers500 ? 500 : 200;
            // A streamed answer to HTTP/1.0 is not chunked: its body ends with the connection.
            boolean streamed = status == 200 ? kind == Kind.OUT : errors.streams();
            boolean readToTheEnd = streamed && http10 && !method.equals(HttpMethod.HEAD);
            boolean closes = close || (bye && !answers500) || (http10 && !keepAlive10) || tooLarge || cut || readToTheEnd
                    || ((answeredBeforeBody || failsEarly) && (chunked || content.length > 0) && !dropped)
                    || (status != 200 && errors.closes(http10, method.equals(HttpMethod.HEAD)));
            CRC32 crc = new CRC32();
            crc.update(content);
            byte[] answer = Answers.of(method, target.toString(), content.length, crc.getValue(), size);
            return new Request(kind, method, target.toString(), http10, head.toString().getBytes(ISO_8859_1), body,
                    chunked, expect, !answeredBeforeBody, closes, status, answer, cut, readToTheEnd);
        }

        /** A request the server refuses with 400 and then closes: in its head, or in its chunked body. */
        private Request broken(String id) {
            Kind route = Kind.values()[random.nextInt(Kind.MISSING.ordinal())];
            String target = "/" + route.name().toLowerCase(java.util.Locale.ROOT) + "/" + id;
            String head = switch (random.nextInt(3)) {
                case 0 -> "GET " + target + " HTTP/1.1\r\n\r\n";
                case 1 -> "POST " + target + " HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
                default -> "POST " + target + " HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n";
            };
            String body = head.startsWith("GET") ? "" : "5\r\nhello\r\nzz\r\n";
            return new Request(Kind.BROKEN, head.substring(0, 4).strip(), target, false, head.getBytes(ISO_8859_1),
                    body.getBytes(ISO_8859_1), true, false, false, true, 400, null, false, false);
        }

        /** From empty to past 64 KiB; {@code large} often past it. */
        private int size(boolean large) {
            if (large) {
                return random.nextInt(8) == 0 ? 64 * 1024 + random.nextInt(100_000) : random.nextInt(20_000);
            }
            return random.nextInt(4) == 0 ? 0 : random.nextInt(300);
        }

        private byte[] chunkedBody(byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int offset = 0;
            while (offset < content.length) {
                int n = Math.min(content.length - offset, 1 + random.nextInt(1 << random.nextInt(17)));
                out.writeBytes((Integer.toHexString(n) + (random.nextInt(8) == 0 ? ";ext=1" : "") + "\r\n").getBytes(ISO_8859_1));
                out.write(content, offset, n);
                out.writeBytes("\r\n".getBytes(ISO_8859_1));
                offset += n;
            }
            out.writeBytes((random.nextInt(6) == 0 ? "0\r\nX-Trailer: t\r\n\r\n" : "0\r\n\r\n").getBytes(ISO_8859_1));
            return out.toByteArray();
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }
    }
}
