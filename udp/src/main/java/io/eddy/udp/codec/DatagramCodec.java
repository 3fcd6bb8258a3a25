package io.eddy.udp.codec;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.DecodeException;
import java.nio.ByteBuffer;

/**
 * Turns the payload of one datagram into a message, and a message into the payload of one
 * datagram. A datagram arrives whole or not at all, so unlike a stream codec nothing is kept
 * between calls: one datagram, one message.
 *
 * <table>
 *   <caption>The codecs of this module</caption>
 *   <tr><th>codec</th><th>a payload is</th><th>malformed when</th></tr>
 *   <tr><td>{@link BytesDatagramCodec}</td><td>raw bytes, as a {@code ByteBuffer}</td><td>never</td></tr>
 *   <tr><td>{@link TextDatagramCodec}</td><td>text in one charset (UTF-8 by default)</td>
 *       <td>its bytes are not valid in that charset</td></tr>
 *   <tr><td>{@link FramedDatagramCodec}</td><td>one message of any core {@code Decoder} and
 *       {@code Encoder} (a line, a length-prefixed frame)</td>
 *       <td>the decoder fails, finds no whole message, or bytes follow the message</td></tr>
 * </table>
 *
 * <p><b>Threading.</b> {@link #decode} runs on the endpoint's loop thread. {@link #encode} runs on
 * whichever thread calls {@code send}, so it must be safe from any thread: keep no state in it (the
 * codecs here keep none, so one instance may serve any number of endpoints).
 *
 * @param <I> messages received
 * @param <O> messages sent
 */
public interface DatagramCodec<I, O> {

    /**
     * Decodes one datagram's payload, from {@code payload}'s position to its limit. The buffer is
     * the loop's and holds the next datagram soon after, so a message must not be a view of it:
     * handlers may keep what they receive and hand it to other threads (every codec of this module
     * copies; {@link FramedDatagramCodec} copies the buffers that core decoders return as views).
     *
     * @return the message, or null to drop the datagram without counting it as malformed
     * @throws DecodeException if the payload is malformed: the datagram is dropped and counted,
     *         and the endpoint goes on
     */
    I decode(ByteBuffer payload) throws DecodeException;

    /**
     * Writes {@code message} as the payload of one datagram. Past 65,507 bytes {@code out} throws
     * {@code DatagramTooLargeException}; an encoder refuses a message it cannot encode with an
     * {@link IllegalArgumentException}.
     */
    void encode(O message, ByteSink out);
}
