package io.eddy.bench;

/**
 * One row of a load family: its label in tables and charts, and the load's shape.
 *
 * @param label       as shown, e.g. {@code 64 conn}
 * @param connections connections (or, for UDP, datagrams in flight)
 * @param depth       requests sent at once per connection (1: no pipelining)
 * @param rate        requests a second for an open-loop row; 0 for a closed-loop one, which sends
 *                    the next request as soon as the last is answered
 * @param window      for a closed-loop row with {@code depth} above 1: true keeps {@code depth}
 *                    requests in flight, each answer's request replaced at once (those of one read
 *                    in one write); false sends {@code depth} in one write and the next batch once
 *                    all are answered
 */
record Scenario(String label, int connections, int depth, long rate, boolean window) {

    /** A closed-loop row sending batches. */
    Scenario(String label, int connections, int depth) {
        this(label, connections, depth, 0, false);
    }

    /** An open-loop row at {@code rate}, or a closed-loop one sending batches when it is 0. */
    Scenario(String label, int connections, int depth, long rate) {
        this(label, connections, depth, rate, false);
    }
}
