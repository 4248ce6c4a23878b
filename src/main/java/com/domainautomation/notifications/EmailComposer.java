package com.domainautomation.notifications;

import com.domainautomation.clients.ClientDirectory;
import java.time.Year;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * Turns an email job {@code {type, clientId, domainId, data}} into the model of its mustache templates and the mail
 * headers. A job for a client that no longer exists, or without a valid address, cannot succeed later either:
 * {@link UndeliverableEmailException}, failed at once without retries.
 */
public class EmailComposer {
    private static final Map<String, String> SUBJECTS = Map.of(
            "domain-registered", "Your domain {domain} is registered",
            "domain-registration-failed", "We could not register {domain}");

    private final ClientDirectory clients;
    private final String from;
    private final String publicUrl;

    public EmailComposer(ClientDirectory clients, String from, String publicUrl) {
        this.clients = clients;
        this.from = from;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    public static boolean knownType(String type) {
        return SUBJECTS.containsKey(type);
    }

    @SuppressWarnings("unchecked")
    public void prepare(Exchange exchange) {
        Map<String, Object> job = exchange.getMessage().getBody(Map.class);
        String type = String.valueOf(job.get("type"));
        if (!knownType(type)) {
            throw new UndeliverableEmailException("unknown email type '" + type + "'");
        }
        Object clientId = job.get("clientId");
        Document client = clientId == null ? null : clients.find(clientId.toString());
        if (client == null) {
            throw new UndeliverableEmailException("client " + clientId + " no longer exists");
        }
        String to = client.getString("email");
        if (!ClientDirectory.validEmail(to)) {
            throw new UndeliverableEmailException("client " + clientId + " has no valid email address");
        }
        Map<String, Object> model = new LinkedHashMap<>();
        if (job.get("data") instanceof Map<?, ?> data) {
            model.putAll((Map<String, Object>) data);
        }
        model.put("customerName", client.getString("name"));
        model.put("dashboardUrl", publicUrl + "/api/domains/" + model.getOrDefault("asciiDomain", ""));
        model.put("year", Year.now().getValue());
        String subject = SUBJECTS.get(type).replace("{domain}", String.valueOf(model.getOrDefault("domain", "")));
        model.put("subject", subject);

        var message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader("emailType", type);
        message.setHeader("To", to);
        message.setHeader("From", from);
        message.setHeader("Subject", subject);
        message.setBody(model);
    }
}
