package io.eddy.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module's packages import one another only as docs/architecture.md draws them: the codec
 * knows neither side, the client never sees the server, the internals sit at the bottom. Read
 * from the sources' import lines, so a new arrow fails here before it becomes a cycle.
 */
class PackageLayersTest {

    private static final Path SOURCES = Path.of("src/main/java/io/eddy/http");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.eddy\\.http((?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);

    /** Each package, and the packages of this module it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "internal", Set.of(),
            "internal.jfr", Set.of(),
            "", Set.of("internal"),
            "internal.body", Set.of(""),
            "codec", Set.of("", "internal"),
            "websocket", Set.of(""),
            "server", Set.of("", "codec", "internal", "internal.body", "internal.jfr", "websocket"),
            "client", Set.of("", "codec", "internal", "internal.body", "websocket"));

    static Stream<String> packages() {
        return ALLOWED.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("packages")
    void importsOnlyTheLayersBelow(String pkg) throws IOException {
        Path dir = pkg.isEmpty() ? SOURCES : SOURCES.resolve(pkg.replace('.', '/'));
        Set<String> imported = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Matcher m = IMPORT.matcher(read(f));
                while (m.find()) {
                    String target = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
                    if (!target.equals(pkg)) {
                        imported.add(target);
                    }
                }
            });
        }
        assertTrue(ALLOWED.get(pkg).containsAll(imported),
                () -> "io.eddy.http" + (pkg.isEmpty() ? "" : "." + pkg) + " imports " + imported
                        + ", but may import only " + ALLOWED.get(pkg));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
