package io.eddy.http.websocket;

/**
 * Checks UTF-8 as it arrives, byte by byte across fragments (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), so a text message fails at its first bad byte rather than
 * after the whole message is in. Threading: one per connection, on its loop thread.
 */
final class Utf8Validator {

    /** Continuation bytes still owed by the current character. */
    private int owed;
    /** The range the next continuation byte must fall in (narrower after E0, ED, F0, F4). */
    private int low = 0x80;
    private int high = 0xBF;

    /** Checks {@code length} bytes of {@code bytes} from {@code from}; false at the first that cannot be UTF-8. */
    boolean accept(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) {
            int b = bytes[i] & 0xff;
            if (owed > 0) {
                if (b < low || b > high) {
                    return false;
                }
                owed--;
                low = 0x80;
                high = 0xBF;
            } else if (b >= 0x80 && !lead(b)) {
                return false;
            }
        }
        return true;
    }

    private boolean lead(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            owed = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            owed = 2;
            if (b == 0xE0) {
                low = 0xA0; // shorter forms are overlong
            } else if (b == 0xED) {
                high = 0x9F; // D800..DFFF are surrogates
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            owed = 3;
            if (b == 0xF0) {
                low = 0x90;
            } else if (b == 0xF4) {
                high = 0x8F; // nothing above U+10FFFF
            }
        } else {
            return false;
        }
        return true;
    }

    /** Whether the bytes so far end on a character boundary. */
    boolean complete() {
        return owed == 0;
    }

    /** Starts over, for the next message. */
    void reset() {
        owed = 0;
        low = 0x80;
        high = 0xBF;
    }
}
