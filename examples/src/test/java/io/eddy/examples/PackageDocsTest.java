package io.eddy.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package a library module exports (to everyone, or to another Eddy module) has a
 * {@code package-info.java} whose doc comment says what the package is for. Doclint runs without
 * its "missing comment" checks (the project's Javadoc is one sentence, not a {@code @param} per
 * parameter), so this is where a package without one is caught.
 */
class PackageDocsTest {

    private static final Pattern EXPORTS = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)");

    @Test
    void everyExportedPackageHasAPackageInfoThatSaysWhatItIsFor() throws IOException {
        Path root = DocsTest.repositoryRoot();
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.sorted().toList()) {
                Path sources = module.resolve("src/main/java");
                Path descriptor = sources.resolve("module-info.java");
                if (!Files.isRegularFile(descriptor)) {
                    continue;
                }
                Matcher exports = EXPORTS.matcher(Files.readString(descriptor, StandardCharsets.UTF_8));
                while (exports.find()) {
                    String name = exports.group(1);
                    Path info = sources.resolve(name.replace('.', '/')).resolve("package-info.java");
                    checked.add(name);
                    if (!Files.isRegularFile(info) || !Files.readString(info, StandardCharsets.UTF_8).contains("/**")) {
                        missing.add(root.relativize(info).toString());
                    }
                }
            }
        }
        assertTrue(checked.size() >= 10, "too few exported packages found: " + checked);
        assertTrue(missing.isEmpty(), "exported packages without a package-info.java doc comment: " + missing);
    }

    /** The BOM has no parent (so it pins Eddy's modules only): its version is kept the reactor's by hand. */
    @Test
    void theBomPinsEveryLibraryModuleAtTheReactorsVersion() throws IOException {
        Path root = DocsTest.repositoryRoot();
        String bom = Files.readString(root.resolve("bom/pom.xml"), StandardCharsets.UTF_8);
        String parent = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        assertTrue(version(bom).equals(version(parent)),
                "bom/pom.xml says " + version(bom) + ", the reactor " + version(parent));
        for (String module : List.of("eddy-core", "eddy-http", "eddy-udp", "eddy-micrometer")) {
            assertTrue(bom.contains("<artifactId>" + module + "</artifactId>"), "the BOM does not pin " + module);
        }
    }

    /** The project's own version: the first {@code <version>} after its {@code <artifactId>}. */
    private static String version(String pom) {
        Matcher m = Pattern.compile("</modelVersion>.*?<artifactId>[^<]+</artifactId>\\s*<version>([^<]+)</version>",
                Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "no project version found");
        return m.group(1);
    }
}
