package io.eddy.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM files with the JDK alone: the files {@code openssl},
 * {@code certbot} and most certificate authorities hand out. A file may hold other blocks besides
 * the ones asked for (a chain and its key in one file is fine); text outside the blocks is ignored.
 *
 * <p>Private keys must be unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC (and
 * whatever else the JDK's {@link KeyFactory} knows, such as Ed25519). The older PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}) forms, and encrypted keys,
 * are refused with a message giving the {@code openssl} command that converts them.
 *
 * <p>Errors: {@link UncheckedIOException} when a file cannot be read, {@link IllegalArgumentException}
 * when what it holds is wrong; both messages name the file and say what is wrong.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
public final class PemFiles {

    /** What to run on a key the JDK cannot read; it takes every form openssl reads. */
    static final String CONVERT_KEY_COMMAND = "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem";

    // A block's label and body, up to the matching END line. The body is checked as base64 later, so
    // that a damaged body gets its own message instead of "no PEM block".
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", Pattern.DOTALL);
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

    // The PKCS#8 algorithm identifiers Eddy maps to a KeyFactory name (RFC 8017, RFC 5480, RFC 8410).
    private static final String OID_RSA = "1.2.840.113549.1.1.1";
    private static final String OID_RSASSA_PSS = "1.2.840.113549.1.1.10";
    private static final String OID_EC = "1.2.840.10045.2.1";
    private static final String OID_ED25519 = "1.3.101.112";
    private static final String OID_ED448 = "1.3.101.113";

    private PemFiles() {
    }

    /**
     * The certificates in {@code file}, in file order: for a chain file, the leaf certificate first,
     * then each one's issuer.
     *
     * @throws IllegalArgumentException if the file is empty, holds no {@code CERTIFICATE} block, or a
     *     block is not valid base64 or not an X.509 certificate
     * @throws UncheckedIOException if the file cannot be read
     */
    public static List<X509Certificate> certificates(Path file) {
        List<Block> blocks = blocks(file, "certificate file");
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = x509Factory();
        int index = 0;
        for (Block block : blocks) {
            if (!block.label.equals("CERTIFICATE")) {
                continue;
            }
            index++;
            byte[] der = block.decode(file, index);
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(file + ": certificate block " + index
                        + " is not a valid X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no '-----BEGIN CERTIFICATE-----' block"
                    + foundInstead(blocks) + hintIfKey(blocks));
        }
        return List.copyOf(certificates);
    }

    /**
     * The one private key in {@code file}: unencrypted PKCS#8, its algorithm read from the key's own
     * algorithm identifier.
     *
     * @throws IllegalArgumentException if the file is empty, holds no {@code PRIVATE KEY} block or
     *     more than one, holds a key in another form (PKCS#1, SEC1, encrypted: the message gives the
     *     command that converts it), or the key cannot be decoded
     * @throws UncheckedIOException if the file cannot be read
     */
    public static PrivateKey privateKey(Path file) {
        List<Block> blocks = blocks(file, "private key file");
        List<Block> keys = new ArrayList<>();
        for (Block block : blocks) {
            switch (block.label) {
                case "PRIVATE KEY" -> keys.add(block);
                case "RSA PRIVATE KEY" -> throw otherKeyForm(file, block.label, "an RSA key in the PKCS#1 form");
                case "EC PRIVATE KEY" -> throw otherKeyForm(file, block.label, "an EC key in the SEC1 form");
                case "ENCRYPTED PRIVATE KEY" -> throw otherKeyForm(file, block.label,
                        "an encrypted key (Eddy reads unencrypted keys only; keep the file readable by the server alone)");
                case "OPENSSH PRIVATE KEY" -> throw otherKeyForm(file, block.label,
                        "an OpenSSH key, not a TLS one");
                default -> {
                    // Certificates and parameters may share the file with the key.
                }
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no '-----BEGIN PRIVATE KEY-----' block"
                    + foundInstead(blocks)
                    + (blocks.stream().anyMatch(b -> b.label.equals("CERTIFICATE"))
                            ? " (is it the certificate file, given where the key was expected?)" : ""));
        }
        if (keys.size() > 1) {
            throw new IllegalArgumentException(file + " holds " + keys.size()
                    + " private keys; give a file with exactly one");
        }
        byte[] der = keys.get(0).decode(file, 1);
        String oid;
        try {
            oid = Pkcs8.algorithmOid(der);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the PRIVATE KEY block is not a PKCS#8 key: "
                    + e.getMessage(), e);
        }
        String algorithm = switch (oid) {
            case OID_RSA -> "RSA";
            case OID_RSASSA_PSS -> "RSASSA-PSS";
            case OID_EC -> "EC";
            case OID_ED25519 -> "Ed25519";
            case OID_ED448 -> "Ed448";
            default -> throw new IllegalArgumentException(file + ": the private key's algorithm (OID " + oid
                    + ") is not one Eddy reads; use an RSA or EC key");
        };
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException(file + ": the " + algorithm + " private key cannot be decoded: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": this JDK cannot read " + algorithm + " keys: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A key store (of the JDK's default type, in memory) trusting every certificate in
     * {@code caPem}: the certificate authorities a peer's certificate must chain to.
     *
     * @throws IllegalArgumentException as {@link #certificates(Path)}
     * @throws UncheckedIOException if the file cannot be read
     */
    public static KeyStore trustStore(Path caPem) {
        List<X509Certificate> certificates = certificates(caPem);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an in-memory key store", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make an in-memory key store", e);
        }
    }

    /** The PEM text of {@code certificate}, for writing a chain file. */
    static String pem(Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalArgumentException("cannot encode " + certificate, e);
        }
    }

    /** A PEM block with 64-character lines, as openssl writes it. */
    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static IllegalArgumentException otherKeyForm(Path file, String label, String what) {
        return new IllegalArgumentException(file + " holds '-----BEGIN " + label + "-----': " + what
                + ". Eddy reads unencrypted PKCS#8 keys ('-----BEGIN PRIVATE KEY-----'); convert it with: "
                + CONVERT_KEY_COMMAND);
    }

    private static String foundInstead(List<Block> blocks) {
        if (blocks.isEmpty()) {
            return "";
        }
        return " (found: " + blocks.stream().map(b -> b.label).distinct().toList() + ")";
    }

    private static String hintIfKey(List<Block> blocks) {
        return blocks.stream().anyMatch(b -> b.label.endsWith("PRIVATE KEY"))
                ? "; is it the key file, given where the certificate was expected?" : "";
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 certificate factory", e);
        }
    }

    /** The PEM blocks of {@code file}; fails on an empty file and one with no block at all. */
    private static List<Block> blocks(Path file, String what) {
        Objects.requireNonNull(file, what);
        String text;
        try {
            // ISO-8859-1 maps every byte to a char, so a binary (DER) file gets "no PEM block", not a
            // decoding error.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read the " + what + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " " + file + ": " + e, e);
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("the " + what + " " + file + " is empty");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        int end = 0;
        while (matcher.find()) {
            if (!matcher.group(1).equals(matcher.group(3))) {
                throw new IllegalArgumentException(file + ": the block '-----BEGIN " + matcher.group(1)
                        + "-----' ends with '-----END " + matcher.group(3) + "-----'");
            }
            blocks.add(new Block(matcher.group(1), matcher.group(2)));
            end = matcher.end();
        }
        Matcher unterminated = BEGIN.matcher(text);
        if (unterminated.find(end)) {
            throw new IllegalArgumentException(file + ": the block '-----BEGIN " + unterminated.group(1)
                    + "-----' has no END line (is the file cut off?)");
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " " + file
                    + " holds no PEM block (no '-----BEGIN ...-----' line); is it PEM at all?");
        }
        return blocks;
    }

    private record Block(String label, String body) {

        byte[] decode(Path file, int index) {
            // PEM may carry headers (Proc-Type, DEK-Info) only on encrypted legacy keys, refused above.
            try {
                byte[] der = Base64.getMimeDecoder().decode(body.strip());
                if (der.length == 0) {
                    throw new IllegalArgumentException("the body is empty");
                }
                return der;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": the body of " + label + " block " + index
                        + " is not valid base64 (" + e.getMessage() + "); is the file damaged?", e);
            }
        }
    }

    /** Just enough DER to find a PKCS#8 key's algorithm (RFC 5208: version, algorithm, key). */
    static final class Pkcs8 {

        private Pkcs8() {
        }

        static String algorithmOid(byte[] der) {
            int[] at = {0};
            expectTag(der, at, 0x30, "PrivateKeyInfo SEQUENCE");
            readLength(der, at);
            expectTag(der, at, 0x02, "version INTEGER");
            int versionLength = readLength(der, at);
            at[0] += versionLength;
            expectTag(der, at, 0x30, "AlgorithmIdentifier SEQUENCE");
            readLength(der, at);
            expectTag(der, at, 0x06, "algorithm OBJECT IDENTIFIER");
            int length = readLength(der, at);
            if (at[0] + length > der.length || length == 0) {
                throw new IllegalArgumentException("truncated algorithm identifier");
            }
            return oid(der, at[0], length);
        }

        private static void expectTag(byte[] der, int[] at, int tag, String what) {
            if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) {
                throw new IllegalArgumentException("expected the " + what + " at byte " + at[0]);
            }
            at[0]++;
        }

        private static int readLength(byte[] der, int[] at) {
            if (at[0] >= der.length) {
                throw new IllegalArgumentException("truncated at byte " + at[0]);
            }
            int first = der[at[0]++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 3 || at[0] + bytes > der.length) {
                throw new IllegalArgumentException("bad length at byte " + (at[0] - 1));
            }
            int length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[at[0]++] & 0xff);
            }
            return length;
        }

        private static String oid(byte[] der, int offset, int length) {
            StringBuilder text = new StringBuilder();
            int first = der[offset] & 0xff;
            // The first byte packs the first two arcs (X.690 8.19.4); key algorithms start 1.x or 2.x.
            text.append(Math.min(first / 40, 2)).append('.').append(first - 40 * Math.min(first / 40, 2));
            long arc = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                int b = der[i] & 0xff;
                arc = (arc << 7) | (b & 0x7f);
                if ((b & 0x80) == 0) {
                    text.append('.').append(arc);
                    arc = 0;
                }
            }
            return text.toString();
        }
    }
}
