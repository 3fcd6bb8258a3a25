package io.eddy.http.server;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a file by its name's extension, for {@link StaticFiles}.
 *
 * <p>Text types say {@code charset=utf-8}: a static site written today is UTF-8, and a browser
 * left to guess may guess otherwise. JSON, XML and SVG carry no charset parameter (JSON has none
 * registered; XML declares its own). A name with no extension, or one not listed, is
 * {@code application/octet-stream}, which a browser downloads rather than renders.
 *
 * <p>Threading: immutable.
 */
final class ContentTypes {

    static final String OCTET_STREAM = "application/octet-stream";

    private static final String UTF_8 = "; charset=utf-8";

    private static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> types;

    private ContentTypes(Map<String, String> types) {
        this.types = types;
    }

    /** The built-in table. */
    static ContentTypes standard() {
        return new ContentTypes(DEFAULTS);
    }

    /** A copy that maps {@code extension} (without its dot, any case) to {@code type}. */
    ContentTypes with(String extension, String type) {
        String key = extension.startsWith(".") ? extension.substring(1) : extension;
        if (key.isEmpty() || key.indexOf('.') >= 0 || key.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a file name extension: " + extension);
        }
        if (type.isBlank()) {
            throw new IllegalArgumentException("empty content type for " + extension);
        }
        HttpHeaders.of(HeaderNames.CONTENT_TYPE, type); // a bad value fails here, not on every request
        Map<String, String> copy = new HashMap<>(types);
        copy.put(key.toLowerCase(Locale.ROOT), type);
        return new ContentTypes(Map.copyOf(copy));
    }

    /** The type of a file named {@code fileName} (the last segment of a path). */
    String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || dot == fileName.length() - 1) {
            return OCTET_STREAM; // no extension, or a name that is all extension (".profile")
        }
        String type = types.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? OCTET_STREAM : type;
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new HashMap<>();
        // Text: read by browsers and editors, so say how it is encoded.
        m.put("html", "text/html" + UTF_8);
        m.put("htm", "text/html" + UTF_8);
        m.put("css", "text/css" + UTF_8);
        m.put("js", "text/javascript" + UTF_8); // RFC 9239: text/javascript is the one to use
        m.put("mjs", "text/javascript" + UTF_8);
        m.put("cjs", "text/javascript" + UTF_8);
        m.put("txt", "text/plain" + UTF_8);
        m.put("text", "text/plain" + UTF_8);
        m.put("csv", "text/csv" + UTF_8);
        m.put("md", "text/markdown" + UTF_8);
        m.put("json", "application/json");
        m.put("map", "application/json");
        m.put("webmanifest", "application/manifest+json");
        m.put("xml", "application/xml");
        m.put("svg", "image/svg+xml");
        // Images.
        m.put("png", "image/png");
        m.put("jpg", "image/jpeg");
        m.put("jpeg", "image/jpeg");
        m.put("gif", "image/gif");
        m.put("webp", "image/webp");
        m.put("avif", "image/avif");
        m.put("ico", "image/x-icon");
        m.put("bmp", "image/bmp");
        // Fonts.
        m.put("woff", "font/woff");
        m.put("woff2", "font/woff2");
        m.put("ttf", "font/ttf");
        m.put("otf", "font/otf");
        // Audio and video.
        m.put("mp4", "video/mp4");
        m.put("webm", "video/webm");
        m.put("ogv", "video/ogg");
        m.put("mp3", "audio/mpeg");
        m.put("ogg", "audio/ogg");
        m.put("oga", "audio/ogg");
        m.put("wav", "audio/wav");
        m.put("flac", "audio/flac");
        // Applications and archives.
        m.put("wasm", "application/wasm");
        m.put("pdf", "application/pdf");
        m.put("zip", "application/zip");
        m.put("gz", "application/gzip");
        m.put("tar", "application/x-tar");
        return Map.copyOf(m);
    }
}
