/**
 * How a UDP endpoint works inside: its socket on the loop, the send queue, and the hand-off of
 * sends from other threads.
 *
 * <p>Internal: the module does not export this package; it may change in any release.
 */
package io.eddy.udp.internal;
