package io.eddy.examples;

/**
 * One chat client as the server sees it when it speaks: its prefix, {@code [host:port] }, and the
 * two lines each of its messages becomes, the answer {@code got: text} and the relayed
 * {@code [host:port] text}.
 *
 * <p>Why the lines are kept: a connection's {@link TextDecoder} hands over the same {@link Text}
 * for every message, refilled, so a line over that text says the current message whenever it is
 * encoded, which the server does before its handler returns. Made once per client rather than per
 * message, the two lines cost nothing under a flood, where two small objects a line were most of
 * what was left of the server's garbage.
 *
 * <p>Threading: the connection's loop only.
 */
final class ChatSender {

    private static final byte[] GOT = ChatLine.bytes("got: ");

    private final String prefix;
    private final byte[] prefixBytes;
    private ChatLine answer;
    private ChatLine relay;

    /** A client whose relayed lines start with {@code prefix}. */
    ChatSender(String prefix) {
        this.prefix = prefix;
        this.prefixBytes = ChatLine.bytes(prefix);
    }

    /** What its relayed lines start with, as the console prints it. */
    String prefix() {
        return prefix;
    }

    /** {@code got: text}: to be written before the handler returns, while {@code text} holds this message. */
    ChatLine answer(Text text) {
        if (answer == null || answer.text() != text) {
            answer = new ChatLine(GOT, text);
        }
        return answer;
    }

    /** {@code [host:port] text}: to be sent before the handler returns, while {@code text} holds this message. */
    ChatLine relay(Text text) {
        if (relay == null || relay.text() != text) {
            relay = new ChatLine(prefixBytes, text);
        }
        return relay;
    }
}
