package com.domainautomation.domains;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The one mapping between a domain document and {@link Domain}. */
class DomainTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Document CONTACT = new Document("nameFirst", "Ada").append("email", "ada@example.com");
    private static final Document CONSENT = new Document("agreementKeys", List.of("DNRA"))
            .append("agreedBy", "203.0.113.9")
            .append("agreedAt", new Date());

    private static Domain registration() {
        return Domain.newPending(
                "ord_1-1",
                "xn--bcher-kva.example",
                "bücher.example",
                "cli_1",
                "ord_1",
                2,
                true,
                false,
                2398,
                "USD",
                CONTACT,
                CONSENT,
                null,
                NOW);
    }

    @Test
    void a_new_registration_is_stored_with_the_seeds_field_names() {
        Document stored = registration().toDocument();

        assertEquals(
                List.of(
                        "_id",
                        "name",
                        "unicodeName",
                        "userId",
                        "orderId",
                        "status",
                        "registrationPeriod",
                        "privacyProtection",
                        "autoRenew",
                        "autoRenewAttempts",
                        "price",
                        "currency",
                        "contact",
                        "consent",
                        "purchaseAttempts",
                        "registeredAt",
                        "expiresAt",
                        "lastExpiryReminderAt",
                        "lastRenewalAt",
                        "lastDnsUpdateAt",
                        "transferStatus",
                        "transferLastChecked",
                        "transferNeedsAttention",
                        "transferFailureReason",
                        "createdAt",
                        "updatedAt"),
                List.copyOf(stored.keySet()));
        assertEquals("cli_1", stored.getString("userId"), "the owner is stored under the seed's name");
        assertEquals("pending", stored.getString("status"));
        assertEquals(2398L, stored.getLong("price"));
        assertEquals(Date.from(NOW), stored.getDate("createdAt"));
        assertNull(stored.get("expiresAt"));
    }

    @Test
    void reading_what_was_written_gives_the_same_domain() {
        Domain transfer = Domain.newPending(
                "xfr_1-1",
                "example.com",
                "example.com",
                "cli_2",
                "xfr_1",
                1,
                false,
                false,
                999,
                "USD",
                CONTACT,
                CONSENT,
                "AUTH-1",
                NOW);

        assertEquals(registration(), Domain.of(registration().toDocument()));
        assertEquals(transfer, Domain.of(transfer.toDocument()));
        assertEquals("requested", transfer.toDocument().getString("transferStatus"));
        assertEquals(0, transfer.toDocument().getInteger("transferAttempts"));
        assertEquals(Date.from(NOW), transfer.toDocument().getDate("transferRequestedAt"));
    }

    @Test
    void reads_a_document_as_the_workers_left_it() {
        Instant until = NOW.plusSeconds(60);
        Document stored = registration()
                .toDocument()
                .append("status", "active")
                .append("expiresAt", Date.from(NOW.plusSeconds(86_400)))
                .append("lastExpiryReminderDays", 7)
                .append("purchaseAttempts", 1)
                .append("renewLeaseUntil", Date.from(until))
                .append("renewLeaseJob", "job-9");

        Domain domain = Domain.of(stored);

        assertEquals("cli_1", domain.clientId());
        assertFalse(domain.pending());
        assertEquals(NOW.plusSeconds(86_400), domain.expiresAt());
        assertEquals(7, domain.lastExpiryReminderDays());
        assertEquals(1, domain.purchaseAttempts());
        assertEquals(until, DomainJobs.Lease.RENEWAL.untilOf.apply(domain));
        assertEquals("job-9", DomainJobs.Lease.RENEWAL.holderOf.apply(domain));
        assertNull(DomainJobs.Lease.WORK.untilOf.apply(domain));
        assertEquals("bücher.example", domain.displayName());
        assertEquals(stored, domain.toDocument(), "written back, the document is unchanged");
    }

    @Test
    void a_document_of_a_projection_reads_with_defaults() {
        Domain domain = Domain.of(
                new Document("_id", "d1").append("name", "example.com").append("status", "pending"));

        assertTrue(domain.pending());
        assertEquals(1, domain.registrationPeriod());
        assertEquals(0, domain.autoRenewAttempts());
        assertEquals("example.com", domain.displayName());
        assertNull(Domain.of(null));
    }
}
