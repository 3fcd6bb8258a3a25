package io.eddy.core.net;

import java.util.Objects;

/**
 * A typed key for a value a handler keeps on a connection ({@link Connection#attr}), so handlers
 * never cast. Keys compare by identity: keep each in a {@code static final} field.
 *
 * <p>Threading: immutable.
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {

    private final String name;

    private AttributeKey(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A new key; {@code name} is only for people reading logs. */
    public static <T> AttributeKey<T> of(String name) {
        return new AttributeKey<>(name);
    }

    /** The key's name. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + "]";
    }
}
