package com.domainautomation.domains;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The registrar's record of the domain in the exchange property {@code domain}, fetched through
 * {@code direct:registrar-shared-get-domain} on a copy of the exchange, for Java steps that must ask the registrar
 * without disturbing the exchange they run in (the dead-letter steps' last look before a refund).
 */
final class RegistrarLookup {
    private volatile ProducerTemplate template;

    /** The record; null when the domain is not in our account. Throws when the registrar cannot answer. */
    Map<?, ?> details(Exchange exchange) throws Exception {
        Exchange lookup = exchange.copy();
        lookup.setException(null);
        lookup.removeProperty(Exchange.EXCEPTION_CAUGHT);
        lookup.getMessage().setBody(null);
        template(exchange).send("direct:registrar-shared-get-domain", lookup);
        if (lookup.getException() != null) {
            throw lookup.getException();
        }
        return lookup.getMessage().getBody(Map.class);
    }

    private ProducerTemplate template(Exchange exchange) {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = exchange.getContext().createProducerTemplate();
                }
            }
        }
        return template;
    }
}
