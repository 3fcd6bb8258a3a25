package io.eddy.http.websocket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One case of the Autobahn|Testsuite case list, written so that either side can play it: what the
 * scripted peer sends (frames with exact bits, masked or not by the peer's role), and what the
 * endpoint under test must do (echo, pong, close with a code, fail before the rest arrives).
 * {@link AutobahnPeer} plays it; {@link AutobahnCases} holds the tables.
 *
 * <p>After its steps, a case that {@link Expect#peerCloses() the peer closes} ends with the peer's
 * close frame 1000, answered with 1000, as every Autobahn case that expects the connection to live
 * does. Threading: immutable values.
 *
 * @param id      the Autobahn id, such as {@code 6.4.1}
 * @param summary what is sent, in a few words
 * @param deflate the permessage-deflate parameters of the handshake, or null for none
 * @param steps   what the peer sends, in order
 * @param expect  what the endpoint under test must answer
 */
record AutobahnCase(String id, String summary, DeflateParams deflate, List<Step> steps, Expect expect) {

    static final int FIN = 0x80;
    static final int RSV1 = 0x40;

    /** The section: the id's first number. */
    int section() {
        return Integer.parseInt(id.substring(0, id.indexOf('.')));
    }

    @Override
    public String toString() {
        return "case " + id + ": " + summary;
    }

    /** What the peer sends. */
    sealed interface Step permits Frame, Slice, Message, FailFast {
    }

    /**
     * One frame, its first byte as given (FIN, RSV, opcode), written in chunks of {@code chunk}
     * bytes (0: in one write), each flushed.
     */
    record Frame(int firstByte, byte[] payload, int chunk) implements Step {
    }

    /**
     * Part of one frame: the bytes of payload {@code from} to {@code to}, with the frame's header
     * when {@code from} is 0; the frame is whole once every part of it is sent.
     */
    record Slice(int firstByte, byte[] payload, int from, int to) implements Step {
    }

    /** A data message: compressed when the handshake agreed deflate, in frames of {@code fragment} bytes (0: one). */
    record Message(boolean text, byte[] payload, int fragment) implements Step {
    }

    /**
     * The endpoint should have failed the connection by now: the peer waits a moment for its close
     * frame before sending the rest. A close that only comes after the rest is Autobahn's
     * "non-strict".
     */
    record FailFast() implements Step {
    }

    /** What the peer receives: a whole message or a pong. */
    record Received(int opcode, byte[] payload) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Received that && opcode == that.opcode && Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return 31 * opcode + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            String kind = opcode == io.eddy.http.websocket.Frame.TEXT ? "text" : opcode == io.eddy.http.websocket.Frame.BINARY
                    ? "binary" : opcode == io.eddy.http.websocket.Frame.PONG ? "pong" : "opcode " + opcode;
            return kind + " of " + payload.length + " bytes";
        }
    }

    /**
     * What must come back.
     *
     * @param received   the messages and pongs, in order, before the close frame
     * @param closeCodes the codes the endpoint's close frame may carry (1005: a close frame without a code)
     * @param peerCloses whether the peer closes with 1000 after its steps (else the endpoint must close)
     */
    record Expect(List<Received> received, Set<Integer> closeCodes, boolean peerCloses) {
    }

    /** Builds a case's steps. Threading: one builder per case, on one thread. */
    static final class Script {
        private final List<Step> steps = new ArrayList<>();

        Script frame(int firstByte, byte[] payload) {
            steps.add(new Frame(firstByte, payload, 0));
            return this;
        }

        Script chunked(int firstByte, byte[] payload, int chunk) {
            steps.add(new Frame(firstByte, payload, chunk));
            return this;
        }

        /** One frame in parts cut at {@code cuts} (payload offsets), the endpoint asked to fail after part {@code failAfter}. */
        Script frameInParts(int firstByte, byte[] payload, int failAfter, int... cuts) {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : payload.length;
                steps.add(new Slice(firstByte, payload, from, to));
                if (i == failAfter) {
                    failFast();
                }
                from = to;
            }
            return this;
        }

        Script message(boolean text, byte[] payload, int fragment) {
            steps.add(new Message(text, payload, fragment));
            return this;
        }

        Script failFast() {
            steps.add(new FailFast());
            return this;
        }

        List<Step> steps() {
            return List.copyOf(steps);
        }
    }
}
