/** Eddy's HTTP/1.1 server (the request codec, the request and response model, routing, static files) and client. */
module io.eddy.http {
    requires transitive io.eddy.core;
    requires org.slf4j;

    exports io.eddy.http;
    exports io.eddy.http.client;
}
