package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * testssl.sh (Debian's package; its command is {@code testssl}), a TLS scanner nobody here
 * wrote, run against an Eddy server's TLS port with the test CA added: no finding may be rated
 * HIGH or CRITICAL, except certificate revocation, which a test CA cannot offer (it has no CRL and
 * no OCSP responder). Its JSON findings are read and judged here. Skipped where testssl is not
 * installed.
 *
 * <p>It runs the checks that can rate a finding HIGH or CRITICAL: protocols ({@code -p}), cipher
 * categories ({@code -s}), the server's preferences ({@code -P}), certificates and defaults
 * ({@code -S}), HTTP headers ({@code -h}) and every vulnerability ({@code -U}). It leaves out what
 * only informs and costs most of the time: each of the 370 ciphers tried one by one ({@code -e}),
 * forward secrecy's cipher and curve lists ({@code -f}, at most MEDIUM), and the simulation of
 * forty clients ({@code -c}). No DNS is asked ({@code --nodns none}): loopback has no records, and
 * the machine may have no resolver to ask. Its connect and openssl timeouts are hang guards only,
 * generous for a busy machine: a check that gives up reports a WARN, not a pass.
 */
class TestsslTest {

    /** Rated HIGH for every certificate a test CA issues: it has no revocation service. */
    private static final String REVOCATION = "cert_revocation";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(ExternalClient.answers("testssl", "--version"),
                "testssl (Debian's testssl.sh) is not installed: the TLS scan cannot run here");
        server = TestServer.startWithTls();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(900)
    void findsNothingRatedHighOrCriticalButTheTestCasMissingRevocation() throws Exception {
        Path json = dir.resolve("testssl.json");
        List<String> command = List.of("testssl", "--quiet", "--warnings", "off", "--color", "0", "--nodns", "none",
                "--connect-timeout", "60", "--openssl-timeout", "60",
                "--add-ca", TestCertificates.get().caPem().toString(), "--jsonfile", json.toString(),
                "-p", "-s", "-P", "-S", "-h", "-U",
                "127.0.0.1:" + server.tlsPort());
        long started = System.nanoTime();
        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofMinutes(12), command);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(Files.isRegularFile(json), "testssl wrote no JSON\n" + result);

        List<Map<String, Object>> findings = findings(Files.readString(json, StandardCharsets.UTF_8));
        List<String> serious = findings.stream()
                .filter(f -> Set.of("HIGH", "CRITICAL").contains(f.get("severity")))
                .filter(f -> !String.valueOf(f.get("id")).startsWith(REVOCATION))
                .map(TestsslTest::describe).toList();
        // The scan's own record of what it did and found, for the report.
        System.out.println("testssl took " + took.toSeconds() + " s; findings by severity: " + findings.stream()
                .collect(Collectors.groupingBy(f -> String.valueOf(f.get("severity")), Collectors.counting())));
        findings.stream().filter(f -> !Set.of("OK", "INFO").contains(f.get("severity")))
                .forEach(f -> System.out.println("  " + describe(f)));

        assertEquals(List.of(), serious, "findings rated HIGH or CRITICAL\n" + result.stdout());
        // The scan did run its checks, over TLS 1.3 and 1.2 only, and refused client renegotiation.
        assertEquals("offered with final", finding(findings, "TLS1_3"), result.stdout());
        assertEquals("offered", finding(findings, "TLS1_2"));
        for (String old : List.of("SSLv2", "SSLv3", "TLS1", "TLS1_1")) {
            assertEquals("not offered", finding(findings, old), old);
        }
        assertTrue(finding(findings, "secure_client_renego").startsWith("not vulnerable"), result.stdout());
        assertEquals("http/1.1", finding(findings, "ALPN"), "the one application protocol announced");
        assertTrue(findings.stream().anyMatch(f -> String.valueOf(f.get("id")).startsWith(REVOCATION)),
                "the certificates were looked at");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(String json) {
        Object parsed = Json.parse(json);
        assertTrue(parsed instanceof List, "testssl's flat JSON is an array of findings: " + json);
        return (List<Map<String, Object>>) parsed;
    }

    /** The finding of the check {@code id}, which must have run. */
    private static String finding(List<Map<String, Object>> findings, String id) {
        return findings.stream().filter(f -> id.equals(f.get("id"))).map(f -> String.valueOf(f.get("finding")))
                .findFirst().orElseThrow(() -> new AssertionError("testssl reported no " + id));
    }

    private static String describe(Map<String, Object> finding) {
        return finding.get("severity") + " " + finding.get("id") + ": " + finding.get("finding");
    }
}
