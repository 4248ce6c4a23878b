package com.domainautomation.domains;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrarStatusTest {

    @ParameterizedTest
    @ValueSource(strings = {"ACTIVE", "PENDING_DNS_ACTIVE", "AWAITING_TRANSFER_IN_AUTH", "LOCKED_REGISTRAR", "active"})
    void owned_statuses_are_in_our_account(String status) {
        assertTrue(RegistrarStatus.owned(status), status);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "FAILED_TRANSFER_IN",
                "CANCELLED",
                "TRANSFERRED_OUT",
                "DELETED_REDEEMABLE",
                "cancelled",
                "null",
                "  "
            })
    void lost_or_failed_statuses_are_not_owned(String status) {
        assertFalse(RegistrarStatus.owned(status), status);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missing_status_is_not_owned(String status) {
        assertFalse(RegistrarStatus.owned(status));
    }
}
