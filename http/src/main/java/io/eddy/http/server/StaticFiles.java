package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import io.eddy.http.codec.DateHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the files below a directory: a handler for a {@code GET} route whose last segment is a
 * wildcard.
 *
 * <pre>{@code
 * HttpServer.on(loop).bind(8080)
 *         .get("/static/{path...}", StaticFiles.from(Path.of("public")))
 *         .start();
 * // a whole site at the root, with "/" and "/docs/" answered by their index.html:
 * router.get("/{path...}", StaticFiles.from(site));
 * }</pre>
 *
 * <p>The file's path is the route's {@code path} parameter (another name with {@link #param}), or
 * the request's whole path when the route has no such parameter (a route for one file,
 * {@code /favicon.ico}). The parameter must be a {@code {name...}} wildcard, which the router hands
 * over still percent-encoded: this class decodes it itself, once.
 *
 * <p>Threading: immutable, so one instance may serve routes on every loop. {@link #handle} runs on
 * the loop thread and calls the file system there (see <em>Blocking</em> below).
 *
 * <h2>What is served</h2>
 * <ul>
 *   <li>A regular file, with a {@code Content-Type} chosen by its extension (text types with
 *       {@code charset=utf-8}; an unknown extension is {@code application/octet-stream}; add or
 *       replace types with {@link #contentType}) and {@code X-Content-Type-Options: nosniff}, so a
 *       browser never runs a download as a page. The body goes from the file to the socket with
 *       {@code FileChannel.transferTo}, without passing through the heap.
 *   <li>A directory, by its index file ({@code index.html}; see {@link #index}). Asked for without
 *       its final slash ({@code /docs}) it is redirected with {@code 301} to {@code /docs/}
 *       (query kept): served in place, the page's relative links would resolve against the
 *       parent. Directories are never listed: no index file is {@code 404}.
 *   <li>Anything else is {@code 404}: a missing file, a directory without an index, a file asked
 *       for with a final slash, a device or pipe, and every path refused below.
 * </ul>
 *
 * <h2>Nothing outside the root</h2>
 * The path is decoded strictly, name by name, and refused as a whole ({@code 404}, never
 * {@code 400}, so a probe learns nothing) when a name is {@code .} or {@code ..} in any spelling
 * ({@code %2e%2e}, {@code .%2E}, the overlong {@code %C0%AE}); holds an encoded slash or
 * backslash ({@code %2F}, {@code %5C}), a plain backslash, a colon or a control character
 * ({@code %00}); when a name is empty ({@code //}, which would make the rest absolute); or when an
 * escape is not two hex digits. The file found is then resolved to its real path
 * ({@link Path#toRealPath}), and served only if that path is still below the root's real path: a
 * symbolic link may point anywhere inside the root, but not out of it.
 *
 * <p><b>Hidden files are never served:</b> a name starting with a dot ({@code .git},
 * {@code .env}, {@code .htpasswd}) is refused like {@code ..}. To publish
 * {@code /.well-known/...}, give it a route of its own whose root is that directory (the root
 * itself may have any name).
 *
 * <h2>Caching and ranges</h2>
 * A file's answers ({@code 200}, {@code 206}, {@code 304}, {@code 416}) carry
 * {@code Last-Modified} (the file's time, to the second) and a strong {@code ETag} made of its
 * size and modification time ({@code "1f4-17c9e3a9b2f1c800"}); all but {@code 304} also carry
 * {@code Accept-Ranges: bytes}.
 * <ul>
 *   <li>{@code If-None-Match} listing the tag (weak comparison) or {@code *}: {@code 304} with the
 *       validators and no body. Only when there is no {@code If-None-Match},
 *       {@code If-Modified-Since} (an IMF-fixdate; anything else is ignored) not earlier than the
 *       file's time: {@code 304}.
 *   <li>{@code Range} on a {@code GET} (RFC 9110 defines it for no other method): one range
 *       ({@code bytes=0-499}, {@code bytes=500-}, {@code bytes=-500}) is {@code 206} with
 *       {@code Content-Range: bytes 0-499/1234} and those bytes only; one that starts past the end
 *       is {@code 416} with {@code Content-Range: bytes *}{@code /1234}. Several ranges, another
 *       unit or a malformed header are ignored: the whole file, {@code 200}.
 *   <li>{@code If-Range}: the range is honoured only if it names the current tag (strong
 *       comparison) or exactly the current {@code Last-Modified}, provided that time is before the
 *       current second (a file changed twice within one second keeps one date, so a date that
 *       recent proves nothing); otherwise the whole file is sent, so a resumed download never
 *       splices two versions.
 * </ul>
 * {@code HEAD} gets the headers {@code GET} would (the server leaves the body out). Any other
 * method is {@code 405} with {@code Allow: GET, HEAD}, should a route send one here.
 *
 * <h2>Blocking</h2>
 * {@link #handle} makes a few file-system calls on the loop thread (reading the attributes,
 * resolving the real path), and the server opens the file there when it sends the response. A
 * local disk answers these from its caches in microseconds. A slow or network file system (NFS, a
 * FUSE mount) could hold the loop, and every connection on it, for as long as it takes: serve such
 * a directory from an asynchronous route, which moves the handler's calls to an executor (the
 * file is still opened on the loop, once per response):
 *
 * <pre>{@code
 * StaticFiles files = StaticFiles.from(Path.of("/mnt/share"));
 * router.routeAsync("GET", "/share/{path...}", req -> CompletableFuture.supplyAsync(() -> files.handle(req), pool));
 * }</pre>
 */
public final class StaticFiles implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(StaticFiles.class);

    private static final String ALLOWED = HttpMethod.GET + ", " + HttpMethod.HEAD;

    private final Path root;
    private final String param;
    private final String index;
    private final String cacheControl;
    private final ContentTypes types;

    private StaticFiles(Path root, String param, String index, String cacheControl, ContentTypes types) {
        this.root = root;
        this.param = param;
        this.index = index;
        this.cacheControl = cacheControl;
        this.types = types;
    }

    /**
     * Serves the files below {@code root}, taking their path from the route's {@code path}
     * parameter, with {@code index.html} for directories and no {@code Cache-Control}.
     *
     * @throws IllegalArgumentException if {@code root} is not a directory that can be read (its
     *     real path is fixed now: a root that is a link is followed once, here)
     */
    public static StaticFiles from(Path root) {
        Objects.requireNonNull(root, "root");
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a directory that can be read: " + root, e);
        }
        if (!Files.isDirectory(real)) {
            throw new IllegalArgumentException("not a directory: " + root);
        }
        return new StaticFiles(real, "path", "index.html", null, ContentTypes.standard());
    }

    /** The same, taking the file's path from the route's wildcard parameter {@code name} ({@code file} for {@code /f/{file...}}). */
    public StaticFiles param(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a parameter name must not be empty");
        }
        return new StaticFiles(root, name, index, cacheControl, types);
    }

    /**
     * The same, serving a directory by the file {@code fileName} in it ({@code index.html} by
     * default); null serves no directory at all.
     */
    public StaticFiles index(String fileName) {
        if (fileName != null) {
            List<String> names = PathSegments.decode(fileName);
            if (names == null || names.size() != 1 || !names.get(0).equals(fileName)) {
                throw new IllegalArgumentException("not a plain file name: " + fileName);
            }
        }
        return new StaticFiles(root, param, fileName, cacheControl, types);
    }

    /**
     * The same, adding {@code Cache-Control: value} to every file it serves ({@code max-age=3600},
     * {@code no-cache}); null (the default) adds none, leaving browsers to revalidate with the
     * tags as they see fit.
     */
    public StaticFiles cacheControl(String value) {
        if (value != null) {
            HttpHeaders.of(HeaderNames.CACHE_CONTROL, value); // a bad value fails here, not on every request
        }
        return new StaticFiles(root, param, index, value, types);
    }

    /**
     * The same, serving files whose name ends in {@code .extension} (any case) as {@code type}:
     * {@code contentType("md", "text/markdown; charset=utf-8")}.
     */
    public StaticFiles contentType(String extension, String type) {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(type, "type");
        return new StaticFiles(root, param, index, cacheControl, types.with(extension, type));
    }

    /** The directory served, as its real path. */
    public Path root() {
        return root;
    }

    /** Answers {@code request}; see the class comment for what with. Runs on the loop thread. */
    @Override
    public HttpResponse handle(HttpRequest request) {
        String method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return HttpResponse.text(HttpStatus.METHOD_NOT_ALLOWED, "405 Method Not Allowed\n")
                    .header(HeaderNames.ALLOW, ALLOWED);
        }
        String path = request.path();
        String raw = request.pathParam(param);
        if (raw == null) {
            if (!path.startsWith("/")) {
                return notFound();
            }
            raw = path.substring(1);
        }
        List<String> names = PathSegments.decode(raw);
        if (names == null) {
            return notFound();
        }
        Path file = root;
        try {
            for (String name : names) {
                file = file.resolve(name);
            }
        } catch (InvalidPathException e) {
            return notFound(); // a name this file system cannot hold
        }
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null) {
            return notFound();
        }
        boolean slash = path.endsWith("/");
        boolean directory = attributes.isDirectory();
        if (directory) {
            if (index == null) {
                return notFound();
            }
            file = file.resolve(index);
            attributes = attributes(file);
            if (attributes == null) {
                return notFound();
            }
        } else if (slash) {
            return notFound(); // a file is no directory
        }
        if (!attributes.isRegularFile()) {
            return notFound();
        }
        Path real = realPathBelowRoot(file);
        if (real == null) {
            return notFound();
        }
        if (directory && !slash) {
            return redirectToDirectory(request);
        }
        return serve(request, real, attributes, types.of(file.getFileName().toString()));
    }

    private HttpResponse serve(HttpRequest request, Path file, BasicFileAttributes attributes, String contentType) {
        long size = attributes.size();
        long modified = Math.floorDiv(attributes.lastModifiedTime().toMillis(), 1000);
        String etag = "\"" + Long.toHexString(size) + "-"
                + Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)) + "\"";
        if (notModified(request, etag, modified)) {
            return validators(HttpResponse.status(HttpStatus.NOT_MODIFIED), etag, modified);
        }
        ByteRange range = range(request, etag, modified, size);
        HttpResponse response;
        if (range == null) {
            response = HttpResponse.file(file, 0, size, contentType);
        } else if (range == ByteRange.UNSATISFIABLE) {
            response = HttpResponse.status(HttpStatus.RANGE_NOT_SATISFIABLE)
                    .header(HeaderNames.CONTENT_RANGE, "bytes */" + size);
        } else {
            response = HttpResponse.file(file, range.first(), range.length(), contentType)
                    .withStatus(HttpStatus.PARTIAL_CONTENT)
                    .header(HeaderNames.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        response.header(HeaderNames.ACCEPT_RANGES, "bytes");
        if (response.status() != HttpStatus.RANGE_NOT_SATISFIABLE) {
            response.header("X-Content-Type-Options", "nosniff");
        }
        return validators(response, etag, modified);
    }

    /** RFC 9110 §13.2.2, steps 3 and 4: {@code If-None-Match}, else {@code If-Modified-Since}. */
    private static boolean notModified(HttpRequest request, String etag, long modified) {
        List<String> noneMatch = request.headers().getAll(HeaderNames.IF_NONE_MATCH);
        if (!noneMatch.isEmpty()) {
            return EntityTags.noneMatchHits(noneMatch, etag);
        }
        List<String> since = request.headers().getAll(HeaderNames.IF_MODIFIED_SINCE);
        if (since.size() != 1) {
            return false; // absent, or ambiguous: ignored (RFC 9110 §13.1.3)
        }
        long date = parseDate(since.get(0));
        return date != Long.MIN_VALUE && modified <= date;
    }

    /** The range to send: null for the whole file (no usable {@code Range}, or {@code If-Range} failed). */
    private static ByteRange range(HttpRequest request, String etag, long modified, long size) {
        if (!request.method().equals(HttpMethod.GET)) {
            return null;
        }
        List<String> ranges = request.headers().getAll(HeaderNames.RANGE);
        if (ranges.size() != 1) {
            return null;
        }
        List<String> ifRange = request.headers().getAll(HeaderNames.IF_RANGE);
        if (ifRange.size() > 1 || ifRange.size() == 1 && !stillCurrent(ifRange.get(0), etag, modified)) {
            return null;
        }
        return ByteRange.parse(ranges.get(0), size);
    }

    /** {@code If-Range}'s condition (RFC 9110 §13.1.5): the same tag, strongly, or the very same date, if a date can be trusted. */
    private static boolean stillCurrent(String value, String etag, long modified) {
        String v = value.strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return EntityTags.strongMatch(v, etag);
        }
        // A date is a strong validator only if the file was not modified in the current second.
        EventLoop loop = EventLoop.current(); // the loop's clock, so a test in virtual time sees its own
        long now = Math.floorDiv(loop != null ? loop.currentTimeMillis() : System.currentTimeMillis(), 1000);
        return modified < now && parseDate(v) == modified;
    }

    private HttpResponse validators(HttpResponse response, String etag, long modified) {
        response.header(HeaderNames.ETAG, etag)
                .header(HeaderNames.LAST_MODIFIED, DateHeader.IMF_FIXDATE.format(Instant.ofEpochSecond(modified)));
        if (cacheControl != null) {
            response.header(HeaderNames.CACHE_CONTROL, cacheControl);
        }
        return response;
    }

    /** {@code value} as an IMF-fixdate, in seconds since the epoch; {@code Long.MIN_VALUE} if it is not one. */
    private static long parseDate(String value) {
        try {
            return Instant.from(DateHeader.IMF_FIXDATE.parse(value.strip())).getEpochSecond();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    /** {@code 301} to the same path with a final slash, and the same query. */
    private static HttpResponse redirectToDirectory(HttpRequest request) {
        String path = request.path();
        if (path.startsWith("//") || !path.startsWith("/")) {
            // "//host/x" as a Location would send the browser to another host.
            return notFound();
        }
        String query = request.rawQuery();
        String location = path + "/" + (query == null ? "" : "?" + query);
        return HttpResponse.status(HttpStatus.MOVED_PERMANENTLY).header(HeaderNames.LOCATION, location);
    }

    /** The attributes of {@code file} (links followed), or null if it cannot be read. */
    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Not a directory on the way, no permission, a link loop: all a plain 404 to the client.
            log.debug("cannot read the attributes of {}", file, e);
            return null;
        }
    }

    /** The real path of {@code file} if it lies below the root, else null. */
    private Path realPathBelowRoot(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            log.debug("cannot resolve {}", file, e);
            return null;
        }
        if (!real.startsWith(root)) {
            log.debug("refused {}: its real path {} lies outside {}", file, real, root);
            return null;
        }
        return real;
    }

    private static HttpResponse notFound() {
        return HttpResponse.text(HttpStatus.NOT_FOUND, "404 Not Found\n");
    }

    @Override
    public String toString() {
        return "StaticFiles[" + root + "]";
    }
}
