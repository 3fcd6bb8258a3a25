package io.eddy.core.net;

import io.eddy.core.codec.Codec;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a TCP builder makes each connection's pipeline: a codec from the factory, and the handler,
 * shared or made per connection. Both TCP builders keep one, so the codec-before-handler rule and
 * its message are the same for both.
 *
 * <p>Immutable: each step returns a new one. Threading: safe to share.
 *
 * @param codecs   makes each connection's codec; null until set
 * @param handlers gives each connection its handler; null until set
 */
record Pipeline<I, O>(Supplier<? extends Codec<I, O>> codecs, Supplier<? extends Handler<I, O>> handlers) {

    /** Nothing set yet. */
    static <I, O> Pipeline<I, O> empty() {
        return new Pipeline<>(null, null);
    }

    /**
     * The codec factory. Refused after a handler: the codec fixes the handler's types, so a handler
     * set before it would have to be dropped without a word, leaving the connections unheard.
     */
    <I2, O2> Pipeline<I2, O2> codec(Supplier<? extends Codec<I2, O2>> codecs) {
        Objects.requireNonNull(codecs, "codecs");
        if (handlers != null) {
            throw new IllegalStateException("set the codec before the handler: the codec fixes the handler's types");
        }
        return new Pipeline<>(codecs, null);
    }

    /** One handler for every connection. */
    Pipeline<I, O> handler(Handler<I, O> handler) {
        Objects.requireNonNull(handler, "handler");
        return handlerPerConnection(() -> handler);
    }

    /** A handler from {@code handlers} for each connection. */
    Pipeline<I, O> handlerPerConnection(Supplier<? extends Handler<I, O>> handlers) {
        Objects.requireNonNull(handlers, "handlers");
        if (codecs == null) {
            throw new IllegalStateException("set the codec before the handler: the codec fixes the handler's types");
        }
        return new Pipeline<>(codecs, handlers);
    }

    /** Fails unless both the codec and the handler are set; {@code endpoint} names what needs them. */
    Pipeline<I, O> requireComplete(String endpoint) {
        if (codecs == null || handlers == null) {
            throw new IllegalStateException("a " + endpoint + " needs a codec and a handler");
        }
        return this;
    }

    /** A new codec for one connection. */
    Codec<I, O> newCodec() {
        return Objects.requireNonNull(codecs.get(), "the codec factory returned null");
    }

    /** The handler for one connection. */
    Handler<I, O> newHandler() {
        return Objects.requireNonNull(handlers.get(), "the handler factory returned null");
    }
}
