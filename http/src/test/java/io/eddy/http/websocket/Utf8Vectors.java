package io.eddy.http.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The UTF-8 test vectors of Autobahn's cases 6.5 to 6.23, taken as Autobahn takes them from Markus
 * Kuhn's UTF-8 decoder stress test, group by group in Autobahn's order (a group's place is its
 * case subsection, a vector's place its case number); and the JSON-like text of the compression
 * cases. Threading: stateless.
 */
final class Utf8Vectors {

    /** One vector: bytes sent as a text message, and whether they are UTF-8. */
    record Vector(boolean valid, byte[] bytes) {
    }

    /** A group of vectors under Autobahn's name for it. */
    record Group(String name, List<Vector> vectors) {
    }

    private static final String KOSME = "cebae1bdb9cf83cebcceb5";

    private Utf8Vectors() {
    }

    /** The groups, 6.5 first. */
    static List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        groups.add(group("Some valid UTF-8 sequences", true, "68656c6c6f24776f726c64", "68656c6c6fc2a2776f726c64",
                "68656c6c6fe282ac776f726c64", "68656c6c6ff0a4ada2776f726c64", KOSME));
        byte[] kosme = HexFormat.of().parseHex(KOSME);
        List<Vector> prefixes = new ArrayList<>();
        for (int i = 1; i <= kosme.length; i++) {
            byte[] prefix = Arrays.copyOf(kosme, i);
            prefixes.add(new Vector(AutobahnCases.isUtf8(prefix), prefix));
        }
        groups.add(new Group("All prefixes of a valid UTF-8 string that contains multi-byte code points", prefixes));
        groups.add(group("First possible sequence of a certain length", true, "00", "c280", "e0a080", "f0908080"));
        groups.add(group("First possible sequence length 5/6 (invalid codepoints)", false, "f888808080", "fc8480808080"));
        groups.add(group("Last possible sequence of a certain length", true, "7f", "dfbf", "efbfbf", "f48fbfbf"));
        groups.add(group("Last possible sequence length 4/5/6 (invalid codepoints)", false, "f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf"));
        List<Vector> boundary = new ArrayList<>(group("", true, "ed9fbf", "ee8080", "efbfbd", "f48fbfbf").vectors());
        boundary.add(new Vector(false, HexFormat.of().parseHex("f4908080")));
        groups.add(new Group("Other boundary conditions", boundary));
        StringBuilder continuations = new StringBuilder();
        for (int b = 0x80; b < 0xbf; b++) {
            continuations.append(String.format("%02x", b));
        }
        groups.add(group("Unexpected continuation bytes", false, "80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80",
                "80bf80bf80bf", continuations.toString()));
        List<String> lonely = new ArrayList<>();
        for (int[] range : new int[][] {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}}) {
            StringBuilder starts = new StringBuilder();
            for (int b = range[0]; b < range[1]; b++) {
                starts.append(String.format("%02x20", b));
            }
            lonely.add(starts.toString());
        }
        groups.add(group("Lonely start characters", false, lonely.toArray(String[]::new)));
        String[] missing = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"};
        groups.add(group("Sequences with last continuation byte missing", false, missing));
        groups.add(group("Concatenation of incomplete sequences", false, String.join("", missing)));
        groups.add(group("Impossible bytes", false, "fe", "ff", "fefeffff"));
        groups.add(group("Examples of an overlong ASCII character", false, "c0af", "e080af", "f08080af", "f8808080af", "fc80808080af"));
        groups.add(group("Maximum overlong sequences", false, "c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"));
        groups.add(group("Overlong representation of the NUL character", false, "c080", "e08080", "f0808080", "f880808080",
                "fc8080808080"));
        groups.add(group("Single UTF-16 surrogates", false, "eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf"));
        groups.add(group("Paired UTF-16 surrogates", false, "eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf",
                "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf"));
        List<String> nonCharacters = new ArrayList<>(List.of("efbfbe", "efbfbf"));
        for (String z1 : new String[] {"f0", "f1", "f2", "f3", "f4"}) {
            for (String z2 : new String[] {"8f", "9f", "af", "bf"}) {
                if (z1.equals("f4") && !z2.equals("8f")) {
                    continue; // above U+10FFFF
                }
                for (String z3 : new String[] {"be", "bf"}) {
                    String sequence = z1 + z2 + "bf" + z3;
                    if (!sequence.startsWith("f08f")) { // overlong
                        nonCharacters.add(sequence);
                    }
                }
            }
        }
        groups.add(group("Non-character code points (valid UTF-8)", true, nonCharacters.toArray(String[]::new)));
        groups.add(group("Unicode specials (i.e. replacement char)", true, "efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd",
                "efbfbe", "efbfbf"));
        return groups;
    }

    private static Group group(String name, boolean valid, String... hex) {
        List<Vector> vectors = new ArrayList<>();
        for (String bytes : hex) {
            vectors.add(new Vector(valid, HexFormat.of().parseHex(bytes)));
        }
        return new Group(name, vectors);
    }

    /** {@code length} bytes of ASCII JSON, records with repeating keys and varying values: text that compresses as real messages do. */
    static byte[] jsonText(int length) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; json.length() < length; i++) {
            json.append("{\"id\":").append(i).append(",\"name\":\"user-").append(i * 7919 % 10007)
                    .append("\",\"active\":").append(i % 3 == 0).append(",\"score\":").append(i * 31 % 997)
                    .append(",\"tags\":[\"t").append(i % 13).append("\",\"t").append(i % 7).append("\"]},\n");
        }
        return json.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }
}
