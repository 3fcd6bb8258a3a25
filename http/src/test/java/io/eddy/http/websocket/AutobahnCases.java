package io.eddy.http.websocket;

import static io.eddy.http.websocket.AutobahnCase.FIN;
import static io.eddy.http.websocket.AutobahnCase.RSV1;

import io.eddy.http.websocket.AutobahnCase.Expect;
import io.eddy.http.websocket.AutobahnCase.Received;
import io.eddy.http.websocket.AutobahnCase.Script;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cases of the Autobahn|Testsuite case list that the conformance suite plays, one small table
 * per section, each case under its Autobahn id. Where this suite leaves out cases of a section
 * (the larger sizes of 9, 12 and 13; 7.1.6, whose outcome Autobahn itself calls
 * implementation-defined), its page says so. Threading: stateless.
 */
final class AutobahnCases {

    /** The sections, by number, as Autobahn names them. */
    static final List<String> SECTIONS = List.of("1 framing", "2 pings and pongs", "3 reserved bits", "4 opcodes",
            "5 fragmentation", "6 UTF-8 handling", "7 close handling", "9 limits (small sizes)", "12 compression",
            "13 compression parameters");

    private static final int TEXT = Frame.TEXT;
    private static final int BINARY = Frame.BINARY;
    private static final int CONT = Frame.CONTINUATION;
    private static final int CLOSE = Frame.CLOSE;
    private static final int PING = Frame.PING;
    private static final int PONG = Frame.PONG;
    private static final byte[] HELLO = utf8("Hello, world!");
    private static final byte[] KOSME = bytes("cebae1bdb9cf83cebcceb5");

    private AutobahnCases() {
    }

    /** Every case, sections in order. */
    static Stream<AutobahnCase> all() {
        return Stream.of(framing(), pings(), reservedBits(), opcodes(), fragmentation(), utf8(), closing(), limits(),
                compression(), compressionParameters()).flatMap(List::stream);
    }

    // ---- 1 framing ----

    static List<AutobahnCase> framing() {
        List<AutobahnCase> cases = new ArrayList<>();
        int[] lengths = {0, 125, 126, 127, 128, 65535, 65536};
        for (int kind = 1; kind <= 2; kind++) {
            int opcode = kind == 1 ? TEXT : BINARY;
            for (int i = 0; i < lengths.length; i++) {
                byte[] payload = filled(lengths[i], kind == 1 ? '*' : 0xfe);
                cases.add(echo("1." + kind + "." + (i + 1), name(opcode) + " of " + lengths[i] + " bytes",
                        new Script().frame(FIN | opcode, payload), new Received(opcode, payload)));
            }
            byte[] payload = filled(65536, kind == 1 ? '*' : 0xfe);
            cases.add(echo("1." + kind + ".8", name(opcode) + " of 65536 bytes in writes of 997",
                    new Script().chunked(FIN | opcode, payload, 997), new Received(opcode, payload)));
        }
        return cases;
    }

    // ---- 2 pings and pongs ----

    static List<AutobahnCase> pings() {
        byte[] binary = bytes("00fffefdfcfb00ff");
        byte[] ping125 = filled(125, 0xfe);
        byte[] unsolicited = utf8("unsolicited pong payload");
        Script tenPings = new Script();
        Script tenPingsChopped = new Script();
        List<Received> tenPongs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] payload = utf8("payload-" + i);
            tenPings.frame(FIN | PING, payload);
            tenPingsChopped.chunked(FIN | PING, payload, 1);
            tenPongs.add(new Received(PONG, payload));
        }
        return List.of(
                echo("2.1", "a ping without payload", new Script().frame(FIN | PING, new byte[0]), new Received(PONG, new byte[0])),
                echo("2.2", "a ping with a text payload", new Script().frame(FIN | PING, HELLO), new Received(PONG, HELLO)),
                echo("2.3", "a ping with a binary payload", new Script().frame(FIN | PING, binary), new Received(PONG, binary)),
                echo("2.4", "a ping of 125 bytes", new Script().frame(FIN | PING, ping125), new Received(PONG, ping125)),
                fails("2.5", "a ping of 126 bytes", CloseCodes.PROTOCOL_ERROR, new Script().frame(FIN | PING, filled(126, 0xfe))),
                echo("2.6", "a ping of 125 bytes, written a byte at a time", new Script().chunked(FIN | PING, ping125, 1),
                        new Received(PONG, ping125)),
                echo("2.7", "an unsolicited pong without payload", new Script().frame(FIN | PONG, new byte[0])),
                echo("2.8", "an unsolicited pong with payload", new Script().frame(FIN | PONG, unsolicited)),
                echo("2.9", "an unsolicited pong, then a ping", new Script().frame(FIN | PONG, unsolicited)
                        .frame(FIN | PING, utf8("ping payload")), new Received(PONG, utf8("ping payload"))),
                echo("2.10", "10 pings", tenPings, tenPongs.toArray(Received[]::new)),
                echo("2.11", "10 pings, written a byte at a time", tenPingsChopped, tenPongs.toArray(Received[]::new)));
    }

    // ---- 3 reserved bits ----

    static List<AutobahnCase> reservedBits() {
        Received hello = new Received(TEXT, HELLO);
        return List.of(
                fails("3.1", "text with RSV = 1", CloseCodes.PROTOCOL_ERROR, new Script().frame(FIN | 0x10 | TEXT, HELLO)),
                fails("3.2", "text, text with RSV = 2, ping", CloseCodes.PROTOCOL_ERROR, new Script().frame(FIN | TEXT, HELLO)
                        .frame(FIN | 0x20 | TEXT, HELLO).frame(FIN | PING, HELLO), hello),
                fails("3.3", "text, text with RSV = 3, ping, frame by frame", CloseCodes.PROTOCOL_ERROR, new Script()
                        .frame(FIN | TEXT, HELLO).frame(FIN | 0x30 | TEXT, HELLO).frame(FIN | PING, HELLO), hello),
                fails("3.4", "text, text with RSV = 4, ping, a byte at a time", CloseCodes.PROTOCOL_ERROR, new Script()
                        .chunked(FIN | TEXT, HELLO, 1).chunked(FIN | RSV1 | TEXT, HELLO, 1).chunked(FIN | PING, HELLO, 1), hello),
                fails("3.5", "binary with RSV = 5", CloseCodes.PROTOCOL_ERROR,
                        new Script().frame(FIN | 0x50 | BINARY, bytes("00fffefdfcfb00ff"))),
                fails("3.6", "ping with RSV = 6", CloseCodes.PROTOCOL_ERROR, new Script().frame(FIN | 0x60 | PING, HELLO)),
                fails("3.7", "close with RSV = 7", CloseCodes.PROTOCOL_ERROR,
                        new Script().frame(FIN | 0x70 | CLOSE, new byte[] {0x03, (byte) 0xe8})));
    }

    // ---- 4 opcodes ----

    static List<AutobahnCase> opcodes() {
        List<AutobahnCase> cases = new ArrayList<>();
        int[][] opcodes = {{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}};
        byte[] payload = utf8("reserved opcode payload");
        for (int group = 0; group < 2; group++) {
            for (int i = 0; i < 5; i++) {
                int opcode = opcodes[group][i];
                boolean withPayload = i % 2 == 1;
                boolean afterText = i >= 2;
                Script script = new Script();
                if (afterText) {
                    script.frame(FIN | TEXT, HELLO);
                }
                script.frame(FIN | opcode, withPayload ? payload : new byte[0]);
                if (afterText) {
                    script.frame(FIN | PING, HELLO);
                }
                String summary = (afterText ? "text, " : "") + "reserved opcode " + opcode + (withPayload ? " with payload" : "")
                        + (afterText ? ", ping" : "");
                cases.add(afterText
                        ? fails("4." + (group + 1) + "." + (i + 1), summary, CloseCodes.PROTOCOL_ERROR, script, new Received(TEXT, HELLO))
                        : fails("4." + (group + 1) + "." + (i + 1), summary, CloseCodes.PROTOCOL_ERROR, script));
            }
        }
        return cases;
    }

    // ---- 5 fragmentation ----

    static List<AutobahnCase> fragmentation() {
        byte[] one = utf8("fragment1");
        byte[] two = utf8("fragment2");
        byte[] ping = utf8("ping payload");
        Received both = new Received(TEXT, utf8("fragment1fragment2"));
        List<AutobahnCase> cases = new ArrayList<>(List.of(
                fails("5.1", "a ping in 2 fragments", CloseCodes.PROTOCOL_ERROR, new Script().frame(PING, one).frame(FIN | CONT, two)),
                fails("5.2", "a pong in 2 fragments", CloseCodes.PROTOCOL_ERROR, new Script().frame(PONG, one).frame(FIN | CONT, two))));
        // 5.3 to 5.5: one script written whole, frame by frame, and a byte at a time; likewise 5.6 to 5.8 ...
        String[] ways = {"", ", frame by frame", ", a byte at a time"};
        for (int way = 0; way < 3; way++) {
            cases.add(echo("5." + (3 + way), "text in 2 fragments" + ways[way],
                    written(way, new int[] {TEXT, FIN | CONT}, one, two), both));
        }
        for (int way = 0; way < 3; way++) {
            cases.add(echo("5." + (6 + way), "text in 2 fragments, a ping between" + ways[way],
                    written(way, new int[] {TEXT, FIN | PING, FIN | CONT}, one, ping, two), new Received(PONG, ping), both));
        }
        byte[] stray = utf8("non-continuation payload");
        for (int way = 0; way < 3; way++) {
            cases.add(fails("5." + (9 + way), "a final continuation with nothing to continue, then text" + ways[way],
                    CloseCodes.PROTOCOL_ERROR, written(way, new int[] {FIN | CONT, FIN | TEXT}, stray, HELLO)));
        }
        for (int way = 0; way < 3; way++) {
            cases.add(fails("5." + (12 + way), "a continuation with nothing to continue, then text" + ways[way],
                    CloseCodes.PROTOCOL_ERROR, written(way, new int[] {CONT, FIN | TEXT}, stray, HELLO)));
        }
        cases.add(fails("5.15", "text in 2 fragments, then a continuation with nothing to continue, then text",
                CloseCodes.PROTOCOL_ERROR, written(0, new int[] {TEXT, FIN | CONT, CONT, FIN | TEXT}, one, two, stray, HELLO), both));
        cases.add(fails("5.16", "twice: a continuation with nothing to continue, then text in 2 fragments", CloseCodes.PROTOCOL_ERROR,
                written(0, new int[] {CONT, TEXT, FIN | CONT, CONT, TEXT, FIN | CONT}, stray, one, two, stray, one, two)));
        cases.add(fails("5.17", "twice: a final continuation with nothing to continue, then text in 2 fragments",
                CloseCodes.PROTOCOL_ERROR, written(0, new int[] {FIN | CONT, TEXT, FIN | CONT, FIN | CONT, TEXT, FIN | CONT},
                        stray, one, two, stray, one, two)));
        cases.add(fails("5.18", "text in 2 fragments, both with the text opcode", CloseCodes.PROTOCOL_ERROR,
                written(0, new int[] {TEXT, FIN | TEXT}, one, two)));
        byte[][] five = new byte[5][];
        for (int i = 0; i < 5; i++) {
            five[i] = utf8("fragment" + (i + 1));
        }
        byte[] pong1 = utf8("pongme 1!");
        byte[] pong2 = utf8("pongme 2!");
        Received all = new Received(TEXT, utf8("fragment1fragment2fragment3fragment4fragment5"));
        int[] nineteen = {TEXT, CONT, FIN | PING, CONT, CONT, FIN | PING, FIN | CONT};
        byte[][] payloads = {five[0], five[1], pong1, five[2], five[3], pong2, five[4]};
        cases.add(echo("5.19", "text in 5 fragments, pings between", written(1, nineteen, payloads),
                new Received(PONG, pong1), new Received(PONG, pong2), all));
        cases.add(echo("5.20", "text in 5 fragments, pings between, a byte at a time", written(2, nineteen, payloads),
                new Received(PONG, pong1), new Received(PONG, pong2), all));
        return cases;
    }

    /** Frames of the given first bytes and payloads, written as one script ({@code way}: 0 and 1 alike, 2 a byte at a time). */
    private static Script written(int way, int[] firstBytes, byte[]... payloads) {
        Script script = new Script();
        for (int i = 0; i < firstBytes.length; i++) {
            script.chunked(firstBytes[i], payloads[i], way == 2 ? 1 : 0);
        }
        return script;
    }

    // ---- 6 UTF-8 handling ----

    static List<AutobahnCase> utf8() {
        List<AutobahnCase> cases = new ArrayList<>();
        byte[] middle = utf8("middle frame payload");
        cases.add(echo("6.1.1", "empty text", new Script().frame(FIN | TEXT, new byte[0]), new Received(TEXT, new byte[0])));
        cases.add(echo("6.1.2", "empty text in 3 empty fragments", new Script().frame(TEXT, new byte[0]).frame(CONT, new byte[0])
                .frame(FIN | CONT, new byte[0]), new Received(TEXT, new byte[0])));
        cases.add(echo("6.1.3", "text in 3 fragments, the middle one not empty", new Script().frame(TEXT, new byte[0])
                .frame(CONT, middle).frame(FIN | CONT, new byte[0]), new Received(TEXT, middle)));
        byte[] hello = utf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
        int boundary = utf8("Hello-\u00b5@\u00df\u00f6\u00e4").length;
        cases.add(echo("6.2.1", "valid UTF-8 in one fragment", new Script().frame(FIN | TEXT, hello), new Received(TEXT, hello)));
        cases.add(echo("6.2.2", "valid UTF-8 in 2 fragments cut at a character", new Script()
                .frame(TEXT, Arrays.copyOf(hello, boundary)).frame(FIN | CONT, Arrays.copyOfRange(hello, boundary, hello.length)),
                new Received(TEXT, hello)));
        cases.add(echo("6.2.3", "valid UTF-8 in fragments of 1 byte", byteFragments(hello), new Received(TEXT, hello)));
        cases.add(echo("6.2.4", "valid UTF-8 (Greek) in fragments of 1 byte", byteFragments(KOSME), new Received(TEXT, KOSME)));
        byte[] invalid = concat(KOSME, bytes("eda080"), utf8("edited"));
        cases.add(fails("6.3.1", "invalid UTF-8 in one fragment", CloseCodes.INVALID_PAYLOAD, new Script().frame(FIN | TEXT, invalid)));
        cases.add(fails("6.3.2", "invalid UTF-8 in fragments of 1 byte", CloseCodes.INVALID_PAYLOAD, byteFragments(invalid)));
        byte[] outOfRange = bytes("f4908080");
        byte[] edited = utf8("edited");
        cases.add(fails("6.4.1", "3 fragments, the 2nd invalid: fail before the 3rd", CloseCodes.INVALID_PAYLOAD, new Script()
                .frame(TEXT, KOSME).frame(CONT, outOfRange).failFast().frame(FIN | CONT, edited)));
        cases.add(fails("6.4.2", "3 fragments, invalid at the 2nd's one byte: fail before the 3rd", CloseCodes.INVALID_PAYLOAD,
                new Script().frame(TEXT, concat(KOSME, bytes("f4"))).frame(CONT, bytes("90")).failFast()
                        .frame(FIN | CONT, concat(bytes("8080"), edited))));
        byte[] whole = concat(KOSME, outOfRange, edited);
        cases.add(fails("6.4.3", "one frame in 3 writes, the 2nd invalid: fail before the 3rd", CloseCodes.INVALID_PAYLOAD,
                new Script().frameInParts(FIN | TEXT, whole, 1, KOSME.length, KOSME.length + 4)));
        cases.add(fails("6.4.4", "one frame in 3 writes, invalid at the 2nd's one byte: fail before the 3rd",
                CloseCodes.INVALID_PAYLOAD, new Script().frameInParts(FIN | TEXT, whole, 1, KOSME.length + 1, KOSME.length + 2)));
        int subsection = 5;
        for (Utf8Vectors.Group group : Utf8Vectors.groups()) {
            int number = 1;
            for (Utf8Vectors.Vector vector : group.vectors()) {
                String id = "6." + subsection + "." + number++;
                String summary = group.name() + ": " + HexFormat.of().formatHex(vector.bytes());
                cases.add(vector.valid()
                        ? echo(id, summary, new Script().frame(FIN | TEXT, vector.bytes()), new Received(TEXT, vector.bytes()))
                        : fails(id, summary, CloseCodes.INVALID_PAYLOAD, new Script().frame(FIN | TEXT, vector.bytes())));
            }
            subsection++;
        }
        return cases;
    }

    private static Script byteFragments(byte[] text) {
        Script script = new Script();
        for (int i = 0; i < text.length; i++) {
            script.frame((i == text.length - 1 ? FIN : 0) | (i == 0 ? TEXT : CONT), new byte[] {text[i]});
        }
        return script;
    }

    // ---- 7 close handling ----

    static List<AutobahnCase> closing() {
        byte[] normal = closePayload(1000, new byte[0]);
        List<AutobahnCase> cases = new ArrayList<>(List.of(
                echo("7.1.1", "text, then close", new Script().frame(FIN | TEXT, utf8("Hello World!")), new Received(TEXT, utf8("Hello World!"))),
                closes("7.1.2", "close twice", Set.of(1000), new Script().frame(FIN | CLOSE, normal).frame(FIN | CLOSE, normal)),
                closes("7.1.3", "close, then ping", Set.of(1000), new Script().frame(FIN | CLOSE, normal).frame(FIN | PING, HELLO)),
                closes("7.1.4", "close, then text", Set.of(1000), new Script().frame(FIN | CLOSE, normal).frame(FIN | TEXT, HELLO)),
                closes("7.1.5", "a first fragment, close, the last fragment", Set.of(1000), new Script()
                        .frame(TEXT, utf8("fragment1")).frame(FIN | CLOSE, normal).frame(FIN | CONT, utf8("fragment2"))),
                closes("7.3.1", "close without payload", Set.of(CloseCodes.NO_STATUS, 1000), new Script().frame(FIN | CLOSE, new byte[0])),
                fails("7.3.2", "close with a 1-byte payload", CloseCodes.PROTOCOL_ERROR, new Script().frame(FIN | CLOSE, bytes("2a"))),
                closes("7.3.3", "close 1000 without reason", Set.of(1000), new Script().frame(FIN | CLOSE, normal)),
                closes("7.3.4", "close 1000 with a reason", Set.of(1000), new Script().frame(FIN | CLOSE,
                        closePayload(1000, utf8("Hello World!")))),
                closes("7.3.5", "close 1000 with a reason of 123 bytes", Set.of(1000), new Script().frame(FIN | CLOSE,
                        closePayload(1000, filled(123, '*')))),
                fails("7.3.6", "close 1000 with a reason of 124 bytes", CloseCodes.PROTOCOL_ERROR, new Script().frame(FIN | CLOSE,
                        closePayload(1000, filled(124, '*')))),
                closes("7.5.1", "close 1000 with a reason that is not UTF-8", Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD),
                        new Script().frame(FIN | CLOSE, closePayload(1000, concat(KOSME, bytes("eda080"), utf8("edited")))))));
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            cases.add(closes("7.7." + (i + 1), "close with the valid code " + valid[i], Set.copyOf(List.of(1000, valid[i])),
                    new Script().frame(FIN | CLOSE, closePayload(valid[i], new byte[0]))));
        }
        int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalid.length; i++) {
            cases.add(fails("7.9." + (i + 1), "close with the invalid code " + invalid[i], CloseCodes.PROTOCOL_ERROR,
                    new Script().frame(FIN | CLOSE, closePayload(invalid[i], new byte[0]))));
        }
        cases.add(fails("7.13.1", "close with the code 5000", CloseCodes.PROTOCOL_ERROR,
                new Script().frame(FIN | CLOSE, closePayload(5000, new byte[0]))));
        cases.add(fails("7.13.2", "close with the code 65535", CloseCodes.PROTOCOL_ERROR,
                new Script().frame(FIN | CLOSE, closePayload(65535, new byte[0]))));
        return cases;
    }

    // ---- 9 limits, at small sizes ----

    static List<AutobahnCase> limits() {
        List<AutobahnCase> cases = new ArrayList<>();
        int[] sizes = {64 << 10, 256 << 10, 1 << 20};
        for (int kind = 1; kind <= 2; kind++) {
            int opcode = kind == 1 ? TEXT : BINARY;
            for (int i = 0; i < sizes.length; i++) {
                byte[] payload = filled(sizes[i], kind == 1 ? '*' : 0xfe);
                cases.add(echo("9." + kind + "." + (i + 1), name(opcode) + " of " + (sizes[i] >> 10) + " KiB",
                        new Script().frame(FIN | opcode, payload), new Received(opcode, payload)));
            }
        }
        for (int kind = 5; kind <= 6; kind++) {
            int opcode = kind == 5 ? TEXT : BINARY;
            byte[] payload = filled(1 << 20, kind == 5 ? '*' : 0xfe);
            cases.add(echo("9." + kind + ".1", name(opcode) + " of 1 MiB in writes of 64 bytes",
                    new Script().chunked(FIN | opcode, payload, 64), new Received(opcode, payload)));
        }
        int[] small = {0, 16, 64, 256, 1024, 4096};
        for (int kind = 7; kind <= 8; kind++) {
            int opcode = kind == 7 ? TEXT : BINARY;
            for (int i = 0; i < small.length; i++) {
                byte[] payload = filled(small[i], kind == 7 ? '*' : 0xfe);
                Script script = new Script();
                Received[] echoes = new Received[1000];
                for (int n = 0; n < echoes.length; n++) {
                    script.frame(FIN | opcode, payload);
                    echoes[n] = new Received(opcode, payload);
                }
                cases.add(echo("9." + kind + "." + (i + 1), "1000 " + name(opcode) + " messages of " + small[i] + " bytes",
                        script, echoes));
            }
        }
        return cases;
    }

    // ---- 12 and 13 compression ----

    /** Autobahn's rows of message size and fragment size (0: unfragmented), by row number; the suite plays the small ones. */
    private static final int[][] COMPRESSION_ROWS = {{1, 16, 0}, {2, 64, 0}, {3, 256, 0}, {4, 1024, 0}, {5, 4096, 0},
            {11, 8192, 256}};
    private static final int COMPRESSED_MESSAGES = 1000;

    static List<AutobahnCase> compression() {
        List<AutobahnCase> cases = new ArrayList<>();
        for (int[] row : COMPRESSION_ROWS) {
            cases.add(compressed("12.1." + row[0], DeflateParams.DEFAULT, row[1], row[2]));
        }
        return cases;
    }

    static List<AutobahnCase> compressionParameters() {
        List<AutobahnCase> cases = new ArrayList<>();
        for (DeflateParams params : DeflateParams.values()) {
            for (int[] row : Arrays.copyOf(COMPRESSION_ROWS, 3)) {
                cases.add(compressed("13." + (params.ordinal() + 1) + "." + row[0], params, row[1], row[2]));
            }
        }
        return cases;
    }

    /** {@value #COMPRESSED_MESSAGES} text messages of {@code size} bytes of JSON-like text, each a different slice. */
    private static AutobahnCase compressed(String id, DeflateParams params, int size, int fragment) {
        byte[] corpus = Utf8Vectors.jsonText(64 * 1024);
        Script script = new Script();
        Received[] echoes = new Received[COMPRESSED_MESSAGES];
        for (int i = 0; i < COMPRESSED_MESSAGES; i++) {
            int from = (int) ((long) i * size % (corpus.length - size));
            byte[] payload = Arrays.copyOfRange(corpus, from, from + size);
            script.message(true, payload, fragment);
            echoes[i] = new Received(TEXT, payload);
        }
        String summary = COMPRESSED_MESSAGES + " compressed text messages of " + size + " bytes"
                + (fragment > 0 ? " in fragments of " + fragment : "") + ", " + params.name().toLowerCase().replace('_', ' ');
        return new AutobahnCase(id, summary, params, script.steps(), new Expect(List.of(echoes), Set.of(1000), true));
    }

    // ---- the expectations ----

    /** Everything echoed (and pongs), then the peer's close 1000 is answered with 1000. */
    private static AutobahnCase echo(String id, String summary, Script script, Received... received) {
        return new AutobahnCase(id, summary, null, script.steps(), new Expect(List.of(received), Set.of(1000), true));
    }

    /** What is received, then the endpoint fails the connection with {@code code}. */
    private static AutobahnCase fails(String id, String summary, int code, Script script, Received... received) {
        return closes(id, summary, Set.of(code), script, received);
    }

    /** What is received, then a close frame with one of {@code codes}, the peer's script being all it sends. */
    private static AutobahnCase closes(String id, String summary, Set<Integer> codes, Script script, Received... received) {
        return new AutobahnCase(id, summary, null, script.steps(), new Expect(List.of(received), codes, false));
    }

    // ---- bytes ----

    private static String name(int opcode) {
        return opcode == TEXT ? "text" : "binary";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        return WireFrames.concat(parts);
    }

    private static byte[] closePayload(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
    }

    /** Whether {@code bytes} is UTF-8 by Java's own strict decoder: the oracle for the prefixes of 6.6. */
    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
