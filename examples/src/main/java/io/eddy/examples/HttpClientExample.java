package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.tls.ClientTls;
import io.eddy.http.client.Http;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.Request;
import io.eddy.http.client.Response;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/**
 * The tutorial's HTTP client ({@code requests.get(url)}, then a post), on Eddy's client: the
 * response is framed by the RFC ({@code Content-Length}, chunked, or until close), never by a
 * short {@code recv}, and the posted bodies carry their {@code Content-Length}.
 *
 * <p>It GETs the URL (by default hello-http's {@code /hello}) and prints the status, headers and
 * text; then POSTs a form and a JSON string to {@code /echo} of the same server and prints what
 * comes back. A request that fails ends the program with the reason and a non-zero status.
 *
 * <p>An {@code https://} URL is fetched over TLS, the server's certificate checked against the
 * system's trusted CAs, or only against those of {@code --cacert FILE} (PEM) when it is given: a
 * private or test CA, or a self-signed certificate.
 *
 * <p>Threading: {@link #run} blocks its caller; the requests run on the shared client's loop.
 */
public final class HttpClientExample {

    /** hello-http's greeting, where the client goes by default. */
    public static final String DEFAULT_URL = "http://127.0.0.1:" + HelloHttp.PORT + "/hello";

    private HttpClientExample() {
    }

    /** {@code http-client [URL]} (or {@code --url URL}), and {@code --cacert FILE} for https. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("http-client", args));
    }

    /** How the example sends a request and waits for its answer. */
    @FunctionalInterface
    private interface Send {
        Response send(Request request);
    }

    static int run(Arguments args, PrintStream out) {
        String url = args.value("url", DEFAULT_URL);
        Path cacert = args.file("cacert").orElse(null);
        if (cacert == null) {
            // The tutorial's one-liners: the shared client, trusting the system's CAs for https.
            return fetch(url, Http::send, out);
        }
        ClientTls trust = ClientTls.builder().trustCertificates(cacert).build();
        try (EventLoop loop = EventLoop.builder().name("http-client").daemon(true).start();
             HttpClient client = HttpClient.on(loop).tls(trust).followRedirects(Http.MAX_REDIRECTS).build()) {
            return fetch(url, request -> {
                try {
                    return client.send(request).join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure : e;
                }
            }, out);
        }
    }

    private static int fetch(String url, Send send, PrintStream out) {
        Response response = send.send(Request.get(url));
        print(out, "GET " + url, response);
        String echo = URI.create(url).resolve("/echo").toString();
        print(out, "POST " + echo + " (a form)",
                send.send(Request.post(echo, "name=eddy&loop=1", "application/x-www-form-urlencoded")));
        print(out, "POST " + echo + " (JSON)",
                send.send(Request.post(echo, "{\"greeting\": \"hello\", \"from\": \"eddy\"}", "application/json")));
        return 0;
    }

    private static void print(PrintStream out, String what, Response response) {
        out.println("== " + what);
        out.println(response.version() + " " + response.status() + " " + response.reason());
        response.headers().forEach((name, value) -> out.println(name + ": " + value));
        out.println();
        out.println(response.text());
    }
}
