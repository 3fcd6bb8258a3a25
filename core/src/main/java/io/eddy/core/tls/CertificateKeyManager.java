package io.eddy.core.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager behind {@link ServerTls#builder()}'s {@code certificate(...)} calls (and
 * {@link ClientTls}'s client certificate): picks a certificate by the server name the client sent
 * (exact name, then a {@code *.} wildcard one label deep, then the default ones) and, among those,
 * by the key type the handshake needs, so an EC and an RSA certificate can serve the same name.
 *
 * <p>Unlike the JDK's own key manager it does not guess names from the certificates: the names are
 * the ones the application gave, so a certificate may be chosen for a name it does not hold (the
 * client's host name check will then refuse it, as it should).
 *
 * <p>Threading: immutable after construction; JSSE calls it from whichever thread runs the
 * handshake.
 */
final class CertificateKeyManager extends X509ExtendedKeyManager {

    /** A certificate chain with its key, under the alias JSSE knows it by. */
    record Entry(String alias, List<X509Certificate> chain, PrivateKey key) {

        String keyType() {
            return key.getAlgorithm();
        }
    }

    private final Map<String, Entry> byAlias = new LinkedHashMap<>();
    private final List<Entry> defaults;
    private final Map<String, List<Entry>> exact;
    private final Map<String, List<Entry>> wildcard;

    /**
     * @param defaults the certificates used when the client sends no name or one no entry has
     * @param byName the certificates for each name (lower case; {@code *.suffix} for a wildcard)
     */
    CertificateKeyManager(List<Entry> defaults, Map<String, List<Entry>> byName) {
        this.defaults = List.copyOf(defaults);
        Map<String, List<Entry>> exactNames = new LinkedHashMap<>();
        Map<String, List<Entry>> wildcardSuffixes = new LinkedHashMap<>();
        for (Map.Entry<String, List<Entry>> named : byName.entrySet()) {
            if (named.getKey().startsWith("*.")) {
                wildcardSuffixes.put(named.getKey().substring(2), List.copyOf(named.getValue()));
            } else {
                exactNames.put(named.getKey(), List.copyOf(named.getValue()));
            }
            named.getValue().forEach(entry -> byAlias.put(entry.alias(), entry));
        }
        defaults.forEach(entry -> byAlias.put(entry.alias(), entry));
        this.exact = Map.copyOf(exactNames);
        this.wildcard = Map.copyOf(wildcardSuffixes);
    }

    /** The entries serving {@code serverName} (null: none sent), most specific first. */
    List<Entry> candidates(String serverName) {
        if (serverName != null) {
            String name = serverName.toLowerCase(Locale.ROOT);
            List<Entry> found = exact.get(name);
            if (found != null) {
                return found;
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                found = wildcard.get(name.substring(dot + 1));
                if (found != null) {
                    return found;
                }
            }
        }
        return defaults;
    }

    private String choose(String keyType, String serverName) {
        for (Entry entry : candidates(serverName)) {
            if (entry.keyType().equals(keyType)) {
                return entry.alias();
            }
        }
        return null;
    }

    /** The host name the client sent in its SNI extension, or null. */
    static String requestedHostName(SSLSession handshakeSession) {
        if (handshakeSession instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return name instanceof SNIHostName host
                            ? host.getAsciiName()
                            : new SNIHostName(name.getEncoded()).getAsciiName();
                }
            }
        }
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : requestedHostName(engine.getHandshakeSession()));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        String name = socket instanceof SSLSocket ssl ? requestedHostName(ssl.getHandshakeSession()) : null;
        return choose(keyType, name);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        // The client side has its default entries only; the issuers the server lists are not checked:
        // a server that does not trust the certificate says so, which is clearer than sending none.
        for (String keyType : keyTypes) {
            String alias = choose(keyType, null);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    private String[] aliases(String keyType) {
        List<String> aliases = new ArrayList<>();
        for (Entry entry : byAlias.values()) {
            if (entry.keyType().equals(keyType)) {
                aliases.add(entry.alias());
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry entry = byAlias.get(alias);
        return entry == null ? null : entry.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry entry = byAlias.get(alias);
        return entry == null ? null : entry.key();
    }
}
