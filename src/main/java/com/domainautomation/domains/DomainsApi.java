package com.domainautomation.domains;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** A client's domains; another client's domain answers 404, like one that does not exist. */
public class DomainsApi {
    private final DomainRecords domains;

    public DomainsApi(DomainRecords domains) {
        this.domains = domains;
    }

    public List<Map<String, Object>> list(Exchange exchange) {
        return domains.listOwned(exchange.getProperty("clientId", String.class));
    }

    public Map<String, Object> get(Exchange exchange) {
        String name = exchange.getMessage().getHeader("domain", String.class);
        return DomainRecords.view(domains.requireOwned(exchange.getProperty("clientId", String.class), name));
    }
}
