package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Content types by extension. */
class ContentTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "index.html     | text/html; charset=utf-8",
        "INDEX.HTM      | text/html; charset=utf-8",
        "site.css       | text/css; charset=utf-8",
        "app.js         | text/javascript; charset=utf-8",
        "module.mjs     | text/javascript; charset=utf-8",
        "data.json      | application/json",
        "notes.txt      | text/plain; charset=utf-8",
        "logo.svg       | image/svg+xml",
        "pic.png        | image/png",
        "photo.jpg      | image/jpeg",
        "photo.JPEG     | image/jpeg",
        "anim.gif       | image/gif",
        "pic.webp       | image/webp",
        "favicon.ico    | image/x-icon",
        "app.wasm       | application/wasm",
        "paper.pdf      | application/pdf",
        "feed.xml       | application/xml",
        "font.woff      | font/woff",
        "font.woff2     | font/woff2",
        "clip.mp4       | video/mp4",
        "archive.tar.gz | application/gzip",
        "data.xyz       | application/octet-stream",
        "README         | application/octet-stream",
        "trailing.      | application/octet-stream",
        ".profile       | application/octet-stream",
    })
    void choosesByExtension(String name, String type) {
        assertEquals(type, ContentTypes.standard().of(name));
    }

    @Test
    void addsAndReplacesTypes() {
        ContentTypes types = ContentTypes.standard().with(".MD", "text/x-markdown").with("js", "application/javascript");
        assertEquals("text/x-markdown", types.of("a.md"));
        assertEquals("application/javascript", types.of("a.js"));
        assertEquals("text/javascript; charset=utf-8", ContentTypes.standard().of("a.js"));
    }

    @Test
    void refusesBadExtensionsAndTypes() {
        ContentTypes types = ContentTypes.standard();
        assertThrows(IllegalArgumentException.class, () -> types.with("", "text/plain"));
        assertThrows(IllegalArgumentException.class, () -> types.with("tar.gz", "text/plain"));
        assertThrows(IllegalArgumentException.class, () -> types.with("a/b", "text/plain"));
        assertThrows(IllegalArgumentException.class, () -> types.with("md", " "));
        assertThrows(IllegalArgumentException.class, () -> types.with("md", "text/plain\r\nX-Evil: 1"));
    }
}
