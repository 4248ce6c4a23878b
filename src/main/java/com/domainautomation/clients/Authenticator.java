package com.domainautomation.clients;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.support.ApiException;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication for the API routes. The admin token comes from {@code ADMIN_TOKEN}, or is generated
 * at first start, printed once and kept only as a hash. Route steps call {@link #client} or {@link #admin}; the
 * caller is left in the exchange property {@value #PRINCIPAL}.
 */
public class Authenticator {
    public static final String PRINCIPAL = "principal";
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final ClientDirectory clients;
    private final RateLimits limits;
    private final String adminTokenHash;

    public Authenticator(ClientDirectory clients, Db db, String configuredAdminToken, RateLimits limits) {
        this.clients = clients;
        this.limits = limits;
        this.adminTokenHash = configuredAdminToken.isBlank() ? storedOrNewAdminHash(db) : Ids.sha256(configuredAdminToken);
    }

    private static String storedOrNewAdminHash(Db db) {
        Document stored = db.get(Db.SETTINGS).find(eq("_id", "admin-token")).first();
        if (stored != null) {
            return stored.getString("hash");
        }
        String token = Ids.newToken("admin");
        if (db.insertIfAbsent(Db.SETTINGS, new Document("_id", "admin-token").append("hash", Ids.sha256(token)).append("createdAt", new Date()))) {
            LOG.warn("""

                    ================================================================
                     No ADMIN_TOKEN set: generated an admin token. It is shown ONCE:
                       {}
                     Keep it; only its hash is stored. Set ADMIN_TOKEN to choose one.
                    ================================================================""", token);
            return Ids.sha256(token);
        }
        return db.get(Db.SETTINGS).find(eq("_id", "admin-token")).first().getString("hash");
    }

    /** Whether {@code token} is the admin token (compared by hash, in constant time). */
    public boolean isAdminToken(String token) {
        return MessageDigest.isEqual(Ids.sha256(token).getBytes(StandardCharsets.US_ASCII), adminTokenHash.getBytes(StandardCharsets.US_ASCII));
    }

    public Principal authenticate(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
            throw new ApiException(401, "unauthorized", "Send your API token as: Authorization: Bearer <token>");
        }
        String token = header.substring(7).trim();
        Principal principal;
        if (isAdminToken(token)) {
            principal = new Principal(Principal.ADMIN, null);
        } else {
            String clientId = clients.clientForToken(token);
            if (clientId == null) {
                throw new ApiException(401, "unauthorized", "The API token is not valid");
            }
            principal = new Principal(Principal.CLIENT, clientId);
        }
        exchange.setProperty(PRINCIPAL, principal);
        return principal;
    }

    /**
     * Route step: only a client may go on, within its rate limits; its id is the exchange property {@code clientId}.
     */
    public void client(Exchange exchange) {
        Principal principal = authenticate(exchange);
        if (principal.isAdmin()) {
            throw new ApiException(403, "forbidden", "This endpoint is for clients; use a client's token");
        }
        limits.check(principal, exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
        exchange.setProperty("clientId", principal.clientId());
    }

    /** Route step: only the admin may go on, within its rate limit. */
    public void admin(Exchange exchange) {
        Principal principal = authenticate(exchange);
        if (!principal.isAdmin()) {
            throw new ApiException(403, "forbidden", "This endpoint is for admins");
        }
        limits.check(principal, exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
    }
}
