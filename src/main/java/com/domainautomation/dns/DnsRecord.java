package com.domainautomation.dns;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One DNS record in GoDaddy's DNSRecord shape. Records have no ids at GoDaddy: a record is known by type and name,
 * and, among several at one type+name (MX, TXT, A...), by its data.
 */
public record DnsRecord(
        String type,
        String name,
        String data,
        int ttl,
        Integer priority,
        Integer port,
        Integer weight,
        String service,
        String protocol) {

    /** GoDaddy's body for PUT /v1/domains/{domain}/records/{type}/{name} (type and name are in the path). */
    public Map<String, Object> toTypeNameBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("ttl", ttl);
        if (priority != null) {
            body.put("priority", priority);
        }
        if (port != null) {
            body.put("port", port);
        }
        if (weight != null) {
            body.put("weight", weight);
        }
        if (service != null) {
            body.put("service", service);
        }
        if (protocol != null) {
            body.put("protocol", protocol);
        }
        return body;
    }

    /** GoDaddy's DNSRecord body (PUT /v1/domains/{domain}/records). */
    public Map<String, Object> toRecordBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("name", name);
        body.putAll(toTypeNameBody());
        return body;
    }
}
