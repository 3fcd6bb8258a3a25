package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WrkTest {

    @Test
    void readsCountDurationPercentilesAndErrors() {
        String report = """
                Running 5s test @ http://127.0.0.1:8080/plaintext
                  1 threads and 64 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency   412.00us  100.00us   5.00ms   90.00%
                    Req/Sec   150.00k     2.00k  160.00k    70.00%
                  Latency Distribution
                     50%  390.00us
                     75%  420.00us
                     90%  480.00us
                     99%    1.25ms
                  750000 requests in 5.00s, 100.00MB read
                  Socket errors: connect 0, read 2, write 0, timeout 1
                  Non-2xx or 3xx responses: 4
                Requests/sec: 150000.00
                Transfer/sec:     20.00MB
                """;
        LoadResult result = Wrk.parse(report, 1);
        assertEquals(750_000, result.messages());
        assertEquals(5.0, result.seconds(), 1e-9);
        assertEquals(150_000, result.rate(), 1e-6);
        assertEquals(390, result.p50Micros(), 1e-9);
        assertEquals(1250, result.p99Micros(), 1e-9);
        assertEquals(7, result.errors());
    }

    @Test
    void aPercentileWrkCouldNotRecordIsUnknownNotZero() {
        String report = """
                  Latency Distribution
                     50%    3.25ms
                     75%   42.55ms
                     90%    0.00us
                     99%    0.00us
                  4207408 requests in 3.02s, 577.80MB read
                """;
        LoadResult result = Wrk.parse(report, 16);
        assertEquals(3250, result.p50Micros(), 1e-9);
        assertTrue(Double.isNaN(result.p99Micros()), "p99 " + result.p99Micros());
    }

    @Test
    void aReportWithoutARequestCountIsAnError() {
        assertThrows(IllegalStateException.class, () -> Wrk.parse("unable to connect to 127.0.0.1:1", 1));
    }
}
