package io.eddy.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.testing.TestChannel;
import org.junit.jupiter.api.Test;

/** A connection's attributes: kept per key (by identity), replaced, removed, any number of them. */
class AttributesTest {

    @Test
    void keepsReplacesAndRemovesValuesByKey() {
        TestChannel<String, String> channel = TestChannel.of(new LineCodec());
        AttributeKey<String> name = AttributeKey.of("name");
        AttributeKey<String> sameName = AttributeKey.of("name");
        assertNull(channel.attr(name));

        channel.attr(name, "first");
        channel.attr(sameName, "other key, same name");
        assertEquals("first", channel.attr(name));
        assertEquals("other key, same name", channel.attr(sameName));

        channel.attr(name, "second");
        assertEquals("second", channel.attr(name));

        channel.attr(name, null);
        assertNull(channel.attr(name));
        assertEquals("other key, same name", channel.attr(sameName));
        channel.attr(name, "back");
        assertEquals("back", channel.attr(name));
    }

    @Test
    void holdsManyKeysAtOnce() {
        TestChannel<String, String> channel = TestChannel.of(new LineCodec());
        java.util.List<AttributeKey<Integer>> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AttributeKey<Integer> key = AttributeKey.of("k" + i);
            keys.add(key);
            channel.attr(key, i);
        }
        for (int i = 0; i < 20; i += 2) {
            channel.attr(keys.get(i), null);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(i % 2 == 0 ? null : i, channel.attr(keys.get(i)));
        }
    }
}
