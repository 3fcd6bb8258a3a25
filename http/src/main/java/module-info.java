/** Eddy's HTTP/1.1 server and client. Not yet written: it exports nothing so far. */
module io.eddy.http {
    requires io.eddy.core;
}
