package com.domainautomation.registrar;

/**
 * GoDaddy's {@code sso-key} credentials. The route asks this bean for the {@code Authorization} header instead of
 * writing the key and secret into the route as placeholders: a resolved placeholder becomes part of the route's
 * definition, which JMX (and so Jolokia and Hawtio) shows to whoever may read route attributes or dump routes.
 */
public final class RegistrarCredentials {
    private final String key;
    private final String secret;

    public RegistrarCredentials(String key, String secret) {
        this.key = key;
        this.secret = secret;
    }

    /** The {@code Authorization} header value of a call to the registrar. */
    public String authorization() {
        return "sso-key " + key + ":" + secret;
    }

    @Override
    public String toString() {
        return "RegistrarCredentials[key=" + (key.isEmpty() ? "" : "***") + "]";
    }
}
