package com.domainautomation.clients;

import com.domainautomation.billing.WalletLedger;
import com.domainautomation.support.ApiAnswer;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/** Admin endpoints for clients and the ledger check. */
public class AdminApi {
    private static final int MAX_AUDIT = 1000;

    private final ClientDirectory clients;
    private final WalletLedger ledger;
    private final AdminTokens adminTokens;
    private final AuditLog audit;

    public AdminApi(ClientDirectory clients, WalletLedger ledger, AdminTokens adminTokens, AuditLog audit) {
        this.clients = clients;
        this.ledger = ledger;
        this.adminTokens = adminTokens;
        this.audit = audit;
    }

    /** {@code POST /api/admin/clients/{id}/token}: a new token for the client; its old ones stop working at once. */
    public ApiAnswer rotateClientToken(@Header("id") String clientId) {
        return ApiAnswer.created(clients.rotateToken(clientId));
    }

    /** {@code POST /api/admin/clients/{id}/disable}: the client's requests are refused (403); its jobs still complete. */
    public Map<String, Object> disableClient(@Header("id") String clientId) {
        return clients.setDisabled(clientId, true);
    }

    /** {@code POST /api/admin/clients/{id}/enable}. */
    public Map<String, Object> enableClient(@Header("id") String clientId) {
        return clients.setDisabled(clientId, false);
    }

    /**
     * {@code POST /api/admin/token}: a new admin token, shown once; the one in use stays valid until
     * {@code previousTokenValidUntil}, so every caller can switch without downtime.
     */
    public ApiAnswer rotateAdminToken() {
        AdminTokens.Rotation rotation = adminTokens.rotate();
        return ApiAnswer.created(
                Map.of("token", rotation.token(), "previousTokenValidUntil", rotation.previousValidUntil()));
    }

    /** {@code GET /api/admin/audit?limit=}: the newest admin actions first (100 by default, at most 1000). */
    public List<Map<String, Object>> audit(@Header("limit") String raw) {
        int limit = 100;
        if (raw != null) {
            if (!raw.matches("[0-9]{1,4}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_AUDIT) {
                throw ApiException.badRequest(
                        "limit must be a whole number from 1 to " + MAX_AUDIT,
                        List.of(Map.of("field", "limit", "message", "must be a whole number from 1 to " + MAX_AUDIT)));
            }
            limit = Integer.parseInt(raw);
        }
        return audit.newest(limit);
    }

    public ApiAnswer createClient(@Body JsonRequest request) {
        return ApiAnswer.created(
                clients.create(Requests.jsonObject(request, "{\"name\": \"Ada\", \"email\": \"ada@example.com\"}")));
    }

    /** Who the caller is: {@code admin}, or {@code viewer} (reads only); the console shows its buttons by it. */
    public Map<String, Object> me(@ExchangeProperty(Authenticator.PRINCIPAL) Principal principal) {
        return Map.of("role", principal.role(), "readOnly", principal.isViewer());
    }

    public Map<String, Object> verifyLedger() {
        List<Map<String, Object>> clientsReport = ledger.verify();
        boolean ok = clientsReport.stream().allMatch(c -> Boolean.TRUE.equals(c.get("balanced")));
        boolean outcomes = clientsReport.stream().allMatch(c -> Boolean.TRUE.equals(c.get("everyChargeHasOutcome")));
        return Map.of("balanced", ok, "everyChargeHasOutcome", outcomes, "clients", clientsReport);
    }
}
