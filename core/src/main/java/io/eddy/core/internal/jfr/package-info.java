/**
 * Eddy's flight recorder events ({@code jdk.jfr}): connections opened and closed, loop stalls,
 * TLS handshakes. Each is off ({@code @Enabled(false)}) until a recording turns it on, with
 * {@code eddy.jfc} or by name; each is named {@code io.eddy.*} and filed under the category
 * {@code Eddy}. The hooks in the connection and the watchdog call
 * {@link io.eddy.core.internal.jfr.FlightEvents}, which touches no event class until the process
 * has a flight recorder, then asks whether the event is on before it reads or formats anything:
 * an event that is off costs a flag check. Not exported: recordings find events by name, not by class.
 */
package io.eddy.core.internal.jfr;
