package com.domainautomation.registrar;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.bson.Document;

/**
 * The registrar's record of a domain, fetched through {@code direct:registrar-shared-get-domain} on an exchange of its
 * own, for Java steps that must ask the registrar without disturbing the exchange they run in (the dead-letter steps'
 * last look before a refund).
 */
public class RegistrarLookup {
    private final Supplier<CamelContext> camel;
    private volatile ProducerTemplate template;

    public RegistrarLookup(Supplier<CamelContext> camel) {
        this.camel = camel;
    }

    /** The record; null when the domain is not in our account. Throws when the registrar cannot answer. */
    public Map<?, ?> details(Document domain) throws Exception {
        Exchange answer = template().send("direct:registrar-shared-get-domain", e -> e.setProperty("domain", domain));
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer.getMessage().getBody(Map.class);
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
