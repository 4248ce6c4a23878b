package com.domainautomation.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The only queries that may read a whole collection of the embedded store: admin reports, which read everything by
 * design. Every query of an API request, a worker step, the sweeper or a cron item must be answered through an index;
 * {@link AppTestSupport} checks it after every whole-app test. An entry is {@code collection} and the query's shape
 * (values left out, as {@code StoreScans} writes it).
 */
final class StoreScanAllowList {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            // GET /api/admin/ledger/verify: every wallet against its ledger (an admin report)
            "clients", Set.of("{}"),
            // not the app: CheckoutApiIT reads every stored token to prove none is kept in clear (the app reads by _id)
            "api_tokens", Set.of("{}"));

    private StoreScanAllowList() {}

    static Map<String, Map<String, Long>> unexpected(Map<String, Map<String, Long>> scans) {
        Map<String, Map<String, Long>> unexpected = new TreeMap<>();
        scans.forEach((collection, shapes) -> {
            Map<String, Long> left = new LinkedHashMap<>(shapes);
            left.keySet().removeAll(ALLOWED.getOrDefault(collection, Set.of()));
            if (!left.isEmpty() && !collection.startsWith("system.")) {
                unexpected.put(collection, left);
            }
        });
        return unexpected;
    }
}
