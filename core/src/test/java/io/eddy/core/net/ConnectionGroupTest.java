package io.eddy.core.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Encoder;
import io.eddy.core.codec.LengthFieldCodec;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.net.ConnectionGroup.WhenNotWritable;
import io.eddy.core.testing.TestChannel;
import io.eddy.core.testing.TestLoop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A connection group in memory: membership, one encoding per broadcast, members that do not read. */
class ConnectionGroupTest {

    private final TestLoop loop = new TestLoop();

    /** The members' own encoder, counting its calls. */
    private static final class CountingEncoder implements Encoder<String> {
        private final LineCodec lines = new LineCodec();
        int calls;

        @Override
        public void encode(String message, ByteSink out) {
            calls++;
            lines.encode(message, out);
        }
    }

    private TestChannel<String, String> member(ConnectionGroup<String> group) {
        TestChannel<String, String> channel = TestChannel.of(loop, new LineCodec(), (c, line) -> { },
                ConnectionOptions.defaults());
        assertTrue(group.add(channel));
        return channel;
    }

    @Test
    void broadcastEncodesOnceAndEveryMemberGetsTheBytes() {
        CountingEncoder encoder = new CountingEncoder();
        ConnectionGroup<String> group = new ConnectionGroup<>(encoder);
        List<TestChannel<String, String>> members = List.of(member(group), member(group), member(group));

        group.broadcast("hello");
        String large = "x".repeat(100_000);
        group.broadcast(large);
        loop.runPendingTasks();

        assertEquals(2, encoder.calls);
        for (TestChannel<String, String> member : members) {
            assertEquals("hello\n" + large + "\n", member.readOutboundString());
        }
    }

    @Test
    void membersOfAnotherFormatGetTheirOwnEncodingMadeOncePerFormat() {
        CountingEncoder lines = new CountingEncoder();
        ConnectionGroup<String> group = new ConnectionGroup<>(lines);
        TestChannel<String, String> lineMember = member(group);
        int[] framings = {0};
        LengthFieldCodec frames = new LengthFieldCodec(2, 1024);
        Encoder<String> framed = (text, out) -> {
            framings[0]++;
            frames.encode(java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out);
        };
        List<TestChannel<java.nio.ByteBuffer, java.nio.ByteBuffer>> frameMembers = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TestChannel<java.nio.ByteBuffer, java.nio.ByteBuffer> channel = TestChannel.of(loop, new LengthFieldCodec(2, 1024),
                    (c, frame) -> { }, ConnectionOptions.defaults());
            assertTrue(group.add(channel, framed));
            frameMembers.add(channel);
        }

        group.broadcast("hi");
        loop.runPendingTasks();

        assertEquals(1, lines.calls);
        assertEquals(1, framings[0], "once for both members of the framed format");
        assertEquals("hi\n", lineMember.readOutboundString());
        for (TestChannel<java.nio.ByteBuffer, java.nio.ByteBuffer> member : frameMembers) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {0, 2, 'h', 'i'}, member.readOutbound());
        }
        frameMembers.get(0).close();
        loop.runPendingTasks();
        assertEquals(2, group.size());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> group.add((Connection<?>) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> null), framed),
                "a connection made outside core has no queue for bytes of another format");
    }

    @Test
    void broadcastExceptLeavesTheSenderOut() {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec());
        TestChannel<String, String> sender = member(group);
        TestChannel<String, String> other = member(group);

        group.broadcastExcept("hi", sender);
        loop.runPendingTasks();

        assertEquals("", sender.readOutboundString());
        assertEquals("hi\n", other.readOutboundString());
    }

    @Test
    void membersLeaveWhenTheyCloseAndIterationSeesTheRest() {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec());
        TestChannel<String, String> a = member(group);
        TestChannel<String, String> b = member(group);
        TestChannel<String, String> c = member(group);
        assertFalse(group.add(a), "added twice");

        b.close();
        loop.runPendingTasks();
        assertTrue(group.remove(c));
        assertFalse(group.remove(c));

        assertEquals(1, group.size());
        Set<Connection<String>> seen = new HashSet<>();
        group.forEach(seen::add);
        assertEquals(Set.of(a), seen);
        assertFalse(group.contains(b));
    }

    @Test
    void aBroadcastNobodyCanTakeSkipsEveryMember() {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec());
        TestChannel<String, String> sender = member(group);
        List<TestChannel<String, String>> silent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TestChannel<String, String> member = member(group);
            member.peerReceiveWindow(0);
            member.write("x".repeat(ConnectionOptions.defaults().highWaterMark() + 1));
            silent.add(member);
        }
        loop.runPendingTasks();
        assertFalse(silent.get(0).isWritable());
        int broadcasts = 1_000;
        broadcastMany(group, sender, broadcasts);

        assertEquals((long) broadcasts * silent.size(), group.skipped());
    }

    @Test
    void membersJoinAndLeaveFromManyThreadsAtOnce() {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec());
        List<List<TestChannel<String, String>>> perThread = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<TestChannel<String, String>> channels = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                channels.add(TestChannel.of(loop, new LineCodec(), (c, line) -> { }, ConnectionOptions.defaults()));
            }
            perThread.add(channels);
        }

        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (List<TestChannel<String, String>> channels : perThread) {
            threads.add(CompletableFuture.runAsync(() -> {
                channels.forEach(group::add);
                // Every other one leaves again, while the other threads still join.
                for (int i = 0; i < channels.size(); i += 2) {
                    group.remove(channels.get(i));
                }
            }));
        }
        threads.forEach(CompletableFuture::join);

        assertEquals(500, group.size());
        Set<Connection<String>> members = new HashSet<>();
        group.forEach(members::add);
        assertEquals(500, members.size());
        for (List<TestChannel<String, String>> channels : perThread) {
            assertFalse(group.contains(channels.get(0)));
            assertTrue(group.contains(channels.get(1)));
        }
    }

    private static void broadcastMany(ConnectionGroup<String> group, Connection<String> sender, int times) {
        for (int i = 0; i < times; i++) {
            group.broadcastExcept("hello", sender);
        }
    }

    @Test
    void aConnectionAlreadyClosedLeavesAtOnce() {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec());
        TestChannel<String, String> closed = TestChannel.of(loop, new LineCodec(), (c, line) -> { },
                ConnectionOptions.defaults());
        closed.close();
        loop.runPendingTasks();

        group.add(closed);

        assertEquals(0, group.size());
    }

    @Test
    void aMemberThatDoesNotReadIsSkippedAndTheOthersGetEveryMessage() {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec());
        TestChannel<String, String> reader = member(group);
        TestChannel<String, String> silent = member(group);
        silent.peerReceiveWindow(0);
        String message = "m".repeat(2_000);
        StringBuilder expected = new StringBuilder();

        for (int i = 0; i < 1_000; i++) {
            group.broadcast(i + message);
            expected.append(i).append(message).append('\n');
            if (i % 10 == 9) {
                loop.runPendingTasks();
            }
        }

        assertEquals(expected.toString(), reader.readOutboundString());
        assertTrue(silent.isOpen());
        long limit = ConnectionOptions.defaults().highWaterMark() + message.length() + 10;
        assertTrue(silent.pendingOutboundBytes() <= limit, silent.pendingOutboundBytes() + " bytes queued");
        assertTrue(group.skipped() > 900, group.skipped() + " skipped");
    }

    @Test
    void underClosePolicyAMemberThatDoesNotReadIsClosedWithAReason() {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec(), WhenNotWritable.CLOSE);
        TestChannel<String, String> reader = member(group);
        TestChannel<String, String> silent = member(group);
        silent.peerReceiveWindow(0);

        for (int i = 0; i < 100; i++) {
            group.broadcast("m".repeat(2_000));
            loop.runPendingTasks();
        }

        assertEquals(CloseReason.Kind.OUTBOUND_OVERFLOW, silent.closeReason().kind());
        assertTrue(silent.wasReset());
        assertEquals(1, group.size());
        assertEquals(1, group.skipped());
        assertEquals(100 * 2_001, reader.readOutbound().length);
    }

    @Test
    void anEncoderThatRefusesTheMessageThrowsAndNoMemberGetsAnything() {
        ConnectionGroup<String> group = new ConnectionGroup<>((String message, ByteSink out) -> {
            out.write(message.getBytes(UTF_8));
            throw new IllegalArgumentException("refused after writing");
        });
        TestChannel<String, String> member = member(group);

        assertThrows(IllegalArgumentException.class, () -> group.broadcast("too long"));
        loop.runPendingTasks();

        assertEquals("", member.readOutboundString());
        assertTrue(member.isOpen());
    }
}
