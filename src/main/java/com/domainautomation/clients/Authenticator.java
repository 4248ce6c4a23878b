package com.domainautomation.clients;

import com.domainautomation.support.ApiException;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Bearer-token authentication for the API routes: the admin token ({@link AdminTokens}) or a client's token, whose
 * client must not be disabled. Route steps call {@link #client} or {@link #admin}; the
 * caller is left in the exchange property {@value #PRINCIPAL}.
 */
public class Authenticator {
    public static final String PRINCIPAL = "principal";
    /** A bearer token as RFC 6750 writes it (b64token), taken as sent: no spaces around it, at most 512 characters. */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{1,512}=*");

    private final ClientDirectory clients;
    private final RateLimits limits;
    private final AdminTokens adminTokens;

    public Authenticator(ClientDirectory clients, AdminTokens adminTokens, RateLimits limits) {
        this.clients = clients;
        this.adminTokens = adminTokens;
        this.limits = limits;
    }

    /** Whether {@code token} is an admin token in force (compared by hash, in constant time). */
    public boolean isAdminToken(String token) {
        return adminTokens.matches(token);
    }

    public Principal authenticate(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
            throw new ApiException(401, "unauthorized", "Send your API token as: Authorization: Bearer <token>");
        }
        String token = header.substring(7);
        if (!TOKEN.matcher(token).matches()) {
            throw new ApiException(401, "unauthorized", "The API token is not valid");
        }
        Principal principal;
        if (isAdminToken(token)) {
            principal = new Principal(Principal.ADMIN, null);
        } else {
            ClientDirectory.TokenHolder holder = clients.clientForToken(token);
            if (holder == null) {
                throw new ApiException(401, "unauthorized", "The API token is not valid");
            }
            if (holder.disabled()) {
                throw new ApiException(403, "client_disabled", "This client is disabled; ask us to enable it again");
            }
            principal = new Principal(Principal.CLIENT, holder.clientId());
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
