package com.domainautomation.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The one mapping between a ledger entry document and {@link LedgerEntry}. */
class LedgerEntryTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void a_new_entry_is_stored_with_its_fields_and_no_settlement() {
        LedgerEntry entry = new LedgerEntry(
                "charge:ord_1",
                "cli_1",
                "charge",
                -2398,
                "USD",
                "ord_1",
                "Order ord_1",
                WalletLedger.PENDING,
                NOW,
                null,
                null);

        Document stored = entry.toDocument();

        assertEquals(
                List.of(
                        "_id",
                        "clientId",
                        "type",
                        "amount",
                        "currency",
                        "reference",
                        "description",
                        "status",
                        "createdAt"),
                List.copyOf(stored.keySet()));
        assertEquals(-2398L, stored.getLong("amount"));
        assertEquals(Date.from(NOW), stored.getDate("createdAt"));
        assertTrue(entry.pending());
        assertFalse(entry.posted());
        assertEquals(entry, LedgerEntry.of(stored));
    }

    @Test
    void reads_a_settled_entry() {
        Document stored = new LedgerEntry(
                        "credit:1",
                        "cli_1",
                        "credit",
                        50000,
                        "USD",
                        null,
                        "Top-up",
                        WalletLedger.PENDING,
                        NOW,
                        null,
                        null)
                .toDocument()
                .append("status", WalletLedger.POSTED)
                .append("settledAt", Date.from(NOW.plusSeconds(1)))
                .append("balanceAfter", 50000L);

        LedgerEntry entry = LedgerEntry.of(stored);

        assertTrue(entry.posted());
        assertEquals(50000L, entry.balanceAfter());
        assertEquals(NOW.plusSeconds(1), entry.settledAt());
        assertEquals(stored, entry.toDocument());
        assertNull(LedgerEntry.of(null));
    }
}
