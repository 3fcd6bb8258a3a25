package io.eddy.http;

/**
 * Told of every protocol violation a {@link Leniency} let through, so that a legacy peer's habits
 * are seen, not silently absorbed.
 *
 * <p>Threading: called on the connection's loop thread; must not block.
 */
@FunctionalInterface
public interface ViolationListener {

    /** A violation tolerated by {@code leniency}; {@code detail} says where. */
    void onViolation(Leniency leniency, String detail);

    /** A listener that ignores every violation. */
    static ViolationListener ignore() {
        return (leniency, detail) -> { };
    }
}
