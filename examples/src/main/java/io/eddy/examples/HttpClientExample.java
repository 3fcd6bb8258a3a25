package io.eddy.examples;

import io.eddy.http.client.Http;
import io.eddy.http.client.Request;
import io.eddy.http.client.Response;
import java.io.PrintStream;
import java.net.URI;

/**
 * The tutorial's HTTP client ({@code requests.get(url)}, then a post), on Eddy's client: the
 * response is framed by the RFC ({@code Content-Length}, chunked, or until close), never by a
 * short {@code recv}, and the posted bodies carry their {@code Content-Length}.
 *
 * <p>It GETs the URL (by default hello-http's {@code /hello}) and prints the status, headers and
 * text; then POSTs a form and a JSON string to {@code /echo} of the same server and prints what
 * comes back. A request that fails ends the program with the reason and a non-zero status.
 *
 * <p>Threading: {@link #run} blocks its caller; the requests run on the shared client's loop.
 */
public final class HttpClientExample {

    /** hello-http's greeting, where the client goes by default. */
    public static final String DEFAULT_URL = "http://127.0.0.1:" + HelloHttp.PORT + "/hello";

    private HttpClientExample() {
    }

    /** {@code http-client [URL]} (or {@code --url URL}). */
    public static void main(String[] args) {
        Examples.main(Examples.withName("http-client", args));
    }

    static int run(Arguments args, PrintStream out) {
        String url = args.value("url", DEFAULT_URL);
        Response response = Http.get(url);
        print(out, "GET " + url, response);
        String echo = URI.create(url).resolve("/echo").toString();
        print(out, "POST " + echo + " (a form)",
                Http.send(Request.post(echo, "name=eddy&loop=1", "application/x-www-form-urlencoded")));
        print(out, "POST " + echo + " (JSON)",
                Http.send(Request.post(echo, "{\"greeting\": \"hello\", \"from\": \"eddy\"}", "application/json")));
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
