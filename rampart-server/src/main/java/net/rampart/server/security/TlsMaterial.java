package net.rampart.server.security;

import net.rampart.server.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The HTTPS server's certificate chain and key, and the CAs whose client certificates it
 * accepts (null: no client certificates asked for), read from PEM files as certbot, step-ca
 * and {@code openssl} write them. The key must be unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY});
 * {@code openssl pkcs8 -topk8 -nocrypt} converts older forms.
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas) {

    /** Protects nothing: the key store lives in memory only, and a PKCS#12 store needs some password. */
    public static final String KEY_STORE_PASSWORD = "rampart";

    public boolean requiresClientCertificates() {
        return clientCas != null;
    }

    /** The chain and key as a key store, for the HTTP server. */
    public KeyStore keyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("rampart", key, KEY_STORE_PASSWORD.toCharArray(), chain.toArray(X509Certificate[]::new));
        return store;
    }

    /** The client CAs as a trust store. */
    public KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < clientCas.size(); i++) {
            store.setCertificateEntry("client-ca-" + i, clientCas.get(i));
        }
        return store;
    }

    public static List<X509Certificate> certificates(String setting, Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new ConfigException(setting, file + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException e) {
            throw new ConfigException(setting, "cannot read " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(setting, file + " is not a PEM certificate: " + e.getMessage());
        }
    }

    public static PrivateKey privateKey(String setting, Path file) throws ConfigException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(setting, "cannot read " + file + ": " + e.getMessage());
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new ConfigException(setting, file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting, file + ": the key is not valid base64");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new ConfigException(setting, file + " holds no RSA, EC or Ed25519 private key");
    }
}
