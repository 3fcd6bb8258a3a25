/**
 * The HTTP/1.1 client: {@link io.eddy.http.client.HttpClient} sends
 * {@link io.eddy.http.client.Request}s over pooled, kept-alive connections and completes a future
 * with each {@link io.eddy.http.client.Response}, with timeouts and redirects;
 * {@link io.eddy.http.client.Http#get} and {@code post} wait for the answer, on a shared client.
 * Every failure is an {@link io.eddy.http.client.HttpClientException} saying which kind it is.
 *
 * <p>Threading: {@code send} and {@code close} are safe from any thread; futures complete on the
 * loop thread. The client never depends on the server.
 */
package io.eddy.http.client;
