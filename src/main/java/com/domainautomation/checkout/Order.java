package com.domainautomation.checkout;

import static com.domainautomation.support.Stored.date;
import static com.domainautomation.support.Stored.instant;
import static com.domainautomation.support.Stored.withOptional;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * An order of the checkout ({@code orders}), read through {@link #of} and written through {@link #toDocument}: the one
 * mapping between the code and the stored order.
 *
 * @param status {@code created} (charge under way), {@code paid} or {@code cancelled}
 * @param total in minor units, the sum of the items' prices
 * @param contact the registrant contact, as the registrar takes it
 * @param consent who agreed to the registrar's agreements (their keys), from which address, and when
 * @param idempotencyKey the client's Idempotency-Key, when it sent one
 */
public record Order(
        String id,
        String clientId,
        String status,
        List<Item> items,
        long total,
        String currency,
        Document contact,
        Document consent,
        String idempotencyKey,
        Instant createdAt,
        Instant paidAt,
        String cancelReason) {

    public static final String CREATED = "created";
    public static final String PAID = "paid";
    public static final String CANCELLED = "cancelled";

    /** One domain of the order, priced for its years. */
    public record Item(
            String domain, String unicodeDomain, int years, boolean privacy, boolean autoRenew, long price) {}

    /** A new order of {@code request}, not charged yet. */
    public static Order created(
            String id,
            String clientId,
            CheckoutRequest request,
            List<String> agreementKeys,
            String ip,
            Instant now,
            String idempotencyKey) {
        List<Item> items = request.items().stream()
                .map(i -> new Item(
                        i.domain().ascii(), i.domain().unicode(), i.years(), i.privacy(), i.autoRenew(), i.price()))
                .toList();
        Document consent = new Document("agreementKeys", agreementKeys)
                .append("agreedBy", ip)
                .append("agreedAt", Date.from(now));
        return new Order(
                id,
                clientId,
                CREATED,
                items,
                request.total(),
                request.currency(),
                new Document(request.contact()),
                consent,
                idempotencyKey,
                now,
                null,
                null);
    }

    /** The order as stored; null for null. */
    public static Order of(Document d) {
        if (d == null) {
            return null;
        }
        List<Item> items = d.getList("items", Document.class, List.of()).stream()
                .map(i -> new Item(
                        i.getString("domain"),
                        i.getString("unicodeDomain"),
                        i.getInteger("years", 1),
                        i.getBoolean("privacy", false),
                        i.getBoolean("autoRenew", false),
                        i.getLong("price")))
                .toList();
        return new Order(
                d.getString("_id"),
                d.getString("clientId"),
                d.getString("status"),
                items,
                d.getLong("total"),
                d.getString("currency"),
                d.get("contact", Document.class),
                d.get("consent", Document.class),
                d.getString("idempotencyKey"),
                instant(d, "createdAt"),
                instant(d, "paidAt"),
                d.getString("cancelReason"));
    }

    public Document toDocument() {
        Document d = new Document("_id", id)
                .append("clientId", clientId)
                .append("status", status)
                .append(
                        "items",
                        items.stream()
                                .map(i -> new Document("domain", i.domain())
                                        .append("unicodeDomain", i.unicodeDomain())
                                        .append("years", i.years())
                                        .append("privacy", i.privacy())
                                        .append("autoRenew", i.autoRenew())
                                        .append("price", i.price()))
                                .toList())
                .append("total", total)
                .append("currency", currency)
                .append("contact", contact)
                .append("consent", consent)
                .append("idempotencyKey", idempotencyKey)
                .append("createdAt", date(createdAt));
        return withOptional(withOptional(d, "paidAt", date(paidAt)), "cancelReason", cancelReason);
    }

    /** The same order, marked paid (as the completing batch writes it). */
    public Order paid() {
        return new Order(
                id,
                clientId,
                PAID,
                items,
                total,
                currency,
                contact,
                consent,
                idempotencyKey,
                createdAt,
                paidAt,
                cancelReason);
    }
}
