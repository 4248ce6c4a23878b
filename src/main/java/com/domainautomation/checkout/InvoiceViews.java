package com.domainautomation.checkout;

import com.domainautomation.billing.Money;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** The API's view of an invoice. */
public final class InvoiceViews {
    private InvoiceViews() {}

    public static Map<String, Object> view(Document invoice) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", invoice.getString("_id"));
        view.put("number", invoice.getString("number"));
        view.put("orderId", invoice.getString("orderId"));
        view.put("status", invoice.getString("status"));
        view.put("total", Money.format(invoice.getLong("total")));
        view.put("currency", invoice.getString("currency"));
        List<Map<String, Object>> lines = invoice.getList("lines", Document.class).stream()
                .map(l -> Map.<String, Object>of(
                        "description", l.getString("description"), "amount", Money.format(l.getLong("amount"))))
                .toList();
        view.put("lines", lines);
        view.put("issuedAt", invoice.getDate("issuedAt").toInstant());
        return view;
    }
}
