package com.domainautomation.clients;

import com.domainautomation.billing.WalletLedger;
import com.domainautomation.support.Requests;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** Admin endpoints for clients and the ledger check. */
public class AdminApi {
    private final ClientDirectory clients;
    private final WalletLedger ledger;

    public AdminApi(ClientDirectory clients, WalletLedger ledger) {
        this.clients = clients;
        this.ledger = ledger;
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
