/**
 * The HTTP/1.1 server: {@link io.eddy.http.server.HttpServer} reads requests, routes them
 * ({@link io.eddy.http.server.Router}) to handlers that answer at once, later, off the loop or as a
 * stream, and writes {@link io.eddy.http.server.HttpResponse}s in request order, with keep-alive
 * and pipelining. {@link io.eddy.http.server.StaticFiles} serves a directory.
 *
 * <p>Threading: handlers run on the connection's loop thread and must not block, except those
 * added with {@code routeBlocking}, which run off the loop.
 */
package io.eddy.http.server;
