package io.kmirror.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.KafkaException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates of one test cluster: a certificate authority of its own, and PKCS12 key and trust
 * stores in one directory, each with a random password. Every certificate the authority signs names
 * {@code localhost} and {@code 127.0.0.1}, so clients verify the brokers' host names as by default.
 * EC P-256 keys: made in milliseconds. Nothing is registered JVM-wide (no security provider): Bouncy
 * Castle only builds the certificates, the JDK signs and stores them. Thread-safe.
 */
public final class TlsStores {

    /** A key or trust store file and its password. */
    public record Store(Path path, String password) {

        /** The path only: the password stays out of messages. */
        @Override
        public String toString() {
            return path.toString();
        }
    }

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path directory;
    private final SecureRandom random = new SecureRandom();
    private final KeyPair authorityKeys;
    private final X509Certificate authority;
    private final Store trustStore;
    private final Map<String, Store> keyStores = new ConcurrentHashMap<>();
    private final AtomicInteger made = new AtomicInteger();

    private TlsStores(Path directory) throws GeneralSecurityException, IOException {
        this.directory = directory;
        this.authorityKeys = newKeys();
        this.authority = sign(new X500Name("CN=kmirror test CA"), authorityKeys, true);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority);
        this.trustStore = write(trust, "truststore");
    }

    /**
     * Makes a certificate authority and its trust store in {@code directory}.
     *
     * @param directory where the stores are written (created if missing); the caller deletes it
     * @return the stores
     * @throws KafkaException if a certificate or a file cannot be made
     */
    public static TlsStores create(Path directory) {
        try {
            Files.createDirectories(directory);
            return new TlsStores(directory);
        } catch (GeneralSecurityException | IOException e) {
            throw new KafkaException("could not make the certificates of a test cluster in " + directory + ": " + e, e);
        }
    }

    /**
     * Returns the trust store that holds the authority's certificate.
     *
     * @return the trust store
     */
    public Store trustStore() {
        return trustStore;
    }

    /**
     * Returns a key store with a key and a certificate for {@code CN=commonName} signed by the authority,
     * made at the first call for that name.
     *
     * @param commonName the certificate's common name: with mutual TLS, the client's principal is
     *        {@code User:CN=commonName}
     * @return the key store; its key has the store's password
     * @throws KafkaException if it cannot be made
     */
    public Store keyStore(String commonName) {
        return keyStores.computeIfAbsent(commonName, name -> {
            try {
                KeyPair keys = newKeys();
                X509Certificate certificate = sign(new X500Name("CN=" + name), keys, false);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                Store file = new Store(directory.resolve("keystore-" + made.incrementAndGet() + ".p12"), password());
                store.setKeyEntry("key", keys.getPrivate(), file.password().toCharArray(), new Certificate[] {certificate, authority});
                return write(store, file);
            } catch (GeneralSecurityException | IOException e) {
                throw new KafkaException("could not make a certificate for CN=" + name + ": " + e, e);
            }
        });
    }

    private KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    /** A certificate for {@code subject}'s keys signed by the authority (self-signed for the authority itself). */
    private X509Certificate sign(X500Name subject, KeyPair keys, boolean isAuthority) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X500Name issuer = isAuthority ? subject : X500Name.getInstance(authority.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(isAuthority));
        if (!isAuthority) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(SIGNATURE).build(isAuthority ? keys.getPrivate() : authorityKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
        }
    }

    private Store write(KeyStore store, String name) throws GeneralSecurityException, IOException {
        return write(store, new Store(directory.resolve(name + ".p12"), password()));
    }

    private static Store write(KeyStore store, Store file) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file.path())) {
            store.store(out, file.password().toCharArray());
        }
        return file;
    }

    private String password() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
