package io.eddy.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Docs that cannot rot: every {@code ```java} block of {@code README.md} and of every Markdown file
 * under {@code docs/} (the guide included) is compiled against the current API, with this
 * module's test class path (core, http, udp, the examples, JUnit, JMH). The blocks of one file are
 * compiled together, so a later block may use a class an earlier one declared.
 *
 * <p>A block is a whole compilation unit (a class with its imports) unless the lines right above
 * its fence are markers, HTML comments that Markdown does not show. Their parts, one line each or
 * separated by {@code ;} on one line:
 *
 * <table>
 *   <caption>Markers</caption>
 *   <tr><td>{@code <!-- fragment -->}</td><td>statements: wrapped in a method that may throw, in a
 *       class with the common imports ({@link #IMPORTS})</td></tr>
 *   <tr><td>{@code <!-- fragment: EventLoop loop, Logger log -->}</td><td>the same, with what the
 *       text set up before given as the method's parameters</td></tr>
 *   <tr><td>{@code <!-- members -->}</td><td>fields, methods or nested types: wrapped in a class
 *       with the common imports</td></tr>
 *   <tr><td>{@code <!-- given: interface Db { String find(String id); } -->}</td><td>declarations
 *       the text takes for granted, put in the wrapping class (on a line of its own, since they
 *       have semicolons of their own)</td></tr>
 *   <tr><td>{@code <!-- run -->}</td><td>compiled and run (a whole unit's {@code main}, or a
 *       fragment without parameters); what it prints must be the next fenced block of the file,
 *       line for line (trailing spaces aside)</td></tr>
 *   <tr><td>{@code <!-- from: path -->}</td><td>the block is an excerpt of that file (relative to
 *       the repository): its lines appear there in the same order, blank lines and lines that are
 *       just {@code // ...} aside. Unless also a fragment or members, it is not compiled on its
 *       own: the file is. A file of a project outside the build (a sample) brings all of that
 *       project's sources into the doc's compilation, so the doc's other blocks may use them</td></tr>
 *   <tr><td>{@code <!-- not compiled: reason -->}</td><td>skipped, with the reason, which must be
 *       given</td></tr>
 * </table>
 *
 * <p>Every block is counted, and the counts (compiled, run, skipped with reasons) are printed.
 */
class DocsTest {

    /** What a fragment or a members block may use without importing it. */
    static final List<String> IMPORTS = List.of(
            "io.eddy.core.codec.*", "io.eddy.core.loop.*", "io.eddy.core.net.*", "io.eddy.core.testing.*", "io.eddy.core.tls.*",
            "io.eddy.core.metrics.*",
            "io.eddy.core.proxy.*",
            "io.eddy.http.*", "io.eddy.http.server.*", "io.eddy.http.client.*", "io.eddy.http.websocket.*",
            "io.eddy.udp.*", "io.eddy.udp.codec.*", "io.eddy.examples.*",
            "java.io.*", "java.net.*", "java.nio.*", "java.nio.channels.*", "java.nio.file.*", "java.time.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*",
            "java.nio.charset.StandardCharsets", "org.slf4j.Logger", "org.slf4j.LoggerFactory",
            "static java.nio.charset.StandardCharsets.UTF_8", "static org.junit.jupiter.api.Assertions.*");

    private static final Pattern MARKER = Pattern.compile("^\\s*<!--(.*)-->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,})\\s*([\\w+-]*).*$");
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final long RUN_TIMEOUT_MILLIS = 60_000;

    /** A fenced block of Java and what its marker says about it. */
    record Block(Path doc, int line, String code, Marker marker, String expectedOutput) {
        String where() {
            return doc + ":" + line;
        }
    }

    /** A marker's parts; all absent for a whole unit without one. */
    record Marker(boolean fragment, String parameters, boolean members, boolean run, String from, String skipReason,
                  String given) {
        static final Marker NONE = new Marker(false, "", false, false, null, null, "");

        static Marker parse(String text, String where) {
            return parse(List.of(text), where);
        }

        /** Parses the marker lines right above a fence, top to bottom. */
        static Marker parse(List<String> texts, String where) {
            boolean fragment = false;
            boolean members = false;
            boolean run = false;
            String parameters = "";
            String from = null;
            String skip = null;
            StringBuilder given = new StringBuilder();
            List<String> parts = new ArrayList<>();
            for (String text : texts) {
                if (text.strip().startsWith("given:")) {
                    parts.add(text.strip()); // Java declarations: their semicolons are theirs
                } else {
                    parts.addAll(List.of(text.split(";")));
                }
            }
            for (String part : parts) {
                String p = part.strip();
                if (p.startsWith("given:")) {
                    given.append(p.substring("given:".length()).strip()).append('\n');
                } else if (p.equals("fragment")) {
                    fragment = true;
                } else if (p.startsWith("fragment:")) {
                    fragment = true;
                    parameters = p.substring("fragment:".length()).strip();
                } else if (p.equals("members")) {
                    members = true;
                } else if (p.equals("run")) {
                    run = true;
                } else if (p.startsWith("from:")) {
                    from = p.substring("from:".length()).strip();
                } else if (p.startsWith("not compiled:")) {
                    skip = p.substring("not compiled:".length()).strip();
                    if (skip.isEmpty()) {
                        throw new AssertionError(where + ": 'not compiled:' needs a reason");
                    }
                } else {
                    throw new AssertionError(where + ": unknown marker part '" + p + "'");
                }
            }
            if (fragment && members) {
                throw new AssertionError(where + ": a block is a fragment or members, not both");
            }
            if (run && (members || !parameters.isEmpty())) {
                throw new AssertionError(where + ": only a whole unit or a fragment without parameters can run");
            }
            if (given.length() > 0 && !fragment && !members) {
                throw new AssertionError(where + ": 'given:' declarations go with a fragment or members");
            }
            return new Marker(fragment, parameters, members, run, from, skip, given.toString());
        }
    }

    @Test
    void everyJavaBlockInTheDocsCompilesAndTheRunnableOnesPrintWhatTheDocSays() throws Exception {
        Path root = repositoryRoot();
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        Path samples = root.resolve("samples");
        if (Files.isDirectory(samples)) {
            try (Stream<Path> files = Files.walk(samples)) {
                files.filter(f -> f.toString().endsWith(".md") && !f.toString().contains("/target/"))
                        .sorted().forEach(docs::add);
            }
        }

        int total = 0;
        int compiled = 0;
        int run = 0;
        int excerpts = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Path doc : docs) {
            List<Block> blocks = blocks(root, doc);
            total += blocks.size();
            List<Block> toCompile = new ArrayList<>();
            List<Block> excerptsOnly = new ArrayList<>();
            for (Block block : blocks) {
                if (block.marker().from() != null) {
                    String problem = excerptProblem(root, block);
                    if (problem != null) {
                        failures.add(problem);
                    }
                    excerpts++;
                    if (!block.marker().fragment() && !block.marker().members() && block.marker().skipReason() == null) {
                        excerptsOnly.add(block);   // compiled as the file it comes from, not on its own
                        continue;
                    }
                }
                if (block.marker().skipReason() != null) {
                    skipped.merge(block.marker().skipReason(), 1, Integer::sum);
                } else {
                    toCompile.add(block);
                }
            }
            if (toCompile.isEmpty() && excerptsOnly.isEmpty()) {
                continue;
            }
            List<Block> all = new ArrayList<>(toCompile);
            all.addAll(excerptsOnly);
            Compiled result = compile(root, toCompile, excerptedProjects(root, all), failures);
            if (result == null) {
                continue;
            }
            compiled += toCompile.size() + excerptsOnly.size();
            for (Block block : toCompile) {
                if (block.marker().run()) {
                    String problem = runAndCompare(block, result);
                    if (problem != null) {
                        failures.add(problem);
                    }
                    run++;
                }
            }
        }
        int skippedCount = skipped.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("docs: %d Java blocks in %d files: %d compiled (%d of them run, output checked), "
                        + "%d skipped, %d failing; %d excerpts checked against their source%n",
                total, docs.size(), compiled, run, skippedCount, total - compiled - skippedCount, excerpts);
        skipped.forEach((reason, count) -> System.out.printf("docs:   skipped %d: %s%n", count, reason));
        if (!failures.isEmpty()) {
            fail(failures.size() + " doc block(s) do not hold:\n\n" + String.join("\n\n", failures));
        }
        assertTrue(compiled > 0, "no Java block found in the docs");
    }

    // ---- finding the blocks ----

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("no repository root (README.md, docs/, pom.xml) above " + Path.of("").toAbsolutePath());
    }

    static List<Block> blocks(Path root, Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        Path name = root.relativize(doc);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int end = closingFence(lines, i, open.group(2));
            if (!open.group(3).equals("java")) {
                i = end;
                continue;
            }
            String where = name + ":" + (i + 1);
            // The marker lines stand right above the fence, with no blank line between.
            List<String> markerLines = new ArrayList<>();
            for (int before = i - 1; before >= 0; before--) {
                Matcher comment = MARKER.matcher(lines.get(before));
                if (!comment.matches()) {
                    break;
                }
                markerLines.add(0, comment.group(1));
            }
            Marker marker = markerLines.isEmpty() ? Marker.NONE : Marker.parse(markerLines, where);
            String code = unindent(lines.subList(i + 1, end), open.group(1).length());
            String expected = null;
            if (marker.run()) {
                expected = nextFencedBlock(lines, end + 1, where);
            }
            blocks.add(new Block(name, i + 2, code, marker, expected));
            i = end;
        }
        return blocks;
    }

    private static int closingFence(List<String> lines, int open, String ticks) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).strip().equals(ticks)) {
                return j;
            }
        }
        throw new AssertionError("unclosed code fence at line " + (open + 1));
    }

    private static String nextFencedBlock(List<String> lines, int from, String where) {
        for (int j = from; j < lines.size(); j++) {
            Matcher open = FENCE.matcher(lines.get(j));
            if (open.matches()) {
                int end = closingFence(lines, j, open.group(2));
                return unindent(lines.subList(j + 1, end), open.group(1).length());
            }
        }
        throw new AssertionError(where + ": a 'run' block needs its output in the next fenced block");
    }

    private static String unindent(List<String> lines, int indent) {
        return lines.stream()
                .map(l -> l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    // ---- excerpts ----

    static String excerptProblem(Path root, Block block) throws IOException {
        Path source = root.resolve(block.marker().from());
        if (!Files.isRegularFile(source)) {
            return block.where() + ": 'from: " + block.marker().from() + "': no such file";
        }
        List<String> sourceLines = Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                .map(String::strip).toList();
        int at = 0;
        for (String line : block.code().split("\n")) {
            String wanted = line.strip();
            if (wanted.isEmpty() || wanted.equals("// ...") || wanted.equals("...")) {
                continue;
            }
            while (at < sourceLines.size() && !sourceLines.get(at).equals(wanted)) {
                at++;
            }
            if (at == sourceLines.size()) {
                return block.where() + ": not an excerpt of " + block.marker().from()
                        + " any more: this line is not there (in this order):\n    " + wanted;
            }
            at++;
        }
        return null;
    }

    // ---- compiling ----

    /** The classes compiled from one doc, and the name of each block's class. */
    record Compiled(Map<String, byte[]> classes, Map<Block, String> classOf) {
    }

    /** A block as a source: its generated text and how many lines come before the block's first. */
    record Source(Block block, String className, String text, int headerLines) {
    }

    static Compiled compile(Path root, List<Block> blocks, List<Path> excerpted, List<String> failures)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("no Java compiler in this JDK (javax.tools)");
        }
        List<Source> sources = new ArrayList<>();
        Map<Block, String> classOf = new HashMap<>();
        for (Block block : blocks) {
            Source source;
            try {
                source = source(block);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
                continue;
            }
            sources.add(source);
            classOf.put(block, source.className());
        }
        // An excerpt of a project outside the build (a sample) brings that project's sources along:
        // they are compiled too, and the doc's other blocks may use their classes.
        List<JavaFileObject> projects = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        for (Path project : excerpted) {
            for (String tree : List.of("src/main/java", "src/test/java")) {
                Path dir = project.resolve(tree);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> java = Files.walk(dir)) {
                    for (Path file : java.filter(f -> f.toString().endsWith(".java")
                            && !f.getFileName().toString().equals("module-info.java")).sorted().toList()) {
                        String text = Files.readString(file, StandardCharsets.UTF_8);
                        Matcher pkg = PACKAGE.matcher(text);
                        if (pkg.find() && !packages.contains(pkg.group(1))) {
                            packages.add(pkg.group(1));
                        }
                        projects.add(new ProjectFile(file, text));
                    }
                }
            }
        }
        if (!packages.isEmpty()) {
            String imports = packages.stream().map(p -> "import " + p + ".*;\n").collect(Collectors.joining());
            sources.replaceAll(source -> source.headerLines() > 0
                    ? new Source(source.block(), source.className(), imports + source.text(),
                            source.headerLines() + packages.size())
                    : source);
        }
        List<JavaFileObject> files0 = new ArrayList<>(projects);
        Map<String, SourceFile> files = new LinkedHashMap<>();
        for (Source source : sources) {
            if (files.containsKey(source.className())) {
                failures.add(source.block().where() + ": a second class named " + source.className() + " in "
                        + source.block().doc() + " (the blocks of one file compile together)");
                return null;
            }
            files.put(source.className(), new SourceFile(source));
        }
        if (sources.size() < blocks.size()) {
            return null;
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        MemoryFileManager memory = new MemoryFileManager(standard);
        List<String> options = List.of("-classpath", testClassPath(), "-proc:none", "-implicit:none",
                "-Xlint:none", "-nowarn");
        files0.addAll(files.values());
        boolean ok = javac.getTask(null, memory, diagnostics, options, null, files0).call();
        if (!ok) {
            StringBuilder report = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                String where = "?";
                if (d.getSource() instanceof SourceFile file) {
                    Source s = file.source;
                    long docLine = s.block().line() + d.getLineNumber() - 1 - s.headerLines();
                    where = s.block().doc() + ":" + docLine + " (block at line " + s.block().line() + ")";
                } else if (d.getSource() instanceof ProjectFile file) {
                    where = root.relativize(file.path) + ":" + d.getLineNumber() + " (excerpted in a doc)";
                }
                report.append(where).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
            }
            failures.add(report.toString().strip());
            return null;
        }
        return new Compiled(memory.classes, classOf);
    }

    static Source source(Block block) {
        String name = block.doc().toString().replaceAll("[^A-Za-z0-9]", "_") + "_line" + block.line();
        Marker marker = block.marker();
        if (marker.fragment() || marker.members()) {
            StringBuilder header = new StringBuilder();
            for (String i : IMPORTS) {
                header.append("import ").append(i).append(";\n");
            }
            header.append("@SuppressWarnings(\"all\") public final class ").append(name).append(" {\n");
            header.append(marker.given());
            String footer = "}\n";
            if (marker.fragment()) {
                header.append(marker.run()
                        ? "public static void main(String[] args) throws Exception {\n"
                        : "static void fragment(" + marker.parameters() + ") throws Exception {\n");
                footer = "}\n}\n";
            }
            int headerLines = (int) header.chars().filter(c -> c == '\n').count();
            return new Source(block, name, header + block.code() + footer, headerLines);
        }
        Matcher type = TYPE.matcher(block.code());
        if (!type.find()) {
            throw new AssertionError(block.where() + ": a block without a marker must be a whole unit with a"
                    + " public class (or mark it: <!-- fragment -->, <!-- members -->, <!-- not compiled: why -->)");
        }
        Matcher pkg = PACKAGE.matcher(block.code());
        String className = (pkg.find() ? pkg.group(1) + "." : "") + type.group(1);
        return new Source(block, className, block.code(), 0);
    }

    /** The projects outside the build whose files blocks are excerpts of (not examples/, on the class path already). */
    static List<Path> excerptedProjects(Path root, List<Block> blocks) {
        List<Path> projects = new ArrayList<>();
        for (Block block : blocks) {
            String from = block.marker().from();
            int src = from == null ? -1 : from.indexOf("/src/");
            if (src < 0 || from.startsWith("examples/")) {
                continue;
            }
            Path project = root.resolve(from.substring(0, src));
            if (!projects.contains(project)) {
                projects.add(project);
            }
        }
        return projects;
    }

    /** A source file of an excerpted project, read from disk. */
    static final class ProjectFile extends SimpleJavaFileObject {
        final Path path;
        private final String text;

        ProjectFile(Path path, String text) {
            super(path.toUri(), Kind.SOURCE);
            this.path = path;
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    private static String testClassPath() {
        // Surefire runs tests through a manifest-only jar; it gives the real class path here.
        String path = System.getProperty("surefire.test.class.path");
        return path != null && !path.isBlank() ? path : System.getProperty("java.class.path");
    }

    /** A block's source, in memory, named as its public class so that javac accepts it. */
    static final class SourceFile extends SimpleJavaFileObject {
        final Source source;

        SourceFile(Source source) {
            super(URI.create("string:///" + source.className().replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.source = source;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source.text();
        }
    }

    /** Keeps what javac writes in memory. */
    static final class MemoryFileManager extends ForwardingJavaFileManager<JavaFileManager> {
        final Map<String, byte[]> classes = new HashMap<>();

        MemoryFileManager(JavaFileManager files) {
            super(files);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public java.io.OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override
                        public void close() {
                            classes.put(className, toByteArray());
                        }
                    };
                }
            };
        }
    }

    // ---- running ----

    static String runAndCompare(Block block, Compiled compiled) throws Exception {
        ClassLoader loader = new ClassLoader(DocsTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = compiled.classes().get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        Method main = loader.loadClass(compiled.classOf().get(block)).getMethod("main", String[].class);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                failure.set(e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                failure.set(e);
            }
        }, "doc-block-" + block.line());
        runner.setDaemon(true);
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            runner.start();
            runner.join(RUN_TIMEOUT_MILLIS);
        } finally {
            System.setOut(original);
        }
        if (runner.isAlive()) {
            runner.interrupt();
            return block.where() + ": still running after " + RUN_TIMEOUT_MILLIS / 1000 + " s";
        }
        if (failure.get() != null) {
            return block.where() + ": threw " + failure.get();
        }
        String actual = normalize(printed.toString(StandardCharsets.UTF_8));
        String expected = normalize(block.expectedOutput());
        if (!actual.equals(expected)) {
            return block.where() + ": printed\n" + actual.indent(4) + "  where the doc says\n" + expected.indent(4);
        }
        return null;
    }

    private static String normalize(String text) {
        return text.replace("\r\n", "\n").lines().map(String::stripTrailing)
                .collect(Collectors.joining("\n")).strip();
    }

    // ---- the checker's own rules ----

    @Test
    void markersParseAndBadOnesAreRefused() {
        Marker m = Marker.parse(" fragment: EventLoop loop, Logger log; from: a/B.java ", "x");
        assertTrue(m.fragment());
        assertEquals("EventLoop loop, Logger log", m.parameters());
        assertEquals("a/B.java", m.from());
        assertEquals("needs a server", Marker.parse(" not compiled: needs a server ", "x").skipReason());
        assertTrue(Marker.parse("fragment; run", "x").run());
        for (String bad : List.of("not compiled:", "framgent", "fragment; members", "members; run",
                "fragment: EventLoop loop; run")) {
            boolean refused = false;
            try {
                Marker.parse(bad, "x");
            } catch (AssertionError expected) {
                refused = true;
            }
            assertTrue(refused, "accepted <!--" + bad + "-->");
        }
    }
}
