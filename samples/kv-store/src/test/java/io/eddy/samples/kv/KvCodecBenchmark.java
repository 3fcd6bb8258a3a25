package io.eddy.samples.kv;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.FileRegion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How long {@link KvCodec} takes to decode a batch of 16 pipelined commands and to encode their
 * replies, as a connection drives it: the decoder called until it returns null, the encoder
 * writing into a sink. Run it with JMH (see the sample's README); add {@code -prof gc} for the
 * bytes allocated per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KvCodecBenchmark {

    private final KvCodec codec = new KvCodec();
    private final CountingSink sink = new CountingSink();
    private final Reply value = new Reply.Value("the value of a key".getBytes(StandardCharsets.US_ASCII));
    private ByteBuffer batch;

    @Setup
    public void setUp() {
        StringBuilder commands = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            commands.append("SET key:").append(i).append(" 18\r\nthe value of a key\r\n");
            commands.append("GET key:").append(i).append("\r\n");
        }
        batch = ByteBuffer.wrap(commands.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public void decode16(Blackhole blackhole) throws DecodeException {
        batch.rewind();
        for (Command command = codec.decode(batch); command != null; command = codec.decode(batch)) {
            blackhole.consume(command);
        }
    }

    @Benchmark
    public long encode16() {
        sink.bytes = 0;
        for (int i = 0; i < 8; i++) {
            codec.encode(Reply.Status.STORED, sink);
            codec.encode(value, sink);
        }
        return sink.bytes;
    }

    /** A sink that counts what it is given: the benchmark measures the codec, not a queue. */
    static final class CountingSink implements ByteSink {
        long bytes;

        @Override
        public void write(ByteBuffer src) {
            bytes += src.remaining();
            src.position(src.limit());
        }

        @Override
        public void write(byte[] src, int offset, int length) {
            bytes += length;
        }

        @Override
        public void write(byte b) {
            bytes++;
        }

        @Override
        public void transfer(ByteBuffer buffer) {
            write(buffer);
        }

        @Override
        public void transfer(FileRegion region) {
            throw new UnsupportedOperationException("the key-value protocol sends no files");
        }
    }
}
