package io.eddy.samples.kv;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import java.util.Map;

/**
 * Answers each {@link Command} from the store: {@code GET} with the value or {@code NOT_FOUND},
 * {@code SET} with {@code STORED}, {@code DEL} with {@code DELETED} or {@code NOT_FOUND}. A client
 * that breaks the protocol is told why ({@code ERROR ...}), then its connection closes.
 *
 * <p>Threading: every call runs on the loop thread. The store is touched by that thread only, so
 * a plain {@code HashMap} needs no lock, as long as every connection of the server lives on the
 * same loop. (On a group of loops, give it a {@code ConcurrentHashMap}.)
 */
public final class KvHandler implements Handler<Command, Reply> {

    private final Map<String, byte[]> store;

    /** A handler over {@code store}; one handler serves every connection. */
    public KvHandler(Map<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public void onMessage(Connection<Reply> connection, Command command) {
        if (command instanceof Command.Get get) {
            byte[] value = store.get(get.key());
            connection.write(value == null ? Reply.Status.NOT_FOUND : new Reply.Value(value));
        } else if (command instanceof Command.Set set) {
            store.put(set.key(), set.value());
            connection.write(Reply.Status.STORED);
        } else if (command instanceof Command.Delete delete) {
            connection.write(store.remove(delete.key()) != null ? Reply.Status.DELETED : Reply.Status.NOT_FOUND);
        }
    }

    /** The connection closes right after this; the error line is flushed first. */
    @Override
    public void onDecodeError(Connection<Reply> connection, DecodeException error) {
        connection.write(new Reply.Error(error.getMessage()));
    }
}
