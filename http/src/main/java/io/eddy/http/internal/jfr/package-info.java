/**
 * The HTTP server's flight recorder event, {@code io.eddy.HttpRequest}: off until a recording
 * turns it on (with {@code eddy.jfc}, which keeps requests slower than 20 ms). Not exported:
 * recordings find events by name.
 */
package io.eddy.http.internal.jfr;
