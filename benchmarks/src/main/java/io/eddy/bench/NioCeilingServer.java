package io.eddy.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

/**
 * The ceiling of the HTTP rows: a hand-written HTTP plaintext server on {@code java.nio} alone, no
 * framework, to show what the JDK allows on the machine. One loop, one {@link Selector}, one direct
 * read buffer for every connection; each read is scanned for the ends of request heads
 * ({@code \r\n\r\n}, remembered across reads), and as many copies of one precomputed response go
 * back in one gathering write. It parses nothing else: no method, no path, no header, no body; it
 * answers every request head, so it serves only the load's {@code GET /plaintext}.
 *
 * <p>Its answer is {@link PlaintextServer}'s byte for byte but for the server's name (of the same
 * length) and the date: {@code Content-Type}, {@code Server}, {@code Date} (formatted again when
 * the second changes, as the other servers' is), {@code Content-Length}, {@code Hello, World!}.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NioCeilingServer --port N}. Threading: the main
 * thread is the loop and does everything.
 */
public final class NioCeilingServer extends NioCeiling {

    /** The server's name: as long as {@code Eddy}, so the answers are as long as Eddy's. */
    static final String NAME = "jnio";
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final String HEAD_BEFORE_DATE = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Server: " + NAME + "\r\nDate: ";
    private static final String REST = "\r\nContent-Length: " + PlaintextRequest.BODY.length() + "\r\n\r\n"
            + PlaintextRequest.BODY;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    /** The answer; its date rewritten in place when the second changes. */
    private final ByteBuffer response = ByteBuffer.allocateDirect(answer(0).length);
    /** Views of {@link #response}, one per answer of a read, for the gathering write. */
    private ByteBuffer[] answers = new ByteBuffer[0];
    private long second = -1;

    private NioCeilingServer(Selector selector, ServerSocketChannel listener) {
        super(selector, listener);
    }

    /** Binds {@code port} (0: any free port); serves once {@link #run} runs. */
    static NioCeilingServer open(int port) throws IOException {
        Selector selector = Selector.open();
        return new NioCeilingServer(selector, listen(selector, port));
    }

    /** {@code --port N} (0: any free port); prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws IOException {
        NioCeiling.main(args, NioCeilingServer::open);
    }

    /** The whole answer at {@code epochMillis}. */
    static byte[] answer(long epochMillis) {
        return (HEAD_BEFORE_DATE + IMF_FIXDATE.format(Instant.ofEpochSecond(epochMillis / 1000)) + REST)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Rewrites the date when the second changed; wakes at least once a second, so it moves on an idle server too. */
    @Override
    long beforeSelect() {
        long now = System.currentTimeMillis();
        if (now / 1000 != second) {
            second = now / 1000;
            response.clear();
            response.put(answer(now)).flip();
        }
        return 1000;
    }

    @Override
    void onReady(SelectionKey key) throws IOException {
        if (key.isAcceptable()) {
            acceptAll((ServerSocketChannel) key.channel(), selector);
            return;
        }
        SocketChannel channel = (SocketChannel) key.channel();
        Pending pending = (Pending) key.attachment();
        try {
            if (!pending.mayRead(key)) {
                return;
            }
            in.clear();
            if (channel.read(in) < 0) {
                channel.close();
                return;
            }
            int heads = countHeads(pending, in.flip());
            if (heads > 0) {
                respond(key, channel, pending, heads);
            }
        } catch (IOException e) {
            drop(key);
        }
    }

    /** Counts the request heads that end in {@code read}, carrying a partial end over to the next read. */
    private static int countHeads(Pending pending, ByteBuffer read) {
        int heads = 0;
        int m = pending.matched;
        for (int i = read.position(), end = read.limit(); i < end; i++) {
            byte b = read.get(i);
            if (b == HEAD_END[m]) {
                if (++m == HEAD_END.length) {
                    heads++;
                    m = 0;
                }
            } else {
                m = b == '\r' ? 1 : 0;
            }
        }
        pending.matched = m;
        return heads;
    }

    /** One gathering write of {@code heads} answers; what the socket does not take waits for it. */
    private void respond(SelectionKey key, SocketChannel channel, Pending pending, int heads) throws IOException {
        if (answers.length < heads) {
            int old = answers.length;
            answers = Arrays.copyOf(answers, Math.max(heads, 2 * old));
            for (int i = old; i < answers.length; i++) {
                answers[i] = response.duplicate();
            }
        }
        long total = (long) heads * response.limit();
        for (int i = 0; i < heads; i++) {
            answers[i].limit(response.limit()).position(0);
        }
        if (channel.write(answers, 0, heads) < total) {
            pending.keep(key, answers, heads);
        }
    }
}
