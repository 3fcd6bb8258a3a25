/**
 * The event loop: one thread and one {@code Selector} that every channel on it shares.
 *
 * <p>{@link io.eddy.core.loop.EventLoop} runs the cycle (select, ready channels, tasks from other
 * threads, due timers, end-of-cycle flushes) on a thread of its own or on the caller's;
 * {@link io.eddy.core.loop.EventLoopGroup} runs several, and a {@link io.eddy.core.loop.LoopChooser}
 * places each new connection on one of them. Timers ({@link io.eddy.core.loop.ScheduledTask}) read
 * an injectable {@link io.eddy.core.loop.TimeSource}; {@link io.eddy.core.loop.BlockingWork} runs
 * blocking calls off the loop and answers on it.
 *
 * <p>Threading: a loop's channels, handlers and timers run on its thread only; other threads reach
 * it through {@code execute} and {@code schedule}.
 */
package io.eddy.core.loop;
