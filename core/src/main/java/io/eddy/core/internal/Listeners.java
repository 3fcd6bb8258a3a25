package io.eddy.core.internal;

import io.eddy.core.net.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells a {@link WriteListener} how its write ended, so a listener that throws hurts nobody. */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    static void notify(WriteListener listener, Throwable failure) {
        try {
            listener.onWriteComplete(failure);
        } catch (RuntimeException e) {
            log.warn("write listener {} threw", listener, e);
        }
    }
}
