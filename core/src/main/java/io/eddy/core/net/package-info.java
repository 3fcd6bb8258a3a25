/**
 * TCP on an event loop: {@link io.eddy.core.net.TcpServer} and {@link io.eddy.core.net.TcpClient}
 * open {@link io.eddy.core.net.Connection}s, each with its own codec, and call a typed
 * {@link io.eddy.core.net.Handler} with whole messages.
 *
 * <p>Also here: the limits and timeouts of a connection ({@link io.eddy.core.net.ConnectionOptions}),
 * why it closed ({@link io.eddy.core.net.CloseReason}), state kept on it
 * ({@link io.eddy.core.net.AttributeKey}), and a broadcast to many connections, encoded once
 * ({@link io.eddy.core.net.ConnectionGroup}).
 *
 * <p>Threading: a connection belongs to one loop for life, and its handler runs on that loop's
 * thread; the {@code Connection} methods that say so are safe from any thread.
 */
package io.eddy.core.net;
