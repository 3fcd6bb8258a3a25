package io.eddy.http.client;

import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.core.loop.EventLoop;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The tutorial's one-liners, done right: {@code Http.get(url)} and {@code Http.post(url, body)}
 * send a request and wait for the whole response.
 *
 * <pre>{@code
 * Response response = Http.get("http://127.0.0.1:9990/hello");
 * System.out.println(response.status() + " " + response.headers() + " " + response.text());
 * }</pre>
 *
 * <p>They share one {@link HttpClient}, started at first use on an event loop of its own (a daemon
 * thread, so it never keeps the JVM alive), following up to 5 redirects, with the client's other
 * defaults: {@code https://} URLs are trusted by the system's certificate authorities, with the host
 * name checked. For settings of your own (another trust, a client certificate), or to send without
 * waiting, build an {@link HttpClient}.
 *
 * <p>Threading: blocks the calling thread until the response is whole. Safe from any thread but
 * an event loop's, where waiting would stall the loop (perhaps the very one the answer needs):
 * there it throws {@link IllegalStateException}; use {@link HttpClient#send} instead.
 */
public final class Http {

    /** How many redirects the shared client follows. */
    public static final int MAX_REDIRECTS = 5;

    private Http() {
    }

    /** Started on first use: the holder's class is initialised once, by the JVM, thread-safely. */
    private static final class Shared {
        static final HttpClient CLIENT = HttpClient.on(EventLoop.builder().name("eddy-http-client").daemon(true).start())
                .followRedirects(MAX_REDIRECTS)
                .build();
    }

    /**
     * {@code GET url}, waiting for the response.
     *
     * @throws IllegalArgumentException if {@code url} is not an {@code http://} or {@code https://} URL
     * @throws HttpClientException      if no response came (the message says why; its stack is the
     *                                  caller's, its cause the failure as the loop saw it)
     * @throws IllegalStateException    if called on an event loop's thread
     */
    public static Response get(String url) {
        return send(Request.get(url));
    }

    /** {@code POST url} with {@code body} as UTF-8 text, waiting for the response; see {@link #get}. */
    public static Response post(String url, String body) {
        return send(Request.post(url, body));
    }

    /** Sends {@code request} and waits for the response; see {@link #get}. */
    public static Response send(Request request) {
        EventLoop current = EventLoop.current();
        if (current != null) {
            throw new IllegalStateException("Http." + request.method().toLowerCase(java.util.Locale.ROOT)
                    + " blocks, and this is the thread of event loop '" + current.name()
                    + "': use HttpClient.send, which returns a future");
        }
        CompletableFuture<Response> response = Shared.CLIENT.send(request);
        try {
            return response.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpClientException failure) {
                // Thrown on the loop, its stack shows no caller: a new one of the same kind does, with it as cause.
                throw new HttpClientException(failure.kind(), failure.getMessage(), failure);
            }
            throw new HttpClientException(Kind.CLIENT_CLOSED, request + " failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new HttpClientException(Kind.CLIENT_CLOSED, request + " was cancelled", e);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new HttpClientException(Kind.INTERRUPTED, "interrupted while waiting for the response to " + request, e);
        }
    }
}
