/**
 * The pipeline of a connection and the transport under it: the inbound buffer, the outbound queue
 * and its chunk pool, the TCP connection, socket options, and the accessors through which a public
 * type hands these helpers what its API does not offer.
 *
 * <p>Internal: the module exports this package only to {@code io.eddy.udp}, whose builders check
 * socket options and ports as the core ones do. It may change in any release.
 */
package io.eddy.core.internal;
