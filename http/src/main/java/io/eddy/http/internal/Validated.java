package io.eddy.http.internal;

/**
 * Proof that a caller inside this module has already checked what it hands over (a decoder that
 * validated a header field as it parsed it), so the receiver may skip checking it again. The
 * package is not exported: code outside the module cannot obtain the proof, so it cannot skip a
 * check.
 *
 * <p>Threading: an immutable constant.
 */
public final class Validated {

    /** The one proof. */
    public static final Validated BY_DECODER = new Validated();

    private Validated() {
    }
}
