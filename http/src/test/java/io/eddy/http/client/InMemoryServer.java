package io.eddy.http.client;

import io.eddy.core.codec.Codec;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.testing.TestChannel;
import io.eddy.core.testing.TestLoop;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.codec.ClientResponsePart;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An origin server played in memory, for the client's pool: a client built with {@link #client()}
 * lives on this server's {@link TestLoop} and opens its connections through the {@link Connector}
 * seam, each one a {@link TestChannel} on that loop. The test reads the bytes the client wrote on a
 * connection ({@link #request}), answers with response bytes ({@link #answer}), closes a connection
 * from the server's side, and moves virtual time ({@link #advance}): no socket, no thread, no real
 * waiting.
 *
 * <p>The pool asks for a connection during a loop cycle, and a channel opens in a cycle of its own,
 * so a connect is taken when the test next drives the loop through this server ({@link #run},
 * {@link #advance}, {@link #answer}, {@link #closeFromServer}): accepted, refused, or left hanging
 * until {@link #completeHangingConnects()}, as {@link #onConnect} last said.
 *
 * <p>Threading: the test's thread only, which is the loop's thread.
 */
final class InMemoryServer implements Connector, AutoCloseable {

    /** What happens to the next connects. */
    enum ConnectOutcome { ACCEPT, FAIL, HANG }

    /** A connect the pool asked for and the server has not opened or failed yet. */
    private record Asked(boolean tls, Codec<ClientResponsePart, ClientRequestPart> codec,
                         Handler<ClientResponsePart, ClientRequestPart> handler,
                         CompletableFuture<Connection<ClientRequestPart>> future) {
    }

    private final TestLoop loop = new TestLoop();
    private final ArrayDeque<Asked> asked = new ArrayDeque<>();
    private final List<Asked> hanging = new ArrayList<>();
    private final List<TestChannel<ClientResponsePart, ClientRequestPart>> connections = new ArrayList<>();
    /** Whether each connection opened was asked for over TLS, in the order opened. */
    private final List<Boolean> overTls = new ArrayList<>();
    private ConnectOutcome outcome = ConnectOutcome.ACCEPT;
    private IOException connectFailure = new ConnectException("Connection refused");
    private int connects;

    /** A URL of this server's origin; the name is never resolved. */
    static String url(String path) {
        return "http://origin.test:8080" + path;
    }

    /** A client builder on this server's loop, connecting here. */
    HttpClient.Builder client() {
        return HttpClient.on(loop.eventLoop()).connector(this);
    }

    TestLoop loop() {
        return loop;
    }

    /** {@code client} sends {@code request}; the loop then runs until nothing is left to do now. */
    CompletableFuture<Response> send(HttpClient client, Request request) {
        CompletableFuture<Response> call = client.send(request);
        run();
        return call;
    }

    /** {@code client} sends a GET of {@code path} on this server's origin, as {@link #send} does. */
    CompletableFuture<Response> get(HttpClient client, String path) {
        return send(client, Request.get(url(path)));
    }

    /** The next connects are accepted, fail (with a refusal), or hang. */
    InMemoryServer onConnect(ConnectOutcome next) {
        this.outcome = next;
        return this;
    }

    /** The next connects fail with {@code cause}. */
    InMemoryServer failConnects(IOException cause) {
        this.connectFailure = cause;
        return onConnect(ConnectOutcome.FAIL);
    }

    @Override
    public CompletableFuture<Connection<ClientRequestPart>> connect(String host, int port, boolean tls,
                                                                    Codec<ClientResponsePart, ClientRequestPart> codec,
                                                                    Handler<ClientResponsePart, ClientRequestPart> handler) {
        var future = new CompletableFuture<Connection<ClientRequestPart>>();
        asked.add(new Asked(tls, codec, handler, future));
        return future;
    }

    /** Runs the loop until nothing is left to do now, taking the connects asked for on the way. */
    void run() {
        loop.runPendingTasks();
        Asked next;
        while ((next = asked.poll()) != null) {
            take(next);
            loop.runPendingTasks();
        }
    }

    /**
     * Moves virtual time forward, stopping at each timer's deadline, so that a connect asked for
     * there (a slot freed by a timeout serving a waiting request) is taken at that time too.
     */
    void advance(Duration duration) {
        run();
        Duration left = duration;
        Optional<Duration> next;
        while ((next = loop.nextTimerDelay()).isPresent() && next.get().compareTo(left) <= 0) {
            loop.advance(next.get());
            left = left.minus(next.get());
            run();
        }
        loop.advance(left);
        run();
    }

    private void take(Asked connect) {
        connects++;
        switch (outcome) {
            case ACCEPT -> open(connect);
            case FAIL -> connect.future().completeExceptionally(connectFailure);
            case HANG -> hanging.add(connect);
        }
    }

    private void open(Asked connect) {
        var channel = TestChannel.of(loop, connect.codec(), connect.handler(), ConnectionOptions.defaults());
        connections.add(channel);
        overTls.add(connect.tls());
        connect.future().complete(channel);
    }

    /** The connects left hanging complete now, in the order asked. */
    void completeHangingConnects() {
        hanging.forEach(this::open);
        hanging.clear();
        run();
    }

    /** Connects the pool asked for and the server took, accepted or not. */
    int connects() {
        return connects;
    }

    /** Connections opened so far, closed ones included. */
    int connections() {
        return connections.size();
    }

    /** Whether connection {@code index} was asked for over TLS (an https origin's). */
    boolean overTls(int index) {
        return overTls.get(index);
    }

    TestChannel<ClientResponsePart, ClientRequestPart> connection(int index) {
        return connections.get(index);
    }

    /** What the client wrote on connection {@code index} since the last look, as ISO-8859-1 text. */
    String request(int index) {
        String bytes = connection(index).readOutboundString(StandardCharsets.ISO_8859_1);
        run();
        return bytes;
    }

    /** The server writes {@code response} on connection {@code index}. */
    void answer(int index, String response) {
        connection(index).feed(response.getBytes(StandardCharsets.ISO_8859_1));
        run();
    }

    /** The server closes connection {@code index} (end of stream), as after its keep-alive timeout. */
    void closeFromServer(int index) {
        connection(index).feedEnd();
        run();
    }

    /**
     * Runs what is left (a client's closing), then lets the loop terminate; the channels on it stay
     * as they are (a test loop does not close them).
     */
    @Override
    public void close() {
        run();
        loop.close();
    }
}
