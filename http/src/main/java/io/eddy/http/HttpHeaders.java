package io.eddy.http;

import io.eddy.http.internal.HeaderValues;
import io.eddy.http.internal.HttpChars;
import io.eddy.http.internal.Validated;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Header fields of a request or response: a multi-map whose names compare case-insensitively,
 * keeping the order fields arrived (or were added) in, and every repeated field.
 *
 * <p>Names and values added here are checked: a name must be an RFC 9110 token, and a value must
 * not hold CR, LF, NUL or other control characters (tab excepted), so a header can never split a
 * response. Received headers are checked by the decoder the same way.
 *
 * <p>A {@link #copy} shares its fields with the original until either changes (copy on write), so
 * copying costs one small object, whatever the number of fields.
 *
 * <p>Threading: not thread-safe. A request's headers belong to whoever handles the request; a
 * response's headers must not be touched once the response is returned to the server. Copies that
 * share fields may be used on different threads: shared fields are never changed, only copied.
 */
public final class HttpHeaders {

    /** Name and value of each field, in turn: one array, not two, per headers. */
    private String[] fields;
    private int size;
    /** Whether {@link #fields} is shared with a copy (or the original): changing it needs a copy first. */
    private boolean shared;

    /** Empty headers. */
    public HttpHeaders() {
        this(8);
    }

    /** Empty, with room for {@code capacity} fields before it grows. */
    public HttpHeaders(int capacity) {
        fields = new String[2 * capacity];
    }

    private HttpHeaders(String[] fields, int size) {
        this.fields = fields;
        this.size = size;
        this.shared = true;
    }

    /**
     * A copy holding the same fields, independent of these: a change to either is not seen by the
     * other. The two share their fields until one of them changes, so a copy is cheap.
     */
    public HttpHeaders copy() {
        if (!shared) {
            shared = true;   // not written when shared already: a template read by many threads stays unwritten
        }
        return new HttpHeaders(fields, size);
    }

    /** Headers holding the given name/value pairs, in order. */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        HttpHeaders headers = new HttpHeaders(Math.max(4, namesAndValues.length / 2));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** Appends a field, keeping any already there with the same name. */
    public HttpHeaders add(String name, String value) {
        checkName(name);
        checkValue(name, value);
        append(name, value);
        return this;
    }

    /**
     * Appends a field that a decoder of this module checked already, without checking it again.
     * The proof is an internal type, so code outside the module cannot call it.
     */
    public void addTrusted(String name, String value, Validated proof) {
        Objects.requireNonNull(proof, "proof");
        append(name, value);
    }

    private void append(String name, String value) {
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, 2 * Math.max(4, size * 2));
            shared = false;
        } else {
            own();
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    /** Replaces the value of field {@code index} only, checked already by a decoder of this module. */
    public void replaceValue(int index, String value, Validated proof) {
        Objects.requireNonNull(proof, "proof");
        checkIndex(index);
        own();
        fields[2 * index + 1] = value;
    }

    /** Makes {@link #fields} this object's own before it changes. */
    private void own() {
        if (shared) {
            fields = fields.clone();
            shared = false;
        }
    }

    /** Replaces every field named {@code name} by one with {@code value}. */
    public HttpHeaders set(String name, String value) {
        checkName(name);
        checkValue(name, value);
        int at = indexOf(name, 0);
        if (at < 0) {
            append(name, value);
            return this;
        }
        if (value.equals(fields[2 * at + 1]) && indexOf(name, at + 1) < 0) {
            return this;   // already so: nothing changes, nothing is copied
        }
        own();
        fields[2 * at + 1] = value;
        removeFrom(name, at + 1);
        return this;
    }

    /** Removes every field named {@code name}; true if there was one. */
    public boolean remove(String name) {
        int at = indexOf(name, 0);
        if (at < 0) {
            return false;
        }
        own();
        removeFrom(name, at);
        return true;
    }

    private void removeFrom(String name, int from) {
        int kept = from;
        for (int i = from; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * kept] = fields[2 * i];
                fields[2 * kept + 1] = fields[2 * i + 1];
                kept++;
            }
        }
        Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
    }

    /** The first value of the field named {@code name}, or null. */
    public String get(String name) {
        int at = indexOf(name, 0);
        return at < 0 ? null : fields[2 * at + 1];
    }

    /** Every value of the fields named {@code name}, in order (empty if none). */
    public List<String> getAll(String name) {
        List<String> all = null;
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                if (all == null) {
                    all = new ArrayList<>(2);
                }
                all.add(fields[2 * i + 1]);
            }
        }
        return all == null ? List.of() : Collections.unmodifiableList(all);
    }

    /** Whether a field named {@code name} is present. */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Whether any field named {@code name} lists {@code token} among its comma-separated elements,
     * compared case-insensitively: {@code containsToken("Connection", "close")}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name) && HeaderValues.hasToken(fields[2 * i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    /** How many fields there are, repeated ones counted each. */
    public int size() {
        return size;
    }

    /** Whether there are no fields. */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * The name of field {@code index} (0-based, in order), as it was added or received; a
     * received common name is spelled as its {@link HeaderNames} constant ({@code host} as
     * {@code Host}).
     */
    public String name(int index) {
        return fields[2 * checkIndex(index)];
    }

    /** The value of field {@code index} (0-based, in order). */
    public String value(int index) {
        return fields[2 * checkIndex(index) + 1];
    }

    /** The distinct names, in order of first appearance. */
    public Set<String> names() {
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            if (indexOf(fields[2 * i], 0) == i) {
                distinct.add(fields[2 * i]);
            }
        }
        return Collections.unmodifiableSet(distinct);
    }

    /** Calls {@code action} with every field, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(fields[2 * i], fields[2 * i + 1]);
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return index;
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            String n = fields[2 * i];
            // Names from the decoder and the constants are often the same instance.
            if (n == name || n.equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || !HttpChars.isToken((byte) c)) {
                throw new IllegalArgumentException("invalid character " + describe(c) + " in header name \"" + name + "\"");
            }
        }
    }

    private static void checkValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("header " + name + " must have a value (use \"\" for an empty one)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || !HttpChars.isFieldValue((byte) c)) {
                throw new IllegalArgumentException("invalid character " + describe(c) + " in the value of header " + name);
            }
        }
    }

    private static String describe(char c) {
        return String.format("U+%04X", (int) c);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HttpHeaders[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(fields[2 * i]).append(": ").append(fields[2 * i + 1]);
        }
        return sb.append(']').toString();
    }
}
