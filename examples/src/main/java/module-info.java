/** The socket tutorial's programs, rebuilt on Eddy. An application: it exports nothing. */
module io.eddy.examples {
    requires io.eddy.core;
    requires io.eddy.udp;
    requires io.eddy.http;
    requires org.slf4j;
}
