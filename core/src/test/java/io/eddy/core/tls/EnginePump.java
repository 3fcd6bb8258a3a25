package io.eddy.core.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Runs a client and a server {@link SSLEngine} against each other in memory, with no sockets and
 * no threads: each turn, each side wraps what it has to send into its outgoing buffer and unwraps
 * what the other sent; delegated tasks run inline. When one side fails, its alert is still carried
 * to the other, so a test sees both sides' errors, as a real connection would.
 *
 * <p>Threading: one test thread.
 */
final class EnginePump {

    /** How a handshake ended: null errors mean the side finished it. */
    record Outcome(SSLException clientError, SSLException serverError) {

        boolean succeeded() {
            return clientError == null && serverError == null;
        }

        /** The first error of either side (the one that failed first), for assertions. */
        SSLException error() {
            return serverError != null ? serverError : clientError;
        }
    }

    // A turn with no progress on either side ends the pump; this bound only stops a bug from looping.
    private static final int MAX_TURNS = 1_000;

    private final SSLEngine client;
    private final SSLEngine server;
    private ByteBuffer clientToServer = ByteBuffer.allocate(64 * 1024);
    private ByteBuffer serverToClient = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer clientPlain = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer serverPlain = ByteBuffer.allocate(64 * 1024);
    private SSLException clientError;
    private SSLException serverError;

    private EnginePump(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
    }

    /** Runs the handshake until neither side has anything left to do. */
    static Outcome handshake(SSLEngine client, SSLEngine server) {
        EnginePump pump = new EnginePump(client, server);
        try {
            client.beginHandshake();
            server.beginHandshake();
        } catch (SSLException e) {
            throw new AssertionError("an engine refused to begin", e);
        }
        pump.run();
        Outcome outcome = new Outcome(pump.clientError, pump.serverError);
        if (outcome.succeeded() && (client.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                || server.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
            throw new AssertionError("the pump stopped mid-handshake: client " + client.getHandshakeStatus()
                    + ", server " + server.getHandshakeStatus());
        }
        return outcome;
    }

    /** A handshake that must succeed. */
    static void handshakeOrFail(SSLEngine client, SSLEngine server) {
        Outcome outcome = handshake(client, server);
        if (!outcome.succeeded()) {
            throw new AssertionError("handshake failed: client " + outcome.clientError() + ", server "
                    + outcome.serverError(), outcome.error());
        }
    }

    /** After a handshake: sends {@code text} from the client and returns what the server reads. */
    static String clientSends(SSLEngine client, SSLEngine server, String text) throws SSLException {
        ByteBuffer wire = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), wire);
        wire.flip();
        ByteBuffer plain = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        while (wire.hasRemaining()) {
            SSLEngineResult result = server.unwrap(wire, plain);
            if (result.bytesConsumed() == 0) {
                break;
            }
        }
        plain.flip();
        return StandardCharsets.UTF_8.decode(plain).toString();
    }

    private void run() {
        for (int turn = 0; turn < MAX_TURNS; turn++) {
            boolean progress = false;
            if (clientError == null) {
                progress |= side(client, true);
            } else {
                progress |= sendAlert(client, true);
            }
            if (serverError == null) {
                progress |= side(server, false);
            } else {
                progress |= sendAlert(server, false);
            }
            if (!progress) {
                return;
            }
        }
        throw new AssertionError("the handshake did not settle in " + MAX_TURNS + " turns");
    }

    /** One turn of one side: tasks, wrap, unwrap. Records the side's first error. */
    private boolean side(SSLEngine engine, boolean isClient) {
        boolean progress = false;
        try {
            progress |= runTasks(engine);
            progress |= wrap(engine, isClient);
            progress |= unwrap(engine, isClient);
            progress |= runTasks(engine);
        } catch (SSLException e) {
            if (isClient) {
                clientError = e;
            } else {
                serverError = e;
            }
            progress = true;
        }
        return progress;
    }

    /** A failed engine still wraps its alert once; the other side then reads it. */
    private boolean sendAlert(SSLEngine engine, boolean isClient) {
        if (engine.isOutboundDone()) {
            return false;
        }
        try {
            return wrap(engine, isClient);
        } catch (SSLException e) {
            return false;
        }
    }

    private static boolean runTasks(SSLEngine engine) {
        boolean ran = false;
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
            ran = true;
        }
        return ran;
    }

    private boolean wrap(SSLEngine engine, boolean isClient) throws SSLException {
        boolean progress = false;
        while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            ByteBuffer out = isClient ? clientToServer : serverToClient;
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2);
                out.flip();
                bigger.put(out);
                if (isClient) {
                    clientToServer = bigger;
                } else {
                    serverToClient = bigger;
                }
                continue;
            }
            if (result.bytesProduced() == 0 && result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
            progress |= result.bytesProduced() > 0;
            if (result.bytesProduced() == 0) {
                break;
            }
        }
        return progress;
    }

    private boolean unwrap(SSLEngine engine, boolean isClient) throws SSLException {
        ByteBuffer in = isClient ? serverToClient : clientToServer;
        ByteBuffer plain = isClient ? clientPlain : serverPlain;
        boolean progress = false;
        in.flip();
        try {
            while (in.hasRemaining() && !engine.isInboundDone()) {
                SSLEngineResult result = engine.unwrap(in, plain);
                runTasks(engine);
                if (result.bytesConsumed() == 0) {
                    break;
                }
                progress = true;
            }
        } finally {
            in.compact();
        }
        return progress;
    }
}
