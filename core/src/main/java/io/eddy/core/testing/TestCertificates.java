package io.eddy.core.testing;

import io.eddy.core.tls.ClientTls;
import io.eddy.core.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for tests, made when the tests run so that none expires in the repository: a test
 * certificate authority and, signed by it, server certificates for {@code localhost} (EC P-256 and
 * RSA 2048, with the names {@code DNS:localhost}, {@code IP:127.0.0.1} and {@code IP:::1}), one for
 * {@code other.test} and {@code *.other.test} (EC, for SNI tests), and a client certificate (EC,
 * {@code CN=Eddy Test Client}). Each comes as a PEM chain file (the certificate, then the CA's) and
 * an unencrypted PKCS#8 PEM key file, as a server would be given them; {@link #caPem()} is the CA
 * certificate that peers (curl's {@code --cacert}, a browser, Python's {@code ssl}) are told to trust.
 *
 * <pre>{@code
 * TestCertificates certificates = TestCertificates.get();
 * ServerTls server = certificates.serverTls();    // both localhost certificates, other.test by SNI
 * ClientTls client = certificates.clientTls();    // trusts the test CA, checks host names
 * }</pre>
 *
 * <p>They are made once per JVM, on first use, by the JDK's {@code keytool} (from
 * {@code java.home}), into a temporary directory deleted when the JVM exits. That first call runs
 * keytool five times (the CA, then the four others side by side), about five seconds of CPU in
 * all: two to three seconds on an idle two-core machine, more when other work competes for the
 * cores. Later calls return at once. The certificates are valid from an hour before they are made, for 90
 * days, within the 398 days browsers accept for server certificates.
 *
 * <p>Threading: thread-safe; {@link #get()} makes the certificates once whichever thread asks first.
 */
public final class TestCertificates {

    // Only the temporary key stores keytool works in use it; the PEM keys are unencrypted.
    private static final String STORE_PASSWORD = "eddy-test-password";
    private static final String VALIDITY_DAYS = "90";
    // A peer whose clock is a little behind ours still takes the certificates as valid.
    private static final String START = "-1H";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private static TestCertificates instance;

    private final Path directory;
    private final Path caPem;
    private final Pair serverEc;
    private final Pair serverRsa;
    private final Pair other;
    private final Pair client;
    private final ServerTls serverTls;
    private final ClientTls clientTls;

    /** A certificate chain file and its key file. */
    private record Pair(Path chain, Path key) {
    }

    /** What one leaf certificate is made with. */
    private record Leaf(String name, List<String> keyOptions, String subject, String usage, String names) {
    }

    private TestCertificates(Path directory) {
        this.directory = directory;
        Path caStore = file("ca.p12");
        keytool(List.of("-genkeypair", "-alias", "ca", "-keystore", caStore.toString(),
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Eddy Test CA,O=Eddy tests",
                "-ext", "BC:c=ca:true,pathlen:0", "-ext", "KU:c=keyCertSign,cRLSign"), "ca");
        List<Leaf> leaves = List.of(
                new Leaf("server-ec", List.of("-keyalg", "EC", "-groupname", "secp256r1"),
                        "CN=localhost,O=Eddy tests", "serverAuth", "dns:localhost,ip:127.0.0.1,ip:::1"),
                new Leaf("server-rsa", List.of("-keyalg", "RSA", "-keysize", "2048"),
                        "CN=localhost,O=Eddy tests", "serverAuth", "dns:localhost,ip:127.0.0.1,ip:::1"),
                new Leaf("other", List.of("-keyalg", "EC", "-groupname", "secp256r1"),
                        "CN=other.test,O=Eddy tests", "serverAuth", "dns:other.test,dns:*.other.test"),
                new Leaf("client", List.of("-keyalg", "EC", "-groupname", "secp256r1"),
                        "CN=Eddy Test Client,O=Eddy tests", "clientAuth", null));
        // Each leaf is signed in its own copy of the CA's store, so the keytool runs (a JVM each, the
        // RSA key generation the longest) go side by side instead of one after the other.
        List<Process> running = new ArrayList<>();
        for (Leaf leaf : leaves) {
            Path store = file(leaf.name() + ".p12");
            try {
                Files.copy(caStore, store);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the test CA's key store", e);
            }
            List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", "leaf",
                    "-keystore", store.toString(), "-signer", "ca", "-dname", leaf.subject(),
                    "-ext", "EKU=" + leaf.usage(), "-ext", "KU:c=digitalSignature"));
            arguments.addAll(leaf.keyOptions());
            if (leaf.names() != null) {
                arguments.addAll(List.of("-ext", "SAN=" + leaf.names()));
            }
            running.add(startKeytool(arguments, leaf.name()));
        }
        for (int i = 0; i < leaves.size(); i++) {
            awaitKeytool(running.get(i), leaves.get(i).name());
        }
        this.caPem = writeCaPem(caStore);
        this.serverEc = exportLeaf("server-ec");
        this.serverRsa = exportLeaf("server-rsa");
        this.other = exportLeaf("other");
        this.client = exportLeaf("client");
        this.serverTls = serverTlsBuilder().build();
        this.clientTls = clientTlsBuilder().build();
    }

    /** The test certificates, made on the first call. */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            Path directory;
            try {
                directory = Files.createTempDirectory("eddy-test-certificates-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a directory for the test certificates", e);
            }
            // deleteOnExit deletes in reverse order of registration: each file, then the directory.
            directory.toFile().deleteOnExit();
            instance = new TestCertificates(directory);
        }
        return instance;
    }

    /** The directory the files are in (deleted when the JVM exits). */
    public Path directory() {
        return directory;
    }

    /** The test CA's certificate, PEM: what a peer trusts to accept the test certificates. */
    public Path caPem() {
        return caPem;
    }

    /** The chain (EC P-256 {@code localhost} certificate, then the CA's), PEM. */
    public Path serverEcChain() {
        return serverEc.chain();
    }

    /** The key of {@link #serverEcChain()}, PKCS#8 PEM. */
    public Path serverEcKey() {
        return serverEc.key();
    }

    /** The chain (RSA 2048 {@code localhost} certificate, then the CA's), PEM. */
    public Path serverRsaChain() {
        return serverRsa.chain();
    }

    /** The key of {@link #serverRsaChain()}, PKCS#8 PEM. */
    public Path serverRsaKey() {
        return serverRsa.key();
    }

    /** The chain (EC certificate for {@code other.test} and {@code *.other.test}, then the CA's), PEM. */
    public Path otherChain() {
        return other.chain();
    }

    /** The key of {@link #otherChain()}, PKCS#8 PEM. */
    public Path otherKey() {
        return other.key();
    }

    /** The chain (EC client certificate {@code CN=Eddy Test Client}, then the CA's), PEM. */
    public Path clientChain() {
        return client.chain();
    }

    /** The key of {@link #clientChain()}, PKCS#8 PEM. */
    public Path clientKey() {
        return client.key();
    }

    /**
     * A builder with both {@code localhost} certificates as the defaults and the {@code other.test}
     * one for that name, for a test to add to (client certificates, ALPN, timeouts).
     */
    public ServerTls.Builder serverTlsBuilder() {
        return ServerTls.builder()
                .certificate(serverEcChain(), serverEcKey())
                .certificate(serverRsaChain(), serverRsaKey())
                .certificate("other.test", otherChain(), otherKey());
    }

    /** {@link #serverTlsBuilder()} built: one shared instance. */
    public ServerTls serverTls() {
        return serverTls;
    }

    /** A builder trusting the test CA only (not the JDK's), host names checked, for a test to add to. */
    public ClientTls.Builder clientTlsBuilder() {
        return ClientTls.builder().trustCertificates(caPem());
    }

    /** {@link #clientTlsBuilder()} built: one shared instance. */
    public ClientTls clientTls() {
        return clientTls;
    }

    private Path file(String name) {
        Path file = directory.resolve(name);
        file.toFile().deleteOnExit();
        return file;
    }

    private void keytool(List<String> arguments, String step) {
        awaitKeytool(startKeytool(arguments, step), step);
    }

    private Process startKeytool(List<String> arguments, String step) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("cannot make the test certificates: no keytool at " + keytool
                    + " (a JDK, not a bare runtime, is needed to run the tests)");
        }
        // Each run is a short JVM: the quick compiler alone and one GC thread halve the CPU it takes.
        List<String> command = new ArrayList<>(List.of(keytool.toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD,
                "-validity", VALIDITY_DAYS, "-startdate", START, "-noprompt"));
        command.addAll(arguments);
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(file(step + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + keytool + " for the test certificate '" + step + "'", e);
        }
    }

    private void awaitKeytool(Process process, String step) {
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool making the test certificate '" + step + "' did not finish in "
                        + KEYTOOL_TIMEOUT_SECONDS + " s: " + String.join(" ", process.info().arguments().orElse(new String[0])));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the test certificates", e);
        }
        if (process.exitValue() != 0) {
            String output;
            try {
                output = Files.readString(directory.resolve(step + ".log"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                output = "(its output cannot be read: " + e + ")";
            }
            throw new IllegalStateException("keytool failed (exit " + process.exitValue()
                    + ") making the test certificate '" + step + "':\n" + output.strip());
        }
    }

    private KeyStore load(String name) {
        try (InputStream in = Files.newInputStream(directory.resolve(name + ".p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key store keytool made for '" + name + "'", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store keytool made for '" + name + "'", e);
        }
    }

    private Path writeCaPem(Path caStore) {
        try {
            Certificate ca = load("ca").getCertificate("ca");
            return write("ca.pem", pem("CERTIFICATE", ca.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot export the test CA's certificate from " + caStore, e);
        }
    }

    private Pair exportLeaf(String name) {
        try {
            KeyStore store = load(name);
            // keytool -signer stored the chain leaf first, then the CA: the order a chain file wants.
            StringBuilder chain = new StringBuilder();
            for (Certificate certificate : store.getCertificateChain("leaf")) {
                chain.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Key key = store.getKey("leaf", STORE_PASSWORD.toCharArray());
            // A private key's encoded form is PKCS#8, the form PEM's "PRIVATE KEY" holds.
            return new Pair(write(name + "-chain.pem", chain.toString()),
                    write(name + "-key.pem", pem("PRIVATE KEY", key.getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot export the test certificate '" + name + "'", e);
        }
    }

    private Path write(String name, String text) {
        Path file = file(name);
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
