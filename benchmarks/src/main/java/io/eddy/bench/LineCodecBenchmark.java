package io.eddy.bench;

import io.eddy.core.codec.LineCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Line decoding of one 4 KiB read holding 64 lines of 64 bytes (63 characters and {@code \n}):
 * Eddy's {@code LineCodec} against Netty's {@code LineBasedFrameDecoder}, through
 * {@code EmbeddedChannel}. Each reads the kind of buffer its transport reads into: heap for Eddy's
 * loop, direct for Netty's NIO transport. Eddy's codec gives strings, so Netty's is measured with a
 * {@code StringDecoder} after it ({@link #netty}, the same work) and alone ({@link #nettyFrames},
 * frames as buffers, for reference).
 *
 * <p>Threading: JMH's, one state per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LineCodecBenchmark {

    /** Lines in one read. */
    static final int LINES = 64;
    /** Bytes per line, {@code \n} included. */
    static final int LINE_BYTES = 64;

    private ByteBuffer eddyInput;
    private LineCodec eddyCodec;
    private ByteBuf nettyInput;
    private EmbeddedChannel nettyStrings;
    private EmbeddedChannel nettyFrames;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] read = lines();
        eddyInput = ByteBuffer.wrap(read);
        eddyCodec = new LineCodec();
        nettyInput = Unpooled.directBuffer(read.length).writeBytes(read);
        nettyStrings = new EmbeddedChannel(new LineBasedFrameDecoder(8192), new StringDecoder(StandardCharsets.UTF_8));
        nettyFrames = new EmbeddedChannel(new LineBasedFrameDecoder(8192));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettyStrings.finishAndReleaseAll();
        nettyFrames.finishAndReleaseAll();
        nettyInput.release();
    }

    /** 64 lines of 63 printable characters, each ended by {@code \n}: 4096 bytes. */
    static byte[] lines() {
        byte[] read = new byte[LINES * LINE_BYTES];
        for (int i = 0; i < read.length; i++) {
            read[i] = (i + 1) % LINE_BYTES == 0 ? (byte) '\n' : (byte) ('a' + i % 26);
        }
        return read;
    }

    /** Eddy: every line as a string. */
    @Benchmark
    public void eddy(Blackhole blackhole) throws Exception {
        ByteBuffer in = eddyInput.clear();
        String line;
        while ((line = eddyCodec.decode(in)) != null) {
            blackhole.consume(line);
        }
    }

    /** Netty: every line as a string ({@code LineBasedFrameDecoder} and {@code StringDecoder}). */
    @Benchmark
    public void netty(Blackhole blackhole) {
        nettyStrings.writeInbound(nettyInput.retainedDuplicate());
        Object line;
        while ((line = nettyStrings.readInbound()) != null) {
            blackhole.consume(line);
        }
    }

    /** Netty: every line as a frame buffer, released. */
    @Benchmark
    public void nettyFrames(Blackhole blackhole) {
        nettyFrames.writeInbound(nettyInput.retainedDuplicate());
        Object frame;
        while ((frame = nettyFrames.readInbound()) != null) {
            blackhole.consume(frame);
            ReferenceCountUtil.release(frame);
        }
    }
}
