package com.domainautomation.registrar;

import com.domainautomation.domains.Domain;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar's record of a domain, fetched through {@code direct:registrar-shared-get-domain} on an exchange of its
 * own, for Java steps that must ask the registrar without disturbing the exchange they run in (the dead-letter steps'
 * last look before a refund).
 */
public class RegistrarLookup {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarLookup.class);
    private final Supplier<CamelContext> camel;
    private volatile ProducerTemplate template;

    public RegistrarLookup(Supplier<CamelContext> camel) {
        this.camel = camel;
    }

    /** The record; null when the domain is not in our account. Throws when the registrar cannot answer. */
    public Map<?, ?> details(Domain domain) throws Exception {
        Exchange answer = template().send("direct:registrar-shared-get-domain", e -> e.setProperty("domain", domain));
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer.getMessage().getBody(Map.class);
    }

    /**
     * The record for a last look before a refund: null when the domain is not ours, and also when the registrar cannot
     * answer (logged), which the caller counts as "not done".
     */
    public Map<?, ?> detailsOrNull(Domain domain) {
        try {
            return details(domain);
        } catch (Exception e) {
            LOG.warn(
                    "Could not ask the registrar about {} before giving up ({}); counting it as not done",
                    domain.name(),
                    e.getMessage());
            return null;
        }
    }

    private ProducerTemplate template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.get().createProducerTemplate();
                }
            }
        }
        return template;
    }
}
