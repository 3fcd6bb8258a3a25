package io.eddy.bench;

/**
 * One row of a load family: its label in tables and charts, and the load's shape.
 *
 * @param label       as shown, e.g. {@code 64 conn}
 * @param connections connections (or, for UDP, datagrams in flight)
 * @param depth       requests sent at once per connection (1: no pipelining)
 * @param rate        requests a second for an open-loop row; 0 for a closed-loop one, which sends
 *                    the next request as soon as the last is answered
 */
record Scenario(String label, int connections, int depth, long rate) {

    /** A closed-loop row. */
    Scenario(String label, int connections, int depth) {
        this(label, connections, depth, 0);
    }
}
