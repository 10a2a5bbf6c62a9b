package io.kmirror.testkit.internal;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a test cluster is secured, as its builder was told: SASL with PLAIN or SCRAM users, TLS, both, or
 * neither. Checked when set; {@link #toString()} names the users, never their passwords.
 *
 * @param sasl  the SASL mechanism family, {@link Sasl#NONE} for none
 * @param users user name to password, for SASL
 * @param ssl   whether the brokers' listener uses TLS
 */
public record ClusterSecurity(Sasl sasl, Map<String, String> users, boolean ssl) {

    /** The SASL mechanism family of a cluster. */
    public enum Sasl {
        /** No SASL. */
        NONE,
        /** SASL/PLAIN: the users are listed in the brokers' configuration. */
        PLAIN,
        /** SASL/SCRAM-SHA-256 and SCRAM-SHA-512: the users' credentials are created in the cluster at its start. */
        SCRAM
    }

    /** No security: the PLAINTEXT listener of a default cluster. */
    public static final ClusterSecurity NONE = new ClusterSecurity(Sasl.NONE, Map.of(), false);

    /** The superuser of every secured cluster, whose settings {@code clientConfig()} returns. */
    public static final String SUPERUSER = "admin";

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** Copies the users. */
    public ClusterSecurity {
        users = Collections.unmodifiableMap(new TreeMap<>(users));
    }

    /**
     * Returns these settings with SASL users.
     *
     * @param mechanism PLAIN or SCRAM
     * @param usersToPasswords at least one user; names of letters, digits, '.', '_' and '-'; passwords not empty
     * @return the new settings
     * @throws IllegalArgumentException if SASL was already set to another mechanism, or a user or password is not valid
     */
    public ClusterSecurity withSasl(Sasl mechanism, Map<String, String> usersToPasswords) {
        if (sasl != Sasl.NONE && sasl != mechanism) {
            throw new IllegalArgumentException("SASL is already set to " + sasl + "; a test cluster takes one of saslPlain"
                    + " and saslScram");
        }
        if (usersToPasswords.isEmpty()) {
            throw new IllegalArgumentException("sasl" + (mechanism == Sasl.PLAIN ? "Plain" : "Scram") + " needs at least one user");
        }
        usersToPasswords.forEach((user, password) -> {
            if (user == null || !USER_NAME.matcher(user).matches()) {
                throw new IllegalArgumentException("user name '" + user + "' is not valid: use letters, digits, '.', '_' and '-'");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("user " + user + " has no password");
            }
        });
        return new ClusterSecurity(mechanism, usersToPasswords, ssl);
    }

    /**
     * Returns these settings with TLS on the brokers' listener.
     *
     * @return the new settings
     */
    public ClusterSecurity withSsl() {
        return new ClusterSecurity(sasl, users, true);
    }

    /**
     * Returns whether the cluster is secured at all.
     *
     * @return true with SASL or TLS
     */
    public boolean isSecured() {
        return sasl != Sasl.NONE || ssl;
    }

    /** The mechanism, the user names and TLS; no password. */
    @Override
    public String toString() {
        if (!isSecured()) {
            return "PLAINTEXT";
        }
        return (sasl == Sasl.NONE ? "" : "SASL/" + sasl + " users " + users.keySet() + (ssl ? ", " : ""))
                + (ssl ? (sasl == Sasl.NONE ? "mutual TLS" : "TLS") : "");
    }
}
