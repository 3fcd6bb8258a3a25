package io.eddy.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.tls.PemFiles;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test certificates: signed by the test CA, with the names and lifetimes the tests rely on. */
class TestCertificatesTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    private static List<?> names(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(name -> name.get(1)).toList();
    }

    @Test
    void madeOncePerJvm() {
        assertSame(CERTIFICATES, TestCertificates.get());
    }

    @Test
    void everyChainIsSignedByTheCa() throws Exception {
        X509Certificate ca = PemFiles.certificates(CERTIFICATES.caPem()).get(0);
        assertTrue(ca.getBasicConstraints() >= 0, "the CA is a CA");
        assertEquals("EC", ca.getPublicKey().getAlgorithm());
        for (var chainFile : List.of(CERTIFICATES.serverEcChain(), CERTIFICATES.serverRsaChain(),
                CERTIFICATES.otherChain(), CERTIFICATES.clientChain())) {
            List<X509Certificate> chain = PemFiles.certificates(chainFile);
            assertEquals(2, chain.size(), chainFile.toString());
            assertEquals(ca, chain.get(1));
            chain.get(0).verify(ca.getPublicKey());
            assertEquals(-1, chain.get(0).getBasicConstraints(), "a leaf is no CA");
            long days = Duration.between(chain.get(0).getNotBefore().toInstant(),
                    chain.get(0).getNotAfter().toInstant()).toDays();
            assertTrue(days <= 398, chainFile + " is valid for " + days + " days");
        }
    }

    @Test
    void theServerCertificatesHoldTheLoopbackNames() throws Exception {
        X509Certificate ec = PemFiles.certificates(CERTIFICATES.serverEcChain()).get(0);
        X509Certificate rsa = PemFiles.certificates(CERTIFICATES.serverRsaChain()).get(0);

        assertEquals("EC", ec.getPublicKey().getAlgorithm());
        assertEquals("RSA", rsa.getPublicKey().getAlgorithm());
        for (X509Certificate certificate : List.of(ec, rsa)) {
            List<?> names = names(certificate);
            assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names.toString());
            assertTrue(certificate.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
        }
        assertTrue(names(PemFiles.certificates(CERTIFICATES.otherChain()).get(0)).contains("other.test"));
        assertTrue(PemFiles.certificates(CERTIFICATES.clientChain()).get(0).getExtendedKeyUsage()
                .contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
    }

    @Test
    void theKeysArePkcs8Pem() throws Exception {
        for (var keyFile : List.of(CERTIFICATES.serverEcKey(), CERTIFICATES.serverRsaKey(), CERTIFICATES.otherKey(),
                CERTIFICATES.clientKey())) {
            assertTrue(java.nio.file.Files.readString(keyFile).startsWith("-----BEGIN PRIVATE KEY-----\n"), keyFile.toString());
            PemFiles.privateKey(keyFile);
        }
    }
}
