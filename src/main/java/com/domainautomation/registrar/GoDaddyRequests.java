package com.domainautomation.registrar;

import com.domainautomation.domains.Domain;
import com.domainautomation.support.HttpCall;
import com.domainautomation.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;

/**
 * Builds GoDaddy v1 requests for the registrar routes, as {@link HttpCall}s (the route's call step sends them with
 * none of our headers). The domain being worked on is the exchange property {@code domain}.
 */
public class GoDaddyRequests {

    /** {@code POST /v1/domains/purchase}: consent from checkout, the contact in all four roles, our own renewals. */
    public HttpCall purchase(@ExchangeProperty("domain") Domain domain) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain.name());
        body.put("period", domain.registrationPeriod());
        body.put("privacy", domain.privacyProtection());
        consentAndContacts(domain, body);
        return new HttpCall("POST", "/v1/domains/purchase", Json.write(body));
    }

    /** {@code POST /v1/domains/{domain}/renew {period}}: the body is a map with the period (years). */
    public HttpCall renew(@ExchangeProperty("domain") Domain domain, @Body Map<String, Object> period) {
        return new HttpCall(
                "POST", "/v1/domains/" + domain.name() + "/renew", Json.write(Map.of("period", period.get("period"))));
    }

    /** {@code POST /v1/domains/{domain}/transfer}: the auth code, consent and contacts from the transfer request. */
    public HttpCall transfer(@ExchangeProperty("domain") Domain domain) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authCode", domain.authCode());
        body.put("period", 1);
        body.put("privacy", false);
        consentAndContacts(domain, body);
        return new HttpCall("POST", "/v1/domains/" + domain.name() + "/transfer", Json.write(body));
    }

    /** {@code GET /v1/domains/{domain}/records}: every DNS record of the domain. */
    public HttpCall getRecords(@ExchangeProperty("domain") Domain domain) {
        return new HttpCall("GET", records(domain), null);
    }

    /** {@code GET /v1/domains/{domain}/records/{type}/{name}} for the group in the property {@code dnsGroup}. */
    public HttpCall getRecordsOf(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty("dnsGroup") Map<?, ?> group) {
        return new HttpCall("GET", recordsOf(domain, group), null);
    }

    /** {@code PUT /v1/domains/{domain}/records/{type}/{name}}: the body (a JSON array) becomes that type+name's records. */
    public HttpCall putRecordsOf(
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty("dnsGroup") Map<?, ?> group,
            @Body String records) {
        return new HttpCall("PUT", recordsOf(domain, group), records);
    }

    /** {@code PUT /v1/domains/{domain}/records}: the body (a JSON array of DNSRecord) replaces every record. */
    public HttpCall putRecords(@ExchangeProperty("domain") Domain domain, @Body String records) {
        return new HttpCall("PUT", records(domain), records);
    }

    /** {@code DELETE /v1/domains/{domain}/records/{type}/{name}} for the change in the property {@code dnsChange}. */
    public HttpCall deleteRecordsOf(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty("dnsChange") Document change) {
        return new HttpCall(
                "DELETE", records(domain) + "/" + change.getString("type") + "/" + change.getString("name"), null);
    }

    /** The end user's consent from checkout, our own renewals ({@code renewAuto:false}), the contact in all four roles. */
    private static void consentAndContacts(Domain domain, Map<String, Object> body) {
        Document consent = domain.consent();
        body.put(
                "consent",
                Map.of(
                        "agreementKeys", consent.getList("agreementKeys", String.class),
                        "agreedBy", consent.getString("agreedBy"),
                        "agreedAt", consent.getDate("agreedAt").toInstant().toString()));
        body.put("renewAuto", false); // our wallet and auto-renew cron own renewals; GoDaddy's default is true
        Document contact = domain.contact();
        for (String role : new String[] {"contactRegistrant", "contactAdmin", "contactTech", "contactBilling"}) {
            body.put(role, contact);
        }
    }

    private static String records(Domain domain) {
        return "/v1/domains/" + domain.name() + "/records";
    }

    private static String recordsOf(Domain domain, Map<?, ?> group) {
        return records(domain) + "/" + group.get("type") + "/" + group.get("name");
    }

    /** {@code GET /v1/domains/{domain}}: do we own it, in which status, until when. */
    public HttpCall getDomain(@ExchangeProperty("domain") Domain domain) {
        return new HttpCall("GET", "/v1/domains/" + domain.name(), null);
    }
}
