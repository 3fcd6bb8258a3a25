/**
 * The HTTP/1.1 wire codecs, strict by RFC 9112, for both sides: requests decoded and responses
 * encoded on a server ({@link io.eddy.http.codec.HttpRequestDecoder},
 * {@link io.eddy.http.codec.HttpResponseEncoder}), requests encoded and responses decoded on a
 * client ({@link io.eddy.http.codec.HttpRequestEncoder},
 * {@link io.eddy.http.codec.HttpResponseDecoder}), each message as a sequence of parts (head, body
 * pieces, end). The server and client use them; so can a pipeline or a test of your own.
 *
 * <p>Threading: like every codec, per connection, on its loop thread only.
 */
package io.eddy.http.codec;
