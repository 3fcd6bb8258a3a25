package io.eddy.http.internal;

import io.eddy.http.server.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The module exports its API packages only: what the server and client share stays inside. */
class ModuleExportsTest {

    /** Read from the compiled module-info: the tests may run outside the module. */
    private static final ModuleDescriptor MODULE = descriptor();

    private static ModuleDescriptor descriptor() {
        try {
            Path classes = Path.of(HttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the module's descriptor", e);
        }
    }

    @Test
    void exportsTheSharedTypesTheCodecsTheServerTheClientAndWebSocketOnly() {
        Set<String> exported = MODULE.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("io.eddy.http", "io.eddy.http.codec", "io.eddy.http.server", "io.eddy.http.client",
                "io.eddy.http.websocket"), exported);
    }

    @Test
    void sharedClassesLiveInAPackageNotExported() {
        Set<String> exported = MODULE.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        for (Class<?> shared : Stream.of(HttpChars.class, BodyBuffer.class, io.eddy.http.internal.body.StreamedBodyWriter.class).toList()) {
            assertFalse(exported.contains(shared.getPackageName()), shared + " is in an exported package");
        }
    }
}
