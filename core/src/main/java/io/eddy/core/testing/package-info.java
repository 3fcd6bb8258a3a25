/**
 * Testing codecs and handlers without sockets, in virtual time.
 *
 * <p>{@link io.eddy.core.testing.TestChannel} is a {@code Connection} over an in-memory peer: feed it
 * bytes (split however the test likes), read what it decoded and what it wrote. It runs the very
 * pipeline a TCP connection runs, on a {@link io.eddy.core.testing.TestLoop} that the test drives
 * from its own thread and whose clock, a {@link io.eddy.core.testing.ManualTimeSource}, moves only
 * when the test advances it, so timeouts are tested without waiting.
 */
package io.eddy.core.testing;
