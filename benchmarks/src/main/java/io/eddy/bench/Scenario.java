package io.eddy.bench;

/**
 * One row of a load family: its label in tables and charts, and the load's shape.
 *
 * @param label       as shown, e.g. {@code 64 conn}
 * @param connections connections (or, for UDP, datagrams in flight)
 * @param depth       requests sent at once per connection (1: no pipelining)
 */
record Scenario(String label, int connections, int depth) {
}
