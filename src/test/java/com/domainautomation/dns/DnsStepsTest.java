package com.domainautomation.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.domainautomation.dns.DnsSteps.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per decision a DNS job makes (an empty cell: no pending change). */
class DnsStepsTest {

    @ParameterizedTest(name = "leased {0}, oldest change {1} -> {2}")
    @CsvSource({
        "false, upsert, SKIP", // the domain is gone
        "true, , SKIP", // no pending change: an earlier job applied it
        "true, upsert, UPSERT",
        "true, replace, REPLACE",
        "true, delete, DELETE",
    })
    void at_start(boolean leased, String kind, Step expected) {
        assertEquals(expected, DnsSteps.atStart(leased, kind));
    }

    @Test
    void an_unknown_change_kind_is_an_error_not_a_skip() {
        assertThrows(IllegalArgumentException.class, () -> DnsSteps.atStart(true, "rename"));
    }

    @ParameterizedTest(name = "domain known {0}, change known {1} -> {2}")
    @CsvSource({"true, true, FAIL", "true, false, SKIP", "false, true, SKIP", "false, false, SKIP"})
    void at_give_up(boolean domain, boolean change, Step expected) {
        assertEquals(expected, DnsSteps.atGiveUp(domain, change));
    }
}
