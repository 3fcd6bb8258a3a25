package io.eddy.http.server;

import io.eddy.core.loop.BlockingWork;
import io.eddy.http.HttpLimits;
import io.eddy.http.internal.BodyBuffer;
import org.slf4j.Logger;

/**
 * What every connection of one server shares.
 *
 * @param accessLog        where each exchange is logged at info, or null for no access log
 * @param maxOutboundBytes the connections' outbound limit: no bytes body may be larger
 * @param blockingWork     where blocking routes run, and how many of them at once
 * @param forwarding       how forwarded headers from trusted proxies are read, or null for none trusted
 *
 * <p>Threading: immutable.
 */
record ServerConfig(Router router, HttpLimits limits, HttpErrorHandler errorHandler, Logger accessLog,
                    long maxOutboundBytes, BlockingWork blockingWork, Forwarding forwarding) {

    /** The largest body gathered for a handler: {@code maxBodySize}, but no more than an array holds. */
    long maxGatheredBody() {
        return Math.min(limits.maxBodySize(), BodyBuffer.MAX_SIZE);
    }
}
