package com.domainautomation.registrar;

import com.domainautomation.support.Json;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * Builds GoDaddy v1 requests for the registrar routes: clears the exchange headers (nothing of ours leaks to the
 * registrar), sets method, path and body. The domain being worked on is the exchange property {@code domain}.
 */
public class GoDaddyRequests {

    /** {@code POST /v1/domains/purchase}: consent from checkout, the contact in all four roles, our own renewals. */
    public void purchase(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain.getString("name"));
        body.put("period", domain.getInteger("registrationPeriod"));
        body.put("privacy", domain.getBoolean("privacyProtection", false));
        consentAndContacts(domain, body);
        start(exchange, "POST", "/v1/domains/purchase", Json.write(body));
    }

    /** {@code POST /v1/domains/{domain}/renew {period}}: the body is a map with the period (years). */
    public void renew(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        Object period = exchange.getMessage().getBody(java.util.Map.class).get("period");
        start(
                exchange,
                "POST",
                "/v1/domains/" + domain.getString("name") + "/renew",
                Json.write(java.util.Map.of("period", period)));
    }

    /** {@code POST /v1/domains/{domain}/transfer}: the auth code, consent and contacts from the transfer request. */
    public void transfer(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authCode", domain.getString("authCode"));
        body.put("period", 1);
        body.put("privacy", false);
        consentAndContacts(domain, body);
        start(exchange, "POST", "/v1/domains/" + domain.getString("name") + "/transfer", Json.write(body));
    }

    /** {@code GET /v1/domains/{domain}/records}: every DNS record of the domain. */
    public void getRecords(Exchange exchange) {
        start(exchange, "GET", records(exchange), null);
    }

    /** {@code GET /v1/domains/{domain}/records/{type}/{name}} for the group in the property {@code dnsGroup}. */
    public void getRecordsOf(Exchange exchange) {
        start(exchange, "GET", recordsOf(exchange), null);
    }

    /** {@code PUT /v1/domains/{domain}/records/{type}/{name}}: the body (a JSON array) becomes that type+name's records. */
    public void putRecordsOf(Exchange exchange) {
        start(exchange, "PUT", recordsOf(exchange), exchange.getMessage().getBody(String.class));
    }

    /** {@code PUT /v1/domains/{domain}/records}: the body (a JSON array of DNSRecord) replaces every record. */
    public void putRecords(Exchange exchange) {
        start(exchange, "PUT", records(exchange), exchange.getMessage().getBody(String.class));
    }

    /** {@code DELETE /v1/domains/{domain}/records/{type}/{name}} for the change in the property {@code dnsChange}. */
    public void deleteRecordsOf(Exchange exchange) {
        Document change = exchange.getProperty("dnsChange", Document.class);
        start(
                exchange,
                "DELETE",
                records(exchange) + "/" + change.getString("type") + "/" + change.getString("name"),
                null);
    }

    /** The end user's consent from checkout, our own renewals ({@code renewAuto:false}), the contact in all four roles. */
    private static void consentAndContacts(Document domain, Map<String, Object> body) {
        Document consent = domain.get("consent", Document.class);
        body.put(
                "consent",
                Map.of(
                        "agreementKeys", consent.getList("agreementKeys", String.class),
                        "agreedBy", consent.getString("agreedBy"),
                        "agreedAt", consent.getDate("agreedAt").toInstant().toString()));
        body.put("renewAuto", false); // our wallet and auto-renew cron own renewals; GoDaddy's default is true
        Document contact = domain.get("contact", Document.class);
        for (String role : new String[] {"contactRegistrant", "contactAdmin", "contactTech", "contactBilling"}) {
            body.put(role, contact);
        }
    }

    private static String records(Exchange exchange) {
        return "/v1/domains/" + exchange.getProperty("domain", Document.class).getString("name") + "/records";
    }

    private static String recordsOf(Exchange exchange) {
        java.util.Map<?, ?> group = exchange.getProperty("dnsGroup", java.util.Map.class);
        return records(exchange) + "/" + group.get("type") + "/" + group.get("name");
    }

    /** {@code GET /v1/domains/{domain}}: do we own it, in which status, until when. */
    public void getDomain(Exchange exchange) {
        Document domain = exchange.getProperty("domain", Document.class);
        start(exchange, "GET", "/v1/domains/" + domain.getString("name"), null);
    }

    private static void start(Exchange exchange, String method, String path, String body) {
        var message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_METHOD, method);
        message.setHeader(Exchange.HTTP_PATH, path);
        message.setHeader("Accept", "application/json");
        if (body != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(body);
        exchange.setProperty("registrarRequest", method + " " + path);
        exchange.setProperty("registrarCalledAt", new Date());
    }
}
