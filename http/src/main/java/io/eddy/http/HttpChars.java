package io.eddy.http;

/**
 * Character classes of RFC 9110/9112, as lookup tables indexed by byte.
 *
 * <p>Threading: immutable.
 */
final class HttpChars {

    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        // field-value: VCHAR, obs-text, SP and HTAB; no other controls, no DEL.
        for (int c = 0x20; c < 0x7f; c++) {
            FIELD_VALUE[c] = true;
        }
        for (int c = 0x80; c <= 0xff; c++) {
            FIELD_VALUE[c] = true;
        }
        FIELD_VALUE['\t'] = true;
        // request-target: visible ASCII only (no SP, no controls, no obs-text).
        for (int c = 0x21; c < 0x7f; c++) {
            TARGET[c] = true;
        }
        // Host (RFC 9110 §7.2, RFC 3986 §3.2.2): reg-name, IP literal or IPv4, then ":" port.
        for (int c = 0; c < 256; c++) {
            HOST[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        for (char c : "-._~%!$&'()*+,;=:[]".toCharArray()) {
            HOST[c] = true;
        }
    }

    private HttpChars() {
    }

    static boolean isToken(byte b) {
        return TOKEN[b & 0xff];
    }

    static boolean isFieldValue(byte b) {
        return FIELD_VALUE[b & 0xff];
    }

    static boolean isTarget(byte b) {
        return TARGET[b & 0xff];
    }

    static boolean isHost(byte b) {
        return HOST[b & 0xff];
    }

    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
