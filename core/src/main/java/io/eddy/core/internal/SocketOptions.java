package io.eddy.core.internal;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The socket options a builder collects with {@code option(SocketOption, value)}, in the order they
 * were given (a later value for the same option replaces the earlier one). Every builder keeps one,
 * so that options are set, checked and applied the same way on every endpoint.
 *
 * <p>Immutable: {@link #with} returns a copy, so a built endpoint never sees a builder's later
 * changes. Threading: safe to share.
 */
public final class SocketOptions {

    private static final SocketOptions NONE = new SocketOptions(Map.of());

    /** What a TCP socket supports, asked once; a race asks twice and gets the same answer. */
    private static volatile Set<SocketOption<?>> tcpSupported;

    private final Map<SocketOption<?>, Object> values;

    private SocketOptions(Map<SocketOption<?>, Object> values) {
        this.values = values;
    }

    /** No options: every socket keeps the system's defaults. */
    public static SocketOptions none() {
        return NONE;
    }

    /** A copy with {@code option} set to {@code value}. */
    public <T> SocketOptions with(SocketOption<T> option, T value) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        // The generic signature cannot stop a raw caller; the channel would fail later, less clearly.
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException(option.name() + " takes a " + option.type().getSimpleName()
                    + ", not " + value.getClass().getSimpleName() + " " + value);
        }
        Map<SocketOption<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(option, value);
        return new SocketOptions(Collections.unmodifiableMap(copy));
    }

    /** The value given for {@code option}, or null. */
    public <T> T get(SocketOption<T> option) {
        return option.type().cast(values.get(option));
    }

    /** The options that {@code filter} keeps, in the same order. */
    public SocketOptions only(Predicate<SocketOption<?>> filter) {
        Map<SocketOption<?>, Object> kept = new LinkedHashMap<>();
        values.forEach((option, value) -> {
            if (filter.test(option)) {
                kept.put(option, value);
            }
        });
        return new SocketOptions(Collections.unmodifiableMap(kept));
    }

    /**
     * Fails if a socket of the kind {@code socket} names does not support one of the options, so a
     * builder refuses it when it starts or builds, not when the first connection arrives.
     *
     * @throws IllegalArgumentException naming the option, the socket, and what it supports
     */
    public void checkSupported(Set<SocketOption<?>> supported, String socket) {
        for (SocketOption<?> option : values.keySet()) {
            if (!supported.contains(option)) {
                throw new IllegalArgumentException(option.name() + " is not supported by " + socket
                        + "; it supports " + supported.stream().map(SocketOption::name).sorted().toList());
            }
        }
    }

    /** Sets every option on {@code channel}, in order. */
    public void applyTo(NetworkChannel channel) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> entry : values.entrySet()) {
            set(channel, entry.getKey(), entry.getValue());
        }
    }

    /**
     * The options a TCP socket (accepted or connecting) supports. Asked of a socket opened once
     * for that, as a server has no accepted socket to ask when it starts.
     */
    public static Set<SocketOption<?>> supportedByTcpSockets() throws IOException {
        Set<SocketOption<?>> supported = tcpSupported;
        if (supported == null) {
            try (SocketChannel probe = SocketChannel.open()) {
                supported = Set.copyOf(probe.supportedOptions());
            }
            tcpSupported = supported;
        }
        return supported;
    }

    /** Whether no option is set. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static <T> void set(NetworkChannel channel, SocketOption<T> option, Object value) throws IOException {
        channel.setOption(option, option.type().cast(value));
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
