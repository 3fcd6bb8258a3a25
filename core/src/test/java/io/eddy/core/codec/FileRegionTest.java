package io.eddy.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.PipelineTest.Recorder;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.ClosedConnectionException;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.testing.Outgoing;
import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File regions through the pipeline, in memory: order among buffers, write listeners, a slow peer,
 * the limits, encoder rollback, closing, and files that end before their regions.
 */
class FileRegionTest {

    @TempDir
    Path dir;

    /** A file of {@code size} bytes that do not repeat with any short period. */
    private Path file(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] bytes(Path file, int from, int to) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), from, to);
    }

    private static FileChannel read(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** Reads what the peer gets, window by window, until the connection has nothing left for it. */
    private static byte[] readAll(TestChannel<?, ?> channel) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] got;
        while ((got = channel.readOutbound()).length > 0) {
            all.writeBytes(got);
        }
        return all.toByteArray();
    }

    // ---- order and listeners ----

    @Test
    void sendsARegionBetweenSmallMessagesInOrder() throws IOException {
        Path file = file("body", 100_000);
        FileChannel body = read(file);
        var channel = TestChannel.of(Outgoing.codec());

        channel.write(Outgoing.text("before\n"));
        channel.write(Outgoing.textThenFile("head\n", FileRegion.of(body, 1_000, 50_000)));
        channel.write(Outgoing.text("after\n"));

        assertArrayEquals(concat("before\nhead\n".getBytes(UTF_8), bytes(file, 1_000, 51_000),
                "after\n".getBytes(UTF_8)), channel.readOutbound());
        assertFalse(body.isOpen(), "the region's file was not closed once sent");
        assertTrue(channel.isOpen());
    }

    @Test
    void tellsAListenerAfterARegionOnceItsLastByteHasLeft() throws IOException {
        Path file = file("body", 10_000);
        FileChannel body = read(file);
        var channel = TestChannel.of(Outgoing.codec()).peerReceiveWindow(4_096);
        List<Throwable> before = new ArrayList<>();
        // What was still queued, and whether the file was open, when the listener was told.
        List<Long> pendingWhenTold = new ArrayList<>();
        List<Boolean> openWhenTold = new ArrayList<>();

        channel.write(Outgoing.text("x"), before::add);
        channel.write(Outgoing.file(FileRegion.of(body, 0, 10_000)), failure -> {
            pendingWhenTold.add(failure == null ? channel.pendingOutboundBytes() : -1);
            openWhenTold.add(body.isOpen());
        });
        channel.write(Outgoing.text("y\n"));
        channel.runPending();
        assertEquals(1, before.size());
        assertEquals(List.of(), pendingWhenTold);

        byte[] received = readAll(channel);
        // Told as soon as the region's last byte left, before "y\n" went after it.
        assertEquals(List.of(2L), pendingWhenTold);
        assertEquals(List.of(false), openWhenTold);
        assertArrayEquals(concat("x".getBytes(UTF_8), bytes(file, 0, 10_000), "y\n".getBytes(UTF_8)), received);
    }

    @Test
    void sendsTheFileThroughANarrowPeerWindowAndHonoursTheWaterMarks() throws IOException {
        Path file = file("body", 20_000);
        var handler = new Recorder<String, Outgoing>((connection, line) -> { });
        var options = ConnectionOptions.defaults().withWaterMarks(1_024, 4_096);
        var channel = TestChannel.of(Outgoing.codec(), handler, options).peerReceiveWindow(1_000);

        channel.write(Outgoing.file(FileRegion.open(file, 0, 20_000)));
        assertEquals(List.of(false), handler.writability);
        channel.runPending();
        assertEquals(19_000, channel.pendingOutboundBytes());

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int reads = 0;
        byte[] got;
        while ((got = channel.readOutbound()).length > 0) {
            assertTrue(got.length <= 1_000, "the peer took " + got.length + " bytes through a window of 1000");
            received.writeBytes(got);
            reads++;
        }
        assertEquals(20, reads);
        assertArrayEquals(Files.readAllBytes(file), received.toByteArray());
        assertEquals(List.of(false, true), handler.writability);
        assertEquals(0, channel.pendingOutboundBytes());
    }

    // ---- limits ----

    @Test
    void aRegionLargerThanMaxOutboundBytesIsNoOverflowButBufferedBytesStillAre() throws IOException {
        Path big = dir.resolve("sparse");
        try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
            sparse.setLength(1024 * 1024);
        }
        FileChannel body = read(big);
        var handler = new Recorder<String, Outgoing>((connection, line) -> { });
        var options = ConnectionOptions.defaults().withWaterMarks(32 * 1024, 64 * 1024).withMaxOutboundBytes(64 * 1024);
        var channel = TestChannel.of(Outgoing.codec(), handler, options).peerReceiveWindow(0);

        channel.write(Outgoing.file(FileRegion.of(body, 0, 1024 * 1024)));
        assertTrue(channel.isOpen(), "closed: " + channel.closeReason());
        assertFalse(channel.isWritable(), "a queued region is still backpressure");
        assertEquals(1024 * 1024, channel.pendingOutboundBytes());

        List<Throwable> failures = new ArrayList<>();
        channel.write(Outgoing.text("y".repeat(64 * 1024 + 1)), failures::add);
        assertEquals(Kind.OUTBOUND_OVERFLOW, channel.closeReason().kind());
        assertInstanceOf(ClosedConnectionException.class, failures.get(0));
        assertFalse(body.isOpen(), "the dropped region's file was left open");
    }

    // ---- encoder failures and closing ----

    @Test
    void takesBackAndClosesARegionQueuedByAnEncoderThatFailed() throws IOException {
        Path file = file("body", 5_000);
        FileChannel sent = read(file);
        FileChannel refused = read(file);
        var channel = TestChannel.of(Outgoing.codec()).peerReceiveWindow(0);
        List<Throwable> failures = new ArrayList<>();

        channel.write(Outgoing.textThenFile("first\n", FileRegion.of(sent, 0, 5_000)), failures::add);
        channel.write(new Outgoing("second\n", FileRegion.of(refused, 0, 5_000), true), failures::add);

        assertFalse(refused.isOpen(), "the refused message's region was not closed");
        assertTrue(sent.isOpen(), "an earlier message's region was dropped");
        assertEquals(1, failures.size());
        assertInstanceOf(IllegalArgumentException.class, failures.get(0));

        channel.peerReceiveWindow(Integer.MAX_VALUE);
        assertArrayEquals(concat("first\n".getBytes(UTF_8), Files.readAllBytes(file)), channel.readOutbound());
        assertEquals(Kind.ENCODE_ERROR, channel.closeReason().kind());
        assertNull(failures.get(1));
        assertFalse(sent.isOpen());
    }

    @Test
    void abortDropsQueuedRegionsClosesTheirFilesAndFailsTheirListeners() throws IOException {
        Path file = file("body", 5_000);
        FileChannel first = read(file);
        FileChannel second = read(file);
        var channel = TestChannel.of(Outgoing.codec()).peerReceiveWindow(1_000);
        List<Throwable> failures = new ArrayList<>();

        channel.write(Outgoing.file(FileRegion.of(first, 0, 5_000)), failures::add);
        channel.write(Outgoing.file(FileRegion.of(second, 0, 5_000)), failures::add);
        channel.runPending();
        channel.abort();

        assertFalse(first.isOpen(), "a region half sent was left open");
        assertFalse(second.isOpen(), "a region not started was left open");
        assertEquals(2, failures.size());
        failures.forEach(failure -> assertInstanceOf(ClosedConnectionException.class, failure));
        assertTrue(channel.wasReset());
    }

    @Test
    void closeWaitsUntilARegionHasReachedASlowPeer() throws IOException {
        Path file = file("body", 5_000);
        var channel = TestChannel.of(Outgoing.codec()).peerReceiveWindow(700);

        channel.write(Outgoing.file(FileRegion.open(file, 0, 5_000)));
        channel.write(Outgoing.text("bye\n"));
        channel.close();
        channel.runPending();
        assertFalse(channel.isTransportClosed(), "closed before the region was sent");

        assertArrayEquals(concat(Files.readAllBytes(file), "bye\n".getBytes(UTF_8)), readAll(channel));
        assertTrue(channel.isTransportClosed());
        assertEquals(Kind.LOCAL_CLOSE, channel.closeReason().kind());
    }

    // ---- files shorter than their regions ----

    @Test
    void aFileShorterThanItsRegionClosesTheConnectionWithAnIoError() throws IOException {
        Path file = file("body", 5_000);
        FileChannel body = read(file);
        var channel = TestChannel.of(Outgoing.codec());
        List<Throwable> failures = new ArrayList<>();

        channel.write(Outgoing.file(FileRegion.of(body, 0, 8_000)), failures::add);
        channel.write(Outgoing.text("never\n"));

        assertArrayEquals(Files.readAllBytes(file), channel.readOutbound());
        assertEquals(Kind.IO_ERROR, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("ended"), channel.closeReason().detail());
        assertTrue(channel.wasReset(), "the peer could take a short file for a whole one");
        assertFalse(body.isOpen());
        assertInstanceOf(ClosedConnectionException.class, failures.get(0));
    }

    @Test
    void aRegionStartingPastTheEndOfItsFileClosesTheConnectionWithAnIoError() throws IOException {
        Path file = file("body", 5_000);
        var channel = TestChannel.of(Outgoing.codec());

        channel.write(Outgoing.text("before\n"));
        channel.write(Outgoing.file(FileRegion.open(file, 6_000, 10)));

        assertEquals("before\n", channel.readOutboundString());
        assertEquals(Kind.IO_ERROR, channel.closeReason().kind());
    }

    @Test
    void aFileTruncatedWhileItIsSentClosesTheConnectionWithAnIoError() throws IOException {
        Path file = file("body", 5_000);
        byte[] whole = Files.readAllBytes(file);
        var channel = TestChannel.of(Outgoing.codec()).peerReceiveWindow(1_000);

        channel.write(Outgoing.file(FileRegion.open(file, 0, 5_000)));
        channel.runPending();                   // the peer takes the first 1000 bytes
        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
            writer.truncate(1_500);
        }
        assertArrayEquals(Arrays.copyOf(whole, 1_000), channel.readOutbound());
        assertArrayEquals(Arrays.copyOfRange(whole, 1_000, 1_500), channel.readOutbound());

        assertEquals(Kind.IO_ERROR, channel.closeReason().kind());
        assertEquals(0, channel.readOutbound().length);
    }

    // ---- the region itself ----

    @Test
    void anEmptyRegionIsClosedAtOnceAndItsListenerTold() throws IOException {
        FileChannel body = read(file("body", 10));
        var channel = TestChannel.of(Outgoing.codec());
        List<Throwable> done = new ArrayList<>();

        channel.write(Outgoing.file(FileRegion.of(body, 3, 0)), done::add);

        assertEquals(Arrays.asList((Throwable) null), done);
        assertFalse(body.isOpen());
        assertEquals(0, channel.readOutbound().length);
    }

    @Test
    void aRegionClosedBeforeItIsQueuedIsAnEncodeError() throws IOException {
        FileRegion region = FileRegion.open(file("body", 10), 0, 10);
        region.close();
        var channel = TestChannel.of(Outgoing.codec());

        channel.write(Outgoing.file(region));

        assertEquals(Kind.ENCODE_ERROR, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("closed"), channel.closeReason().detail());
    }

    @Test
    void refusesANegativeRangeAndClosesTheFileItWasGiven() throws IOException {
        Path file = file("body", 10);
        FileChannel negativePosition = read(file);
        FileChannel negativeCount = read(file);
        FileChannel overflowing = read(file);

        assertThrows(IllegalArgumentException.class, () -> FileRegion.of(negativePosition, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> FileRegion.of(negativeCount, 0, -5));
        assertThrows(IllegalArgumentException.class, () -> FileRegion.of(overflowing, 1, Long.MAX_VALUE));
        assertFalse(negativePosition.isOpen());
        assertFalse(negativeCount.isOpen());
        assertFalse(overflowing.isOpen());
    }

    @Test
    void closeIsIdempotentAndClosesTheFile() throws IOException {
        FileChannel body = read(file("body", 10));
        FileRegion region = FileRegion.of(body, 2, 8);
        assertEquals(2, region.position());
        assertEquals(8, region.count());

        region.close();
        region.close();

        assertFalse(body.isOpen());
    }
}
