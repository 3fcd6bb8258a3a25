package io.eddy.http;

/**
 * The HTTP versions Eddy speaks on the wire. Any other version in a request is answered with
 * {@code 505 HTTP Version Not Supported}.
 *
 * <p>Threading: immutable.
 */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** As written on the wire: {@code HTTP/1.1}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
