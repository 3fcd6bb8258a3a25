package io.eddy.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** PEM files read with the JDK alone, and a clear message for each way they go wrong. */
class PemFilesTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    @TempDir
    Path directory;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private static String messageOf(Class<? extends RuntimeException> type, Executable executable) {
        return assertThrows(type, executable).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not in: " + message);
        }
    }

    @Test
    void readsAChainLeafFirst() {
        List<X509Certificate> chain = PemFiles.certificates(CERTIFICATES.serverEcChain());

        assertEquals(2, chain.size());
        assertEquals(chain.get(0).getIssuerX500Principal(), chain.get(1).getSubjectX500Principal());
    }

    @Test
    void readsEcAndRsaPkcs8Keys() {
        PrivateKey ec = PemFiles.privateKey(CERTIFICATES.serverEcKey());
        PrivateKey rsa = PemFiles.privateKey(CERTIFICATES.serverRsaKey());

        assertEquals("EC", ec.getAlgorithm());
        assertEquals("RSA", rsa.getAlgorithm());
        assertTrue(TlsSettings.matches(ec, PemFiles.certificates(CERTIFICATES.serverEcChain()).get(0).getPublicKey()));
        assertTrue(TlsSettings.matches(rsa, PemFiles.certificates(CERTIFICATES.serverRsaChain()).get(0).getPublicKey()));
    }

    @Test
    void readsAnEd25519Key() throws Exception {
        PrivateKey generated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        Path file = write("ed.pem", PemFiles.pem("PRIVATE KEY", generated.getEncoded()));

        assertEquals(generated, PemFiles.privateKey(file));
    }

    @Test
    void readsTheKeyAndTheCertificatesFromOneFile() throws IOException {
        Path both = write("both.pem", Files.readString(CERTIFICATES.serverEcKey())
                + Files.readString(CERTIFICATES.serverEcChain()));

        assertEquals(2, PemFiles.certificates(both).size());
        assertEquals("EC", PemFiles.privateKey(both).getAlgorithm());
    }

    @Test
    void aTrustStoreHoldsEachCertificate() throws Exception {
        KeyStore store = PemFiles.trustStore(CERTIFICATES.serverEcChain());

        assertEquals(2, Collections.list(store.aliases()).size());
        assertTrue(store.isCertificateEntry("ca-0"));
    }

    @Test
    void anRsaKeyInPkcs1FormGetsTheCommandThatConvertsIt() throws IOException {
        Path file = write("rsa.pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
                + "-----END RSA PRIVATE KEY-----\n");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.privateKey(file)),
                file.toString(), "PKCS#1", "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem");
    }

    @Test
    void anEcKeyInSec1FormGetsTheCommandThatConvertsIt() throws IOException {
        Path file = write("ec.pem", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n"
                + "-----END EC PRIVATE KEY-----\n");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.privateKey(file)),
                "SEC1", "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem");
    }

    @Test
    void anEncryptedKeyGetsTheCommandToo() throws IOException {
        Path file = write("enc.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.privateKey(file)),
                "encrypted", "openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void anEmptyFileIsNamedEmpty() throws IOException {
        Path file = write("empty.pem", "\n");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.certificates(file)), file.toString(), "is empty");
        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.privateKey(file)), file.toString(), "is empty");
    }

    @Test
    void garbageHasNoPemBlock() throws IOException {
        Path file = write("garbage.pem", "this is not a certificate\n\u0001\u0002");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.certificates(file)),
                file.toString(), "no PEM block");
        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.privateKey(file)),
                file.toString(), "no PEM block");
    }

    @Test
    void aDamagedBodyIsNotBase64() throws IOException {
        Path file = write("damaged.pem", "-----BEGIN CERTIFICATE-----\nMIIB!!!#$%%==abc=d\n-----END CERTIFICATE-----\n");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.certificates(file)),
                file.toString(), "not valid base64");
    }

    @Test
    void aBodyThatIsNoCertificateSaysSo() throws IOException {
        Path file = write("notcert.pem", "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.certificates(file)),
                "not a valid X.509 certificate");
    }

    @Test
    void aBodyThatIsNoKeySaysSo() throws IOException {
        Path file = write("notkey.pem", "-----BEGIN PRIVATE KEY-----\naGVsbG8gd29ybGQ=\n-----END PRIVATE KEY-----\n");

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.privateKey(file)),
                "not a PKCS#8 key");
    }

    @Test
    void aFileCutOffSaysSo() throws IOException {
        String chain = Files.readString(CERTIFICATES.serverEcChain());
        Path file = write("cut.pem", chain.substring(0, chain.length() - 200));

        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.certificates(file)), "no END line");
    }

    @Test
    void swappedFilesAreHinted() {
        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.certificates(CERTIFICATES.serverEcKey())),
                "no '-----BEGIN CERTIFICATE-----' block", "key file");
        assertContains(messageOf(IllegalArgumentException.class, () -> PemFiles.privateKey(CERTIFICATES.serverEcChain())),
                "no '-----BEGIN PRIVATE KEY-----' block", "certificate file");
    }

    @Test
    void aMissingFileIsAnIoError() {
        Path missing = directory.resolve("missing.pem");

        assertContains(messageOf(UncheckedIOException.class, () -> PemFiles.certificates(missing)),
                missing.toString(), "no such file");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        assertContains(messageOf(IllegalArgumentException.class, () -> ServerTls.builder()
                        .certificate(CERTIFICATES.serverEcChain(), CERTIFICATES.otherKey()).build()),
                "does not match", CERTIFICATES.otherKey().toString(), CERTIFICATES.serverEcChain().toString());
        assertContains(messageOf(IllegalArgumentException.class, () -> ServerTls.builder()
                        .certificate(CERTIFICATES.serverEcChain(), CERTIFICATES.serverRsaKey()).build()),
                "does not match");
        assertContains(messageOf(IllegalArgumentException.class, () -> ClientTls.builder()
                        .clientCertificate(CERTIFICATES.clientChain(), CERTIFICATES.serverEcKey()).build()),
                "does not match");
    }

    @Test
    void aChainOutOfOrderIsRefused() throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(CERTIFICATES.serverEcChain());
        Path reversed = write("reversed.pem", PemFiles.pem(chain.get(1)) + PemFiles.pem(chain.get(0)));

        // The CA first: the key (the leaf's) does not match the first certificate.
        assertThrows(IllegalArgumentException.class,
                () -> ServerTls.builder().certificate(reversed, CERTIFICATES.serverEcKey()).build());
        List<X509Certificate> other = PemFiles.certificates(CERTIFICATES.otherChain());
        Path mixed = write("mixed.pem", PemFiles.pem(chain.get(0)) + PemFiles.pem(other.get(0)));
        assertContains(messageOf(IllegalArgumentException.class,
                () -> ServerTls.builder().certificate(mixed, CERTIFICATES.serverEcKey()).build()),
                "is not followed by its issuer");
    }
}
