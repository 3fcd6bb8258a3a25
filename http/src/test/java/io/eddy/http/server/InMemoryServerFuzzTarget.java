package io.eddy.http.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.net.CloseReason;
import io.eddy.core.testing.FuzzInput;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import io.eddy.http.codec.DecoderFuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Coverage-guided fuzzing of the whole HTTP server on one in-memory connection
 * ({@link InMemoryHttp}: the server's connection state machine, codec and handlers on a
 * {@code TestChannel}, in virtual time). The fuzzer chooses what the client sends, the reads it
 * comes in, whether the client then ends its output or keeps the connection open, the server's
 * leniencies and limits (those of {@link DecoderFuzzTest.Config#of}, and now and then a small
 * {@code maxBodySize}) and its way of answering errors ({@link ErrorAnswers}). Every route echoes
 * its request. Whatever the bytes:
 *
 * <ul>
 *   <li>the server answers exactly what {@link OwedAnswers} says it owes for what the decoder
 *       makes of the same bytes: each request's own echo (method, target, body length and CRC:
 *       no answer carries another request's bytes), in order, the documented error answers, the
 *       connection closed where the rules close it, and not one byte more;</li>
 *   <li>nothing hangs: once virtual time has passed every timeout of the server, the connection is
 *       closed, having sent at most a {@code 408} after what it owed;</li>
 *   <li>nothing throws out of the loop: no handler, timer or task failure is logged (a warning or
 *       error from any Eddy class fails the input), and the connection never closes because its own
 *       code failed.</li>
 * </ul>
 */
class InMemoryServerFuzzTarget {

    private static final String[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.TRACE};
    /** Later than every timeout of the server: head, idle, and the connection's close timeout. */
    private static final Duration PAST_TIMEOUTS = Duration.ofMinutes(10);
    private static final Set<CloseReason.Kind> OWN_FAILURES = Set.of(CloseReason.Kind.HANDLER_FAILURE,
            CloseReason.Kind.ENCODE_ERROR, CloseReason.Kind.IO_ERROR, CloseReason.Kind.OUTBOUND_OVERFLOW);

    private static final Router ROUTER = new Router();
    private static final Logger EDDY = (Logger) LoggerFactory.getLogger("io.eddy");
    private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();

    static {
        for (String method : METHODS) {
            ROUTER.route(method, "/{path...}", OwedAnswers::echo);
        }
    }

    @BeforeAll
    static void listen() {
        LOGGED.start();
        EDDY.addAppender(LOGGED); // the tests' configuration passes warnings and errors
    }

    @AfterAll
    static void stopListening() {
        EDDY.detachAppender(LOGGED);
    }

    @FuzzTest
    void answersAnyBytesAsOwedAndNeverHangsOrThrows(byte[] data) throws IOException {
        FuzzInput input = FuzzInput.of(data);
        DecoderFuzzTest.Config config = DecoderFuzzTest.Config.of(input);
        if (input.flag(28)) {
            config = new DecoderFuzzTest.Config(config.limits().withMaxBodySize(40L * input.bits(29, 2)), config.leniencies());
        }
        ErrorAnswers errors = ErrorAnswers.values()[input.bits(26, 2)];
        boolean keepOpen = (input.cuts() & 1) != 0;
        byte[] wire = input.stream();
        DecoderFuzzTest.Config server = config;
        String where = "fuzz input (" + config + ", maxBodySize " + config.limits().maxBodySize() + ", errors " + errors
                + (keepOpen ? ", left open" : "") + ")";
        LOGGED.list.clear();

        DecoderFuzzTest.Outcome outcome = DecoderFuzzTest.decode(wire, config, null, where);
        List<OwedAnswers.Answer> answers = OwedAnswers.of(outcome, ROUTER, config.limits().maxBodySize(), errors);
        String about = where + ", expecting " + answers + "\n" + DecoderFuzzTest.show(wire);

        try (InMemoryHttp http = new InMemoryHttp(b -> b.router(ROUTER).errorHandler(errors).limits(server.limits())
                .leniencies(server.leniencies()))) {
            InMemoryHttp.Client client = http.connect();
            send(http, client, wire, input);
            if (!keepOpen) {
                client.channel.feedEnd();
            }
            byte[] sent = client.unread().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            ByteArrayInputStream in = new ByteArrayInputStream(sent);
            WireClient reader = WireClient.reading(in);
            try {
                for (int i = 0; i < answers.size(); i++) {
                    OwedAnswers.check(about + "\nanswer #" + i, answers.get(i), reader, !keepOpen && i == answers.size() - 1);
                }
            } catch (IOException e) {
                throw new AssertionError(about + "\nthe server sent\n" + DecoderFuzzTest.show(sent), e);
            }
            if (in.available() > 0) {
                throw new AssertionError(about + "\nthe server sent more than it owed:\n"
                        + DecoderFuzzTest.show(Arrays.copyOfRange(sent, sent.length - in.available(), sent.length)));
            }
            boolean ends = !keepOpen || (!answers.isEmpty() && answers.get(answers.size() - 1).closes());
            if (ends && client.channel.isOpen()) {
                throw new AssertionError(about + "\nthe connection did not end after the last answer");
            }

            http.advance(PAST_TIMEOUTS);
            String late = client.unread().substring(sent.length); // unread() still holds what was checked above
            if (client.channel.isOpen()) {
                throw new AssertionError(about + "\nthe connection is still open " + PAST_TIMEOUTS + " later");
            }
            if (!late.isEmpty()) {
                WireClient.Response timeout = WireClient.reading(new ByteArrayInputStream(
                        late.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).read();
                if (timeout.status() != HttpStatus.REQUEST_TIMEOUT) {
                    throw new AssertionError(about + "\nafter the timeouts the server sent " + late);
                }
            }
            CloseReason reason = client.channel.closeReason();
            if (OWN_FAILURES.contains(reason.kind())) {
                throw new AssertionError(about + "\nthe connection closed with " + reason, reason.cause());
            }
        }
        // The watchdog's warnings are about this machine's pauses (a collection, a busy neighbour), not the server.
        LOGGED.list.removeIf(event -> event.getLoggerName().endsWith(".Watchdog"));
        if (!LOGGED.list.isEmpty()) {
            ILoggingEvent first = LOGGED.list.get(0);
            throw new AssertionError(about + "\nlogged " + first.getLevel() + " " + first.getFormattedMessage()
                    + (first.getThrowableProxy() == null ? "" : ": " + first.getThrowableProxy().getClassName() + ": "
                    + first.getThrowableProxy().getMessage()));
        }
    }

    /**
     * Sends {@code wire} in the fuzzer's reads, moving virtual time a little between some of them
     * (less in all than the head timeout, so what the server owes does not change).
     */
    private static void send(InMemoryHttp http, InMemoryHttp.Client client, byte[] wire, FuzzInput input) {
        Random random = new Random(input.cuts());
        long millisLeft = 5_000;
        int at = 0;
        for (int read : input.reads()) {
            if (read > 0 && at < wire.length) {
                client.channel.feedInChunks(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + read)), read);
                at += read;
            }
            if (millisLeft > 0 && random.nextInt(4) == 0) {
                long step = Math.min(millisLeft, random.nextInt(1_000));
                http.advance(Duration.ofMillis(step));
                millisLeft -= step;
            }
        }
    }
}
