package com.domainautomation.clients;

import com.domainautomation.billing.WalletLedger;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.Requests;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

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
    public Map<String, Object> rotateClientToken(Exchange exchange) {
        exchange.setProperty("responseStatus", 201);
        return clients.rotateToken(exchange.getMessage().getHeader("id", String.class));
    }

    /** {@code POST /api/admin/clients/{id}/disable}: the client's requests are refused (403); its jobs still complete. */
    public Map<String, Object> disableClient(Exchange exchange) {
        return clients.setDisabled(exchange.getMessage().getHeader("id", String.class), true);
    }

    /** {@code POST /api/admin/clients/{id}/enable}. */
    public Map<String, Object> enableClient(Exchange exchange) {
        return clients.setDisabled(exchange.getMessage().getHeader("id", String.class), false);
    }

    /**
     * {@code POST /api/admin/token}: a new admin token, shown once; the one in use stays valid until
     * {@code previousTokenValidUntil}, so every caller can switch without downtime.
     */
    public Map<String, Object> rotateAdminToken(Exchange exchange) {
        AdminTokens.Rotation rotation = adminTokens.rotate();
        exchange.setProperty("responseStatus", 201);
        return Map.of("token", rotation.token(), "previousTokenValidUntil", rotation.previousValidUntil());
    }

    /** {@code GET /api/admin/audit?limit=}: the newest admin actions first (100 by default, at most 1000). */
    public List<Map<String, Object>> audit(Exchange exchange) {
        Requests.rejectUnknownQuery(exchange, java.util.Set.of("limit"));
        String raw = exchange.getMessage().getHeader("limit", String.class);
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

    public Map<String, Object> createClient(Exchange exchange) {
        Map<String, Object> body = Requests.jsonObject(exchange, "{\"name\": \"Ada\", \"email\": \"ada@example.com\"}");
        exchange.setProperty("responseStatus", 201);
        return clients.create(body);
    }

    public Map<String, Object> verifyLedger(Exchange exchange) {
        List<Map<String, Object>> clientsReport = ledger.verify();
        boolean ok = clientsReport.stream().allMatch(c -> Boolean.TRUE.equals(c.get("balanced")));
        boolean outcomes = clientsReport.stream().allMatch(c -> Boolean.TRUE.equals(c.get("everyChargeHasOutcome")));
        return Map.of("balanced", ok, "everyChargeHasOutcome", outcomes, "clients", clientsReport);
    }
}
