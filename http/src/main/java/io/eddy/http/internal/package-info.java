/**
 * What the HTTP server and the HTTP client share: the character classes and syntax both decoders
 * read by, how they read a buffer without an array, and the buffer a body is gathered in.
 *
 * <p>Internal: the module does not export this package. Its classes are public only so that
 * {@code io.eddy.http} and {@code io.eddy.http.client} can use them, and may change in any release.
 */
package io.eddy.http.internal;
