package io.eddy.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The broadcast benchmark's wire format, lines over TCP. The server greets each connection with
 * {@link #WELCOME} once it is a member of the group, so the generator knows when every receiver
 * will get a broadcast. Each message is {@value #MESSAGE_BYTES} bytes: an 8-digit sequence number,
 * filler, {@code \n}; the server sends every line a member sends to all the other members.
 * {@link #ALLOCATED} is the one line not broadcast: the server answers it, to its sender only,
 * with {@code #allocated N}, the bytes its loop threads have allocated so far.
 *
 * <p>Threading: stateless.
 */
final class BroadcastWire {

    /** Bytes of one message, its {@code \n} included. */
    static final int MESSAGE_BYTES = 64;
    /** The greeting of a new member, without its {@code \n}. */
    static final String WELCOME = "joined";
    /** The question for the server's allocation counter, and the start of its answer. */
    static final String ALLOCATED = "#allocated";

    private static final int DIGITS = 8;
    private static final byte[] FILLER = "broadcast-benchmark-payload".repeat(3)
            .substring(0, MESSAGE_BYTES - DIGITS - 1).getBytes(StandardCharsets.US_ASCII);

    private BroadcastWire() {
    }

    /** Message {@code sequence}, as sent. */
    static byte[] message(long sequence) {
        byte[] message = new byte[MESSAGE_BYTES];
        write(sequence, message, 0);
        return message;
    }

    /** Writes message {@code sequence} into {@code into} at {@code offset}. */
    static void write(long sequence, byte[] into, int offset) {
        long rest = sequence;
        for (int i = DIGITS - 1; i >= 0; i--) {
            into[offset + i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        System.arraycopy(FILLER, 0, into, offset + DIGITS, FILLER.length);
        into[offset + MESSAGE_BYTES - 1] = '\n';
    }

    /** Fails unless {@code frame} is message {@code expected}: a lost, reordered or damaged message. */
    static void check(byte[] frame, long expected) {
        long sequence = 0;
        for (int i = 0; i < DIGITS; i++) {
            sequence = sequence * 10 + (frame[i] - '0');
        }
        if (sequence != expected || frame[MESSAGE_BYTES - 1] != '\n'
                || Arrays.mismatch(frame, DIGITS, MESSAGE_BYTES - 1, FILLER, 0, FILLER.length) >= 0) {
            throw new IllegalStateException("expected message " + expected + ", got "
                    + new String(frame, StandardCharsets.US_ASCII).strip());
        }
    }

    /** The server's answer to {@link #ALLOCATED}, without its {@code \n}. */
    static String allocatedAnswer(long bytes) {
        return ALLOCATED + " " + bytes;
    }

    /** The bytes in an answer to {@link #ALLOCATED}; -1 where the server cannot count them. */
    static long allocatedBytes(String answer) {
        if (!answer.startsWith(ALLOCATED + " ")) {
            throw new IllegalStateException("not an answer to " + ALLOCATED + ": " + answer);
        }
        return Long.parseLong(answer.substring(ALLOCATED.length() + 1).trim());
    }
}
