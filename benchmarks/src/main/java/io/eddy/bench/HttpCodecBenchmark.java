package io.eddy.bench;

import io.eddy.http.codec.HttpRequestDecoder;
import io.eddy.http.codec.HttpResponseEncoder;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.server.HttpResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTTP request decoding plus response encoding, Eddy's codec against Netty's {@code HttpServerCodec}:
 * one read holding the plaintext request (or {@code requests} of them pipelined) is decoded, and
 * for each request the plaintext response is made and encoded, so both sides do the same work.
 *
 * <p>As on a connection, Eddy's decoder reads a heap buffer (the loop reads into one) and its encoder
 * writes into a sink that copies into a direct buffer, as the outbound queue's pooled chunks are;
 * Netty's codec is driven through {@code EmbeddedChannel} with a direct buffer (what its NIO
 * transport reads into), every message released. Run with {@code -prof gc} for the bytes allocated per operation (one
 * operation is one read: divide by {@code requests} for a request).
 *
 * <p>Threading: JMH's, one state per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HttpCodecBenchmark {

    /** Requests in one read: 1 (keep-alive) or 16 (pipelined). */
    @Param({"1", "16"})
    public int requests;

    private ByteBuffer eddyInput;
    private HttpRequestDecoder eddyDecoder;
    private HttpResponseEncoder eddyEncoder;
    private ArraySink eddyOutput;

    private ByteBuf nettyInput;
    private EmbeddedChannel nettyChannel;
    private NettyPlaintextServer.DateValue nettyDate;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] read = PlaintextRequest.pipelined("localhost:8080", requests);
        eddyInput = ByteBuffer.wrap(read);
        eddyDecoder = new HttpRequestDecoder();
        eddyEncoder = new HttpResponseEncoder();
        eddyOutput = new ArraySink(64 * 1024);
        nettyInput = Unpooled.directBuffer(read.length).writeBytes(read);
        nettyChannel = new EmbeddedChannel(new HttpServerCodec());
        nettyDate = new NettyPlaintextServer.DateValue();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettyChannel.finishAndReleaseAll();
        nettyInput.release();
    }

    /** Eddy: decode the read, encode a response per request; returns the bytes encoded. */
    @Benchmark
    public int eddy() throws Exception {
        ByteBuffer in = eddyInput.clear();
        eddyOutput.clear();
        RequestPart part;
        while ((part = eddyDecoder.decode(in)) != null) {
            if (part instanceof RequestPart.Head head) {
                HttpResponse response = HttpResponse.text(PlaintextRequest.BODY);
                eddyEncoder.encode(response.toHead(head.version(), false, !head.keepAlive()), eddyOutput);
            }
        }
        return eddyOutput.written();
    }

    /** Netty: the same through {@code HttpServerCodec}; returns the bytes encoded. */
    @Benchmark
    public int netty() {
        EmbeddedChannel channel = nettyChannel;
        channel.writeInbound(nettyInput.retainedDuplicate());
        Object message;
        while ((message = channel.readInbound()) != null) {
            if (message instanceof HttpRequest) {
                // The void promise, as the server's handler writes.
                channel.write(NettyPlaintextServer.PlaintextHandler.response(nettyDate.value()), channel.voidPromise());
            }
            ReferenceCountUtil.release(message);
        }
        channel.flush();
        int written = 0;
        while ((message = channel.readOutbound()) != null) {
            written += ((ByteBuf) message).readableBytes();
            ReferenceCountUtil.release(message);
        }
        return written;
    }
}
