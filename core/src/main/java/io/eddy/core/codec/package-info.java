/**
 * Codecs: where messages begin and end in a byte stream, and how messages become bytes.
 *
 * <p>A {@link io.eddy.core.codec.Decoder} consumes what makes a whole message and returns it, or
 * returns {@code null} and waits for more bytes; an {@link io.eddy.core.codec.Encoder} writes a
 * message into a {@link io.eddy.core.codec.ByteSink}; a {@link io.eddy.core.codec.Codec} is both,
 * and stacks stages with {@code map}. Ready-made: {@link io.eddy.core.codec.LineCodec},
 * {@link io.eddy.core.codec.LengthFieldCodec}, {@link io.eddy.core.codec.BytesCodec}. A broken rule
 * or limit is a {@link io.eddy.core.codec.DecodeException} that names it.
 *
 * <p>Threading: codecs keep per-connection state and run on the connection's loop thread only; a
 * server is given a factory that makes one per connection.
 */
package io.eddy.core.codec;
