package com.domainautomation.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The one mapping between an order document and {@link Order}. */
class OrderTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static Order order() {
        CheckoutRequest request = new CheckoutRequest(
                List.of(
                        new CheckoutRequest.Item(DomainName.parse("bücher.example"), 2, true, false, 2398),
                        new CheckoutRequest.Item(DomainName.parse("example.com"), 1, false, true, 1199)),
                Map.of("nameFirst", "Ada"),
                3597,
                "USD");
        return Order.created("ord_1", "cli_1", request, List.of("DNRA"), "203.0.113.9", NOW, "key-1");
    }

    @Test
    void a_new_order_is_stored_as_the_checkout_always_stored_it() {
        Document stored = order().toDocument();

        assertEquals(
                List.of(
                        "_id",
                        "clientId",
                        "status",
                        "items",
                        "total",
                        "currency",
                        "contact",
                        "consent",
                        "idempotencyKey",
                        "createdAt"),
                List.copyOf(stored.keySet()));
        assertEquals("created", stored.getString("status"));
        assertEquals(3597L, stored.getLong("total"));
        Document first = stored.getList("items", Document.class).get(0);
        assertEquals("xn--bcher-kva.example", first.getString("domain"));
        assertEquals("bücher.example", first.getString("unicodeDomain"));
        assertEquals(2, first.getInteger("years"));
        assertEquals(2398L, first.getLong("price"));
        Document consent = stored.get("consent", Document.class);
        assertEquals(List.of("DNRA"), consent.getList("agreementKeys", String.class));
        assertEquals(Date.from(NOW), consent.getDate("agreedAt"));
    }

    @Test
    void reading_what_was_written_gives_the_same_order() {
        Order paid = order().paid();

        assertEquals(order(), Order.of(order().toDocument()));
        assertEquals(paid, Order.of(paid.toDocument()));
        assertEquals("paid", paid.status());
        Document cancelled = order().toDocument().append("status", "cancelled").append("cancelReason", "why");
        assertEquals("why", Order.of(cancelled).cancelReason());
        assertEquals(cancelled, Order.of(cancelled).toDocument());
        assertNull(Order.of(null));
    }
}
