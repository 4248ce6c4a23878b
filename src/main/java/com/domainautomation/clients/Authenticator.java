package com.domainautomation.clients;

import com.domainautomation.support.ApiException;
import com.domainautomation.support.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * Bearer-token authentication for the API routes: the admin token ({@link AdminTokens}) or a client's token, whose
 * client must not be disabled. API routes start with the HTTP adapter's {@code api.client} or {@code api.admin}
 * ({@code ApiResponder}), which leaves the caller in the exchange property {@value #PRINCIPAL}.
 */
public class Authenticator {
    public static final String PRINCIPAL = "principal";
    /** A bearer token as RFC 6750 writes it (b64token), taken as sent: no spaces around it, at most 512 characters. */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{1,512}=*");

    private final ClientDirectory clients;
    private final RateLimits limits;
    private final AdminTokens adminTokens;
    private final byte[] viewerTokenHash;

    /** {@code viewerToken}: the read-only admin credential ({@code VIEWER_TOKEN}), or blank for none. */
    public Authenticator(ClientDirectory clients, AdminTokens adminTokens, RateLimits limits, String viewerToken) {
        this.clients = clients;
        this.adminTokens = adminTokens;
        this.limits = limits;
        this.viewerTokenHash = viewerToken == null || viewerToken.isBlank()
                ? null
                : Ids.sha256(viewerToken).getBytes(StandardCharsets.US_ASCII);
    }

    private boolean isViewerToken(String token) {
        return viewerTokenHash != null
                && MessageDigest.isEqual(Ids.sha256(token).getBytes(StandardCharsets.US_ASCII), viewerTokenHash);
    }

    /** Whether {@code token} is an admin token in force (compared by hash, in constant time). */
    public boolean isAdminToken(String token) {
        return adminTokens.matches(token);
    }

    /** The caller of a request with this {@code Authorization} header: 401 without a valid token, 403 if disabled. */
    public Principal authenticate(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
            throw new ApiException(401, "unauthorized", "Send your API token as: Authorization: Bearer <token>");
        }
        String token = header.substring(7);
        if (!TOKEN.matcher(token).matches()) {
            throw new ApiException(401, "unauthorized", "The API token is not valid");
        }
        if (isAdminToken(token)) {
            return new Principal(Principal.ADMIN, null);
        }
        if (isViewerToken(token)) {
            return new Principal(Principal.VIEWER, null);
        }
        ClientDirectory.TokenHolder holder = clients.clientForToken(token);
        if (holder == null) {
            throw new ApiException(401, "unauthorized", "The API token is not valid");
        }
        if (holder.disabled()) {
            throw new ApiException(403, "client_disabled", "This client is disabled; ask us to enable it again");
        }
        return new Principal(Principal.CLIENT, holder.clientId());
    }

    /** Only a client may go on, within its rate limits (by HTTP method: reads and writes have their own). */
    public void requireClient(Principal principal, String httpMethod) {
        if (principal.clientId() == null) {
            throw new ApiException(403, "forbidden", "This endpoint is for clients; use a client's token");
        }
        limits.check(principal, httpMethod);
    }

    /** Only the admin may go on, or a viewer with a read (GET), within its rate limit. */
    public void requireAdmin(Principal principal, String httpMethod) {
        boolean read = "GET".equalsIgnoreCase(httpMethod) || "HEAD".equalsIgnoreCase(httpMethod);
        if (principal.isViewer() && !read) {
            throw new ApiException(
                    403,
                    "read_only",
                    "The viewer token may read the admin API, not change anything: use the admin token");
        }
        if (!principal.isAdmin() && !principal.isViewer()) {
            throw new ApiException(403, "forbidden", "This endpoint is for admins");
        }
        limits.check(principal, httpMethod);
    }
}
