package io.eddy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx over TLS, the C reference of the TLS rows (OpenSSL): the same routes as the benchmark's
 * HTTP servers ({@code /plaintext} answers {@code Hello, World!}, {@code /bulk} the 1 MiB
 * {@link BulkBody}, served from a file), the same certificate, TLS 1.3 and 1.2 with the server's
 * order of AEAD suites, on one worker. It runs in the foreground as a single process
 * ({@code master_process off}), so the runner reads its CPU time as it does a JVM's, and with no
 * cap on requests per connection (nginx closes a keep-alive connection after 1,000 by default,
 * which would add handshakes to the keep-alive rows).
 *
 * <p>Threading: {@link #command} is called by the runner's thread; nginx is its own process.
 */
final class NginxServer implements ServerProcess.Program {

    /** How to get nginx where it is missing. */
    static final String INSTALL_HINT = "nginx is not installed (apt-get install nginx-light): the TLS rows go without"
            + " their C reference";

    private final ServerArgs.TlsFiles tls;

    NginxServer(ServerArgs.TlsFiles tls) {
        this.tls = tls;
    }

    /** Whether an {@code nginx} program is on the {@code PATH} (or in {@code /usr/sbin}, where Debian puts it). */
    static boolean installed() {
        return Programs.onPath("nginx") || Files.isExecutable(Path.of("/usr/sbin/nginx"));
    }

    private static String program() {
        return Programs.onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
    }

    /**
     * Writes the configuration and the body's file into a new temporary directory; the command
     * serves from it. JVM flags do not apply.
     */
    @Override
    public List<String> command(int port, List<String> extraJvmFlags) throws IOException {
        Path dir = Files.createTempDirectory("nginx-tls-");
        dir.toFile().deleteOnExit();
        Path www = Files.createDirectories(dir.resolve("www"));
        www.toFile().deleteOnExit();
        Path bulk = Files.write(www.resolve(BulkBody.PATH.substring(1)), BulkBody.BYTES);
        bulk.toFile().deleteOnExit();
        Path config = Files.writeString(dir.resolve("nginx.conf"), configuration(port, dir, www));
        config.toFile().deleteOnExit();
        return List.of(program(), "-p", dir.toString(), "-e", "stderr", "-c", config.toString());
    }

    /** The configuration: one worker in the foreground, TLS on {@code port}, the two routes. */
    String configuration(int port, Path dir, Path www) {
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log stderr warn;
                events {
                    worker_connections 16384;
                }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    keepalive_requests 2147483647;
                    keepalive_timeout 300s;
                    open_file_cache max=16;
                    server_tokens off;
                    server {
                        listen 127.0.0.1:%2$d ssl;
                        ssl_certificate %3$s;
                        ssl_certificate_key %4$s;
                        ssl_protocols TLSv1.3 TLSv1.2;
                        ssl_ciphers ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305;
                        ssl_prefer_server_ciphers on;
                        location = %5$s {
                            default_type "text/plain; charset=utf-8";
                            return 200 "%6$s";
                        }
                        location = %7$s {
                            root %8$s;
                            default_type %9$s;
                        }
                        location / {
                            return 404;
                        }
                    }
                }
                """.formatted(dir, port, tls.certificateChain().toAbsolutePath(), tls.privateKey().toAbsolutePath(),
                PlaintextRequest.PATH, PlaintextRequest.BODY, BulkBody.PATH, www, BulkBody.CONTENT_TYPE);
    }
}
