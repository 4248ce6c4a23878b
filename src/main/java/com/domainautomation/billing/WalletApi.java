package com.domainautomation.billing;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

import com.domainautomation.checkout.InvoiceViews;
import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.support.ApiAnswer;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.Document;

/** Wallet, ledger and invoice endpoints: a client sees its own; the admin credits any wallet. */
public class WalletApi {
    private static final Set<String> CREDIT_FIELDS = Set.of("amount", "currency", "reference", "description");
    private static final int MAX_REFERENCE = 100;
    private static final int MAX_DESCRIPTION = 200;

    private final Db db;
    private final ClientDirectory clients;
    private final WalletLedger ledger;
    private final long creditMax;

    public WalletApi(Db db, ClientDirectory clients, WalletLedger ledger, long creditMax) {
        this.db = db;
        this.clients = clients;
        this.ledger = ledger;
        this.creditMax = creditMax;
    }

    public Map<String, Object> wallet(@ExchangeProperty("clientId") String clientId) {
        Document client = clients.require(clientId);
        return Map.of(
                "clientId",
                client.getString("_id"),
                "balance",
                Money.format(client.getLong("balance")),
                "currency",
                client.getString("currency"));
    }

    public List<Map<String, Object>> transactions(@ExchangeProperty("clientId") String clientId) {
        List<Map<String, Object>> views = new ArrayList<>();
        // A rejected posting changed nothing; it stays in the ledger for audit but is not the client's history.
        for (LedgerEntry entry : db.get(Db.TRANSACTIONS)
                .find(and(eq("clientId", clientId), ne("status", WalletLedger.REJECTED)))
                .sort(Sorts.descending("createdAt"))
                .map(LedgerEntry::of)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", entry.id());
            view.put("type", entry.type());
            view.put("amount", Money.format(entry.amount()));
            view.put("currency", entry.currency());
            view.put("status", entry.status());
            view.put("reference", entry.reference());
            view.put("description", entry.description());
            view.put("balanceAfter", entry.balanceAfter() == null ? null : Money.format(entry.balanceAfter()));
            view.put("createdAt", entry.createdAt());
            views.add(view);
        }
        return views;
    }

    public List<Map<String, Object>> invoices(@ExchangeProperty("clientId") String clientId) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (Document invoice :
                db.get(Db.INVOICES).find(eq("clientId", clientId)).sort(Sorts.descending("issuedAt"))) {
            views.add(InvoiceViews.view(invoice));
        }
        return views;
    }

    /**
     * Admin: {@code {amount: "25.00", currency?, reference?, description?}}; an {@code Idempotency-Key} header makes a
     * retry safe. The amount is a decimal string up to {@code wallet.credit-max}; a currency, when sent, must be the
     * wallet's; reference and description are short plain text.
     */
    public ApiAnswer credit(
            @Header("id") String clientId, @Body JsonRequest request, @Header("Idempotency-Key") String key) {
        Document wallet = clients.require(clientId);
        Map<String, Object> body = Requests.jsonObject(request, "{\"amount\": \"25.00\"}");
        List<Map<String, Object>> problems = new ArrayList<>(Requests.unknownFields(body, "", CREDIT_FIELDS));
        long amount = 0;
        try {
            amount = Money.parsePositive(body.get("amount"));
            if (amount > creditMax) {
                problems.add(problem(
                        "amount", "must be at most " + Money.format(creditMax) + " per credit (wallet.credit-max)"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(problem("amount", e.getMessage()));
        }
        String currency = wallet.getString("currency");
        if (body.containsKey("currency") && !currency.equals(body.get("currency"))) {
            problems.add(problem("currency", "must be " + currency + ", the wallet's currency (or left out)"));
        }
        String reference = plainText(body, "reference", MAX_REFERENCE, problems);
        String description = plainText(body, "description", MAX_DESCRIPTION, problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("The credit is not valid: " + problems.size() + " problem(s)", problems);
        }
        description = description == null ? "Wallet credit" : description;
        String ledgerKey = "credit:" + clientId + ":" + (key == null || key.isBlank() ? Ids.newId("c") : key);
        WalletLedger.Posting posting;
        try {
            // durable before the answer (ApiResponder), with one wait for the disk instead of three
            posting = ledger.deferring().post(clientId, ledgerKey, amount, "credit", reference, description);
        } catch (IllegalStateException e) {
            throw new ApiException(
                    422, "idempotency_key_reused", "This Idempotency-Key was used for a different credit");
        }
        Document client = clients.require(clientId);
        return ApiAnswer.created(Map.of(
                "transactionId",
                posting.key(),
                "status",
                posting.status(),
                "amount",
                Money.format(amount),
                "balance",
                Money.format(client.getLong("balance")),
                "currency",
                client.getString("currency")));
    }

    /** An optional field of plain text: a string of 1 to {@code max} characters, no control characters or markup. */
    private static String plainText(
            Map<String, Object> body, String field, int max, List<Map<String, Object>> problems) {
        Object value = body.get(field);
        if (value == null && !body.containsKey(field)) {
            return null;
        }
        if (!(value instanceof String text)
                || text.isBlank()
                || text.length() > max
                || !text.strip().equals(text)
                || !Requests.isPlainText(text)) {
            problems.add(problem(
                    field,
                    "must be plain text of 1 to " + max
                            + " characters (no markup, control or invisible characters, no surrounding spaces)"));
            return null;
        }
        return text;
    }

    private static Map<String, Object> problem(String field, String message) {
        return Map.of("field", field, "message", message);
    }
}
