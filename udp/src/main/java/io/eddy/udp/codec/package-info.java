/**
 * Datagram codecs: one payload in, one message out, nothing kept between datagrams. Raw bytes
 * ({@link io.eddy.udp.codec.BytesDatagramCodec}, the default), text
 * ({@link io.eddy.udp.codec.TextDatagramCodec}), any core decoder and encoder
 * ({@link io.eddy.udp.codec.FramedDatagramCodec}), or a
 * {@link io.eddy.udp.codec.DatagramCodec} of your own.
 *
 * <p>Threading: {@code decode} runs on the loop thread, {@code encode} on the thread that sends, so
 * an encoder keeps no state.
 */
package io.eddy.udp.codec;
