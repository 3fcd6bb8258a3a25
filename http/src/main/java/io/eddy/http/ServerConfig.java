package io.eddy.http;

import org.slf4j.Logger;

/**
 * What every connection of one server shares.
 *
 * @param accessLog where each exchange is logged at info, or null for no access log
 *
 * <p>Threading: immutable.
 */
record ServerConfig(Router router, HttpLimits limits, HttpErrorHandler errorHandler, Logger accessLog) {
}
