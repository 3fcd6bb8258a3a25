/**
 * What the HTTP server and client share: headers ({@link io.eddy.http.HttpHeaders},
 * {@link io.eddy.http.HeaderNames}), methods, statuses and versions, the limits each side holds
 * the other to ({@link io.eddy.http.HttpLimits}, {@link io.eddy.http.ResponseLimits}), the
 * leniencies a server may allow, and streamed bodies ({@link io.eddy.http.StreamedBody},
 * {@link io.eddy.http.BodyWriter}).
 */
package io.eddy.http;
