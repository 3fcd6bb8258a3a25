package io.eddy.udp;

import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Joining and leaving an IPv4 multicast group on the loopback interface. Skipped, with the reason,
 * where the system does not deliver multicast on loopback (a probe with plain JDK sockets says).
 */
class MulticastTest {

    /** How long the probe waits for its datagram. */
    private static final int PROBE_MILLIS = 500;

    private final EventLoop loop = EventLoop.start("udp-multicast-test");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void receivesWhatIsSentToAGroupItJoinedAndNothingOnceItLeft() throws Exception {
        NetworkInterface loopback = loopbackInterface();
        InetAddress group = randomGroup();
        String unavailable = multicastUnavailable(loopback, group);
        assumeTrue(unavailable == null, () -> "multicast on the loopback interface is not available here: " + unavailable);

        List<String> received = new CopyOnWriteArrayList<>();
        UdpEndpoint<String, String> member = UdpEndpoint.on(loop).bind("0.0.0.0", 0)
                .option(StandardSocketOptions.SO_REUSEADDR, true)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> received.add(datagram.payload()))
                .start();
        UdpEndpoint<String, String> sender = UdpEndpoint.on(loop).bind("127.0.0.1", 0)
                .option(StandardSocketOptions.IP_MULTICAST_IF, loopback)
                .option(StandardSocketOptions.IP_MULTICAST_LOOP, true)
                .codec(TextDatagramCodec::new)
                .start();
        InetSocketAddress groupAddress = new InetSocketAddress(group, member.port());
        InetSocketAddress memberDirectly = new InetSocketAddress("127.0.0.1", member.port());

        MembershipKey membership = member.joinGroup(group, loopback);
        assertEquals(membership, member.joinGroup(group, loopback));
        sender.send(groupAddress, "to the group");
        await().atMost(WAIT).until(() -> received.contains("to the group"));

        member.leaveGroup(group, loopback);
        sender.send(groupAddress, "to the group, after it left");
        sender.send(memberDirectly, "directly");   // on the same path, after the group datagram
        await().atMost(WAIT).until(() -> received.contains("directly"));

        assertEquals(List.of("to the group", "directly"), received);
        member.leaveGroup(group, loopback);         // leaving twice does nothing
    }

    private static NetworkInterface loopbackInterface() throws SocketException {
        NetworkInterface loopback = NetworkInterface.networkInterfaces()
                .filter(MulticastTest::isUpLoopback)
                .findFirst()
                .orElse(null);
        assumeTrue(loopback != null, "no loopback interface is up");
        return loopback;
    }

    private static boolean isUpLoopback(NetworkInterface candidate) {
        try {
            return candidate.isLoopback() && candidate.isUp()
                    && candidate.inetAddresses().anyMatch(a -> a.getAddress().length == 4);
        } catch (SocketException e) {
            return false;
        }
    }

    /** A group in the organization-local scope (239.255/16), at random so parallel runs do not meet. */
    private static InetAddress randomGroup() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return InetAddress.getByAddress(new byte[] {(byte) 239, (byte) 255, (byte) random.nextInt(256),
                (byte) (1 + random.nextInt(254))});
    }

    /** Why plain JDK sockets cannot send themselves a datagram through {@code group} on loopback; null when they can. */
    private static String multicastUnavailable(NetworkInterface loopback, InetAddress group) {
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            receiver.bind(new InetSocketAddress(0));
            receiver.join(group, loopback);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            sender.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(group, port));
            // Blocking receive, briefly bounded: where multicast works on loopback the datagram is in
            // the receiver's buffer by the time send returns; where it does not, nothing ever
            // comes, and the test skips after this short wait rather than after WAIT.
            receiver.socket().setSoTimeout(PROBE_MILLIS);
            byte[] buffer = new byte[8];
            receiver.socket().receive(new DatagramPacket(buffer, buffer.length));
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "a probe with plain sockets failed: " + e;
        }
    }
}
