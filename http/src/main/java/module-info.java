/**
 * Eddy's HTTP/1.1: the message types both sides share ({@code io.eddy.http}), the wire codecs
 * ({@code io.eddy.http.codec}), the server ({@code io.eddy.http.server}), the client
 * ({@code io.eddy.http.client}) and WebSocket, which both sides upgrade to
 * ({@code io.eddy.http.websocket}). The {@code internal} packages are not exported.
 */
module io.eddy.http {
    requires transitive io.eddy.core;
    requires org.slf4j;
    // The flight recorder event of each request, off unless a recording asks.
    requires jdk.jfr;

    exports io.eddy.http;
    exports io.eddy.http.codec;
    exports io.eddy.http.server;
    exports io.eddy.http.client;
    exports io.eddy.http.websocket;
}
