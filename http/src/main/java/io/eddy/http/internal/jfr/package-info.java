/**
 * The HTTP server's flight recorder event, {@code io.eddy.HttpRequest}: off until a recording
 * turns it on (with {@code eddy.jfc}, which keeps requests slower than 20 ms); the server's hooks
 * call {@link io.eddy.http.internal.jfr.HttpEvents}, which leaves the event class alone until the
 * process has a flight recorder. Not exported:
 * recordings find events by name.
 */
package io.eddy.http.internal.jfr;
