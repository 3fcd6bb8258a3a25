package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import io.eddy.http.codec.DecoderFuzzTest;
import io.eddy.http.codec.RequestPart;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.awaitility.Awaitility.await;

/**
 * Seeded random runs of well-behaved and hostile clients on one server at once, over loopback.
 * Each connection sends a batch of requests from {@link DecoderFuzzTest}'s generator: as generated,
 * mutated, cut short, or replaced by random bytes; most then close their output, some leave a head
 * half sent and the connection open until the end of the run. The server echoes every request
 * (method, target, body length and CRC) on every path for every method it has routes for; per
 * run it has random limits and leniencies (those of {@link DecoderFuzzTest.Config}, and now and then
 * a small {@code maxBodySize}) and answers errors its own way (by default, streamed, large, or
 * with {@code Connection: close}).
 *
 * <p>What the server must answer is worked out from what the decoder makes of the same bytes in
 * memory and from the server's documented rules: each request answered in order (its route's
 * status, {@code 100 Continue} first when it waits for one and its body will be read, 413 for a
 * body over the limit, as soon as it is known), the connection closed after a request that ends it
 * (no keep-alive, an answer before a body the server cannot drop, an error answer that closes) or
 * after the error that stops the decoder (which answers a body it cuts); nothing after that.
 * Every answer must be that, byte for byte where it is an echo or a known error body; a connection
 * that is to end must end right after its last answer; and once every client has closed, the
 * server must count no connection.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileMixTest {

    private static final int SEEDS = 20;
    private static final int CLIENTS = 12;
    private static final int CONNECTIONS = 8;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.TRACE};

    private ExecutorService threads;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @BeforeEach
    void startThreads() {
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void answersEveryConnectionAsItsBytesDeserveWhateverTheOthersSend(long seed) throws Exception {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L);
        Router router = new Router();
        for (String method : METHODS) {
            router.route(method, "/{path...}", OwedAnswers::echo);
        }
        ErrorAnswers errors = ErrorAnswers.random(random);
        DecoderFuzzTest.Config config = config(random);
        Queue<WireClient> leftOpen = new ConcurrentLinkedQueue<>();
        try (EventLoop loop = EventLoop.start("hostile-mix-" + seed)) {
            HttpServer server = HttpServer.on(loop).bind(TestServer.HOST, 0).router(router).errorHandler(errors)
                    .limits(config.limits()).leniencies(config.leniencies()).start();
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String where = "seed " + seed + " (errors " + errors + ", " + config + ", maxBodySize "
                        + config.limits().maxBodySize() + ") client " + i;
                Random own = new Random(random.nextLong());
                runs.add(threads.submit(() -> {
                    for (int c = 0; c < CONNECTIONS; c++) {
                        connection(where + " connection " + c, own, server.port(), router, config, errors, leftOpen);
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> run : runs) {
                    RandomizedPipelineTest.result(run, "seed " + seed);
                }
            } finally {
                for (WireClient client : leftOpen) {
                    client.close();
                }
            }
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> server.connectionCount() == 0);
            server.close();
        }
    }

    /** The decoder's limits and leniencies of a run, and now and then a small {@code maxBodySize}. */
    private static DecoderFuzzTest.Config config(Random random) {
        DecoderFuzzTest.Config config = DecoderFuzzTest.Config.random(random);
        if (random.nextInt(3) != 0) {
            return config;
        }
        return new DecoderFuzzTest.Config(config.limits().withMaxBodySize(random.nextInt(200)), config.leniencies());
    }

    /** One connection: a batch, as generated or not, sent; its answers read and checked. */
    private static void connection(String where, Random random, int port, Router router, DecoderFuzzTest.Config config,
            ErrorAnswers errors, Queue<WireClient> leftOpen) throws IOException {
        DecoderFuzzTest.Batch batch = DecoderFuzzTest.Generator.batch(random);
        byte[] wire;
        boolean keepOpen = false;
        String kind;
        switch (random.nextInt(8)) {
            case 0, 1, 2 -> {
                kind = "as generated";
                wire = batch.wire();
            }
            case 3, 4 -> {
                kind = "mutated";
                wire = DecoderFuzzTest.Mutator.mutate(random, batch.wire());
            }
            case 5 -> {
                kind = "random bytes";
                wire = new byte[1 + random.nextInt(300)];
                random.nextBytes(wire);
            }
            case 6 -> {
                kind = "cut short";
                wire = Arrays.copyOf(batch.wire(), random.nextInt(batch.wire().length));
            }
            default -> {
                kind = "cut short, left open";
                wire = Arrays.copyOf(batch.wire(), random.nextInt(batch.wire().length));
                keepOpen = true;
            }
        }
        String at = where + " (" + kind + ")";
        DecoderFuzzTest.Outcome outcome = DecoderFuzzTest.decode(wire, config, null, at);
        List<OwedAnswers.Answer> answers = OwedAnswers.of(outcome, router, config.limits().maxBodySize(), errors);
        String about = at + ", expecting " + answers + "\n" + DecoderFuzzTest.show(wire);

        WireClient client = WireClient.connect(port);
        if (keepOpen) {
            leftOpen.add(client); // closed at the end of the run
        }
        try {
            sendInPieces(client, wire, random);
            if (!keepOpen) {
                client.socket().shutdownOutput();
            }
            for (int i = 0; i < answers.size(); i++) {
                OwedAnswers.check(about + "\nanswer #" + i, answers.get(i), client, !keepOpen && i == answers.size() - 1);
            }
            boolean ends = !keepOpen || (!answers.isEmpty() && answers.get(answers.size() - 1).closes());
            if (ends && !client.closedByServer()) {
                throw new AssertionError(about + "\nthe connection did not end after the last answer");
            }
        } catch (IOException e) {
            throw new AssertionError(about, e);
        } finally {
            if (!keepOpen) {
                client.close();
            }
        }
    }

    private static void sendInPieces(WireClient client, byte[] wire, Random random) throws IOException {
        client.socket().setTcpNoDelay(true);
        if (random.nextBoolean()) {
            client.send(wire);
            return;
        }
        for (int offset = 0; offset < wire.length; ) {
            int end = Math.min(wire.length, offset + 1 + random.nextInt(1 << random.nextInt(12)));
            client.send(Arrays.copyOfRange(wire, offset, end));
            offset = end;
        }
    }

}
