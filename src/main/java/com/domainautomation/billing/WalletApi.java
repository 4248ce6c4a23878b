package com.domainautomation.billing;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

import com.domainautomation.checkout.InvoiceViews;
import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.Requests;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;

/** Wallet, ledger and invoice endpoints: a client sees its own; the admin credits any wallet. */
public class WalletApi {
    private final Db db;
    private final ClientDirectory clients;
    private final WalletLedger ledger;

    public WalletApi(Db db, ClientDirectory clients, WalletLedger ledger) {
        this.db = db;
        this.clients = clients;
        this.ledger = ledger;
    }

    public Map<String, Object> wallet(Exchange exchange) {
        Document client = clients.require(exchange.getProperty("clientId", String.class));
        return Map.of("clientId", client.getString("_id"), "balance", Money.format(client.getLong("balance")),
                "currency", client.getString("currency"));
    }

    public List<Map<String, Object>> transactions(Exchange exchange) {
        List<Map<String, Object>> views = new ArrayList<>();
        // A rejected posting changed nothing; it stays in the ledger for audit but is not the client's history.
        for (Document entry : db.get(Db.TRANSACTIONS).find(and(eq("clientId", exchange.getProperty("clientId", String.class)),
                ne("status", WalletLedger.REJECTED))).sort(Sorts.descending("createdAt"))) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", entry.getString("_id"));
            view.put("type", entry.getString("type"));
            view.put("amount", Money.format(entry.getLong("amount")));
            view.put("currency", entry.getString("currency"));
            view.put("status", entry.getString("status"));
            view.put("reference", entry.getString("reference"));
            view.put("description", entry.getString("description"));
            view.put("balanceAfter", entry.getLong("balanceAfter") == null ? null : Money.format(entry.getLong("balanceAfter")));
            view.put("createdAt", entry.getDate("createdAt").toInstant());
            views.add(view);
        }
        return views;
    }

    public List<Map<String, Object>> invoices(Exchange exchange) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (Document invoice : db.get(Db.INVOICES).find(eq("clientId", exchange.getProperty("clientId", String.class)))
                .sort(Sorts.descending("issuedAt"))) {
            views.add(InvoiceViews.view(invoice));
        }
        return views;
    }

    /** Admin: {@code {amount: "25.00", description?}}; an {@code Idempotency-Key} header makes a retry safe. */
    public Map<String, Object> credit(Exchange exchange) {
        String clientId = exchange.getMessage().getHeader("id", String.class);
        clients.require(clientId);
        Map<String, Object> body = Requests.jsonObject(exchange, "{\"amount\": \"25.00\"}");
        long amount;
        try {
            amount = Money.parsePositive(body.get("amount"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The credit is not valid", List.of(Map.of("field", "amount", "message", e.getMessage())));
        }
        String description = body.get("description") instanceof String d && !d.isBlank() ? d.trim() : "Wallet credit";
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        String ledgerKey = "credit:" + clientId + ":" + (key == null || key.isBlank() ? Ids.newId("c") : key);
        WalletLedger.Posting posting;
        try {
            posting = ledger.post(clientId, ledgerKey, amount, "credit", null, description);
        } catch (IllegalStateException e) {
            throw new ApiException(422, "idempotency_key_reused", "This Idempotency-Key was used for a different credit");
        }
        Document client = clients.require(clientId);
        exchange.setProperty("responseStatus", 201);
        return Map.of("transactionId", posting.key(), "status", posting.status(), "amount", Money.format(amount),
                "balance", Money.format(client.getLong("balance")), "currency", client.getString("currency"));
    }
}
