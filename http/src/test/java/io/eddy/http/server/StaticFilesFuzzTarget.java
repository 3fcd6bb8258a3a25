package io.eddy.http.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.testing.FuzzInput;
import io.eddy.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Coverage-guided fuzzing of {@link StaticFiles}' path resolution, through the whole server in
 * memory, against a real temporary tree: a root with files, a directory with an index, one
 * without, hidden files, and symbolic links that stay inside (to a file, to a directory, back up
 * to the root) or lead out (to a file or directory beside the root, to a sibling whose name starts
 * like the root's, by an absolute path), and a link to itself. Every file inside says
 * {@code INSIDE <its path>}; every file outside or hidden says {@code SECRET}. The fuzzer chooses
 * the request target, sent as {@code GET <target> HTTP/1.1}. The oracles:
 *
 * <ul>
 *   <li>nothing outside the root, and no hidden file, is ever served: no file served holds
 *       {@code SECRET};</li>
 *   <li>a file served is the one the path names: resolving the route's parameter name by name
 *       below the root (percent-decoded, links followed, a directory's {@code index.html}) gives a
 *       file whose real path is below the root's and whose content is the body;</li>
 *   <li>a redirect to a directory's slash stays on this site: its {@code Location} is a path,
 *       never {@code //host} or {@code /\host}.</li>
 * </ul>
 */
class StaticFilesFuzzTarget {

    private static Path base;
    private static Path root;
    private static Path realRoot;
    private static final List<String> SEEN = new ArrayList<>();
    private static Router router;

    @BeforeAll
    static void makeTree() throws IOException {
        base = Files.createTempDirectory("eddy-static-fuzz");
        root = Files.createDirectory(base.resolve("site"));
        Path outside = Files.createDirectory(base.resolve("outside"));
        Path sibling = Files.createDirectory(base.resolve("site2"));
        for (String file : new String[] {"index.html", "a.txt", "sp ace.txt", "\u00e9.txt", "sub/index.html", "sub/b.css",
            "sub/deeper/c.js", "100%.txt"}) {
            Path path = root.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "INSIDE " + file, UTF_8);
        }
        Files.createDirectory(root.resolve("empty"));
        Files.writeString(root.resolve(".hidden"), "SECRET hidden");
        Files.writeString(root.resolve("sub/.env"), "SECRET env");
        Files.writeString(outside.resolve("secret.txt"), "SECRET outside");
        Files.writeString(outside.resolve("index.html"), "SECRET outside index");
        Files.writeString(sibling.resolve("secret.txt"), "SECRET sibling");
        link("link-in", "a.txt");
        link("link-dir-in", "sub");
        link("sub/up", "..");
        link("sub/deeper/top", "../../index.html");
        link("link-out", "../outside/secret.txt");
        link("link-dir-out", "../outside");
        link("sub/escape", "../../outside/secret.txt");
        link("link-sibling", "../site2/secret.txt");
        link("link-sibling-dir", "../site2");
        link("link-absolute", outside.resolve("secret.txt").toString());
        link("loop", "loop");
        link(".git", "../outside");
        realRoot = root.toRealPath();
        router = new Router().get("/{path...}", request -> {
            SEEN.add(request.pathParam("path"));
            return StaticFiles.from(root).handle(request);
        });
    }

    private static void link(String name, String target) throws IOException {
        Files.createSymbolicLink(root.resolve(name), Path.of(target));
    }

    @AfterAll
    static void removeTree() throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @FuzzTest
    void servesNothingButTheFileThePathNamesBelowTheRoot(byte[] data) throws IOException {
        FuzzInput input = FuzzInput.of(data);
        String target = new String(input.stream(), ISO_8859_1);
        String request = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
        String where = "GET " + target;
        SEEN.clear();
        String answer;
        try (InMemoryHttp http = new InMemoryHttp(b -> b.router(router))) {
            InMemoryHttp.Client client = http.connect();
            client.send(request);
            answer = client.unread();
        }
        if (answer.isEmpty()) {
            return; // a request line not yet whole: nothing to answer
        }
        WireClient.Response response = WireClient.reading(new ByteArrayInputStream(answer.getBytes(ISO_8859_1))).read();
        if (response.status() == HttpStatus.OK) {
            // Only a file's body is looked at: other answers may quote the target, which the fuzzer writes.
            String body = new String(response.body(), UTF_8);
            if (body.contains("SECRET")) {
                throw new AssertionError(where + ": served what is outside the root or hidden:\n" + answer);
            }
            String expected = SEEN.size() == 1 ? contentBelowRoot(SEEN.get(0)) : null;
            if (!body.equals(expected)) {
                throw new AssertionError(where + ": served " + body + " for the parameter " + SEEN + ", which names "
                        + expected);
            }
        } else if (response.status() == HttpStatus.MOVED_PERMANENTLY) {
            String location = response.headers().getOrDefault("Location", List.of("")).get(0);
            if (!location.startsWith("/") || location.startsWith("//") || location.startsWith("/\\")) {
                throw new AssertionError(where + ": redirected off the site, to " + location);
            }
        }
    }

    /**
     * The content of the file {@code raw} names below the root (decoded name by name, links
     * followed, a directory's index), or null when there is none or it lies outside the root.
     */
    private static String contentBelowRoot(String raw) {
        Path file = root;
        try {
            for (String segment : raw.split("/")) {
                if (!segment.isEmpty()) {
                    file = file.resolve(PercentCoding.decode(segment, false));
                }
            }
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            Path real = file.toRealPath();
            return real.startsWith(realRoot) && Files.isRegularFile(real) ? Files.readString(real, UTF_8) : null;
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }
}
