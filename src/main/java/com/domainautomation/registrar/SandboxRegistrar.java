package com.domainautomation.registrar;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.bson.Document;

/**
 * A stand-in for GoDaddy's OTE environment, served over real HTTP on loopback so the registrar routes run exactly as
 * in production. It buys nothing. Names containing {@code taken} are unavailable; everything else can be bought.
 * Its domains are kept in the {@code sandbox_registrar} collection, so they survive a restart.
 */
public final class SandboxRegistrar implements AutoCloseable {
    static final String COLLECTION = "sandbox_registrar";
    private static final long YEARLY_PRICE_MICROS = 11_990_000L;

    private final HttpServer server;
    private final Db db;
    private final AppClock clock;
    private final java.time.Duration transferDelay;

    private SandboxRegistrar(HttpServer server, Db db, AppClock clock, java.time.Duration transferDelay) {
        this.server = server;
        this.db = db;
        this.clock = clock;
        this.transferDelay = transferDelay;
    }

    public static SandboxRegistrar start(Db db, AppClock clock, java.time.Duration transferDelay) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SandboxRegistrar sandbox = new SandboxRegistrar(server, db, clock, transferDelay);
        server.createContext("/v1/domains", sandbox::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sandbox-registrar");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return sandbox;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange http) throws IOException {
        try {
            String method = http.getRequestMethod();
            String path = http.getRequestURI().getPath();
            if (method.equals("GET") && path.equals("/v1/domains/available")) {
                available(http);
            } else if (method.equals("POST") && path.equals("/v1/domains/purchase")) {
                purchase(http);
            } else if (path.matches("/v1/domains/[^/]+/records(/[^/]+/[^/]+)?")) {
                records(http, method, path.substring("/v1/domains/".length()).split("/"));
            } else if (method.equals("POST") && path.matches("/v1/domains/[^/]+/transfer")) {
                transfer(http, path.substring("/v1/domains/".length(), path.length() - "/transfer".length()));
            } else if (method.equals("POST") && path.matches("/v1/domains/[^/]+/renew")) {
                renew(http, path.substring("/v1/domains/".length(), path.length() - "/renew".length()));
            } else if (method.equals("GET") && path.matches("/v1/domains/[^/]+")) {
                details(http, path.substring("/v1/domains/".length()));
            } else {
                send(http, 404, error("NOT_FOUND", "The sandbox registrar does not serve " + method + " " + path));
            }
        } catch (RuntimeException e) {
            send(http, 500, error("INTERNAL_SERVER_ERROR", String.valueOf(e.getMessage())));
        }
    }

    private void available(HttpExchange http) throws IOException {
        String query = http.getRequestURI().getRawQuery() == null
                ? ""
                : http.getRequestURI().getRawQuery();
        String domain = "";
        for (String pair : query.split("&")) {
            if (pair.startsWith("domain=")) {
                domain = URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8)
                        .toLowerCase();
            }
        }
        if (domain.isBlank()) {
            send(http, 422, error("MISSING_DOMAIN", "domain is required"));
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("available", isAvailable(domain));
        answer.put("definitive", true);
        answer.put("domain", domain);
        answer.put("price", YEARLY_PRICE_MICROS);
        answer.put("currency", "USD");
        answer.put("period", 1);
        send(http, 200, answer);
    }

    private void purchase(HttpExchange http) throws IOException {
        Map<String, Object> body;
        try {
            body = Json.readMap(new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            send(http, 400, error("INVALID_BODY", "Request body is not valid JSON"));
            return;
        }
        String domain = String.valueOf(body.get("domain")).toLowerCase();
        if (!(body.get("consent") instanceof Map<?, ?> consent) || !(consent.get("agreementKeys") instanceof List<?>)) {
            send(
                    http,
                    422,
                    error(
                            "CONSENT_REQUIRED",
                            "End-user must read and consent to all of the following legal agreements"));
            return;
        }
        if (!isAvailable(domain)) {
            send(
                    http,
                    422,
                    error(
                            "UNAVAILABLE_DOMAIN",
                            "The domain " + domain + " is not available (sandbox: the name contains 'taken')"));
            return;
        }
        int period = body.get("period") instanceof Number n ? n.intValue() : 1;
        Instant now = clock.now();
        Instant expires = now.atZone(ZoneOffset.UTC).plusYears(period).toInstant();
        boolean bought = db.insertIfAbsent(
                COLLECTION,
                new Document("_id", domain)
                        .append("domainId", Math.abs((long) domain.hashCode()))
                        .append("status", "ACTIVE")
                        .append("createdAt", Date.from(now))
                        .append("expires", Date.from(expires))
                        .append("privacy", Boolean.TRUE.equals(body.get("privacy")))
                        .append("renewAuto", !Boolean.FALSE.equals(body.get("renewAuto")))
                        .append(
                                "records",
                                List.of(
                                        new Document("type", "NS")
                                                .append("name", "@")
                                                .append("data", "ns01.domaincontrol.com")
                                                .append("ttl", 3600),
                                        new Document("type", "NS")
                                                .append("name", "@")
                                                .append("data", "ns02.domaincontrol.com")
                                                .append("ttl", 3600),
                                        new Document("type", "A")
                                                .append("name", "@")
                                                .append("data", "203.0.113.80")
                                                .append("ttl", 600))));
        if (!bought) {
            send(http, 422, error("UNAVAILABLE_DOMAIN", "The domain " + domain + " is already registered"));
            return;
        }
        send(http, 200, orderAnswer(period));
    }

    /** DNS records of a domain of this account: GET/PUT all, GET/PUT/DELETE by type and name. */
    @SuppressWarnings("unchecked")
    private void records(HttpExchange http, String method, String[] parts) throws IOException {
        Document owned =
                db.get(COLLECTION).find(eq("_id", parts[0].toLowerCase())).first();
        if (owned == null) {
            send(http, 404, error("NOT_FOUND", "Domain " + parts[0] + " is not in this account"));
            return;
        }
        List<Document> records = new java.util.ArrayList<>(owned.getList("records", Document.class, List.of()));
        boolean byTypeName = parts.length == 4;
        String type = byTypeName ? parts[2] : null;
        String name = byTypeName ? parts[3] : null;
        java.util.function.Predicate<Document> matches =
                r -> type.equals(r.getString("type")) && name.equals(r.getString("name"));
        switch (method) {
            case "GET" -> {
                List<Document> selected =
                        byTypeName ? records.stream().filter(matches).toList() : records;
                send(http, 200, selected);
                return;
            }
            case "PUT" -> {
                List<Object> body;
                try {
                    body = (List<Object>)
                            Json.readList(new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    send(http, 422, error("INVALID_BODY", "Request body must be a JSON array of records"));
                    return;
                }
                if (byTypeName) {
                    records.removeIf(matches);
                } else {
                    records.clear();
                }
                for (Object item : body) {
                    Document record = new Document((java.util.Map<String, Object>) item);
                    if (byTypeName) {
                        record.append("type", type).append("name", name);
                    }
                    records.add(record);
                }
            }
            case "DELETE" -> {
                if (!byTypeName || !records.removeIf(matches)) {
                    send(http, 404, error("NOT_FOUND", "No " + type + " records named " + name));
                    return;
                }
            }
            default -> {
                send(http, 405, error("METHOD_NOT_ALLOWED", method + " is not supported here"));
                return;
            }
        }
        db.get(COLLECTION)
                .updateOne(eq("_id", owned.getString("_id")), new Document("$set", new Document("records", records)));
        http.sendResponseHeaders(method.equals("DELETE") ? 204 : 200, -1);
        http.close();
    }

    /**
     * Transfer in: accepted with status PENDING_TRANSFER_IN; after the transfer delay it is ACTIVE, or
     * FAILED_TRANSFER_IN for names containing {@code xferfail}. A name containing {@code taken} or an empty auth code
     * is refused at once.
     */
    private void transfer(HttpExchange http, String domain) throws IOException {
        Map<String, Object> body;
        try {
            body = Json.readMap(new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            send(http, 400, error("INVALID_BODY", "Request body is not valid JSON"));
            return;
        }
        if (!(body.get("authCode") instanceof String code) || code.isBlank()) {
            send(http, 422, error("MISSING_AUTH_CODE", "`authCode` cannot be empty"));
            return;
        }
        if (domain.contains("taken")
                || db.get(COLLECTION).find(eq("_id", domain.toLowerCase())).first() != null) {
            send(http, 409, error("DOMAIN_NOT_TRANSFERABLE", "The domain " + domain + " isn't available for transfer"));
            return;
        }
        Instant now = clock.now();
        db.insertIfAbsent(
                COLLECTION,
                new Document("_id", domain.toLowerCase())
                        .append("domainId", Math.abs((long) domain.hashCode()))
                        .append("status", "PENDING_TRANSFER_IN")
                        .append("transferSettlesAt", Date.from(now.plus(transferDelay)))
                        .append("transferFails", domain.contains("xferfail"))
                        .append("createdAt", Date.from(now))
                        .append(
                                "expires",
                                Date.from(
                                        now.atZone(ZoneOffset.UTC).plusYears(1).toInstant()))
                        .append("privacy", false)
                        .append("renewAuto", false)
                        .append("records", List.of()));
        send(http, 200, orderAnswer(1));
    }

    /** Renews a domain of this account by {@code period} years; names containing {@code renewfail} are refused. */
    private void renew(HttpExchange http, String domain) throws IOException {
        Document owned =
                db.get(COLLECTION).find(eq("_id", domain.toLowerCase())).first();
        if (owned == null) {
            send(http, 404, error("NOT_FOUND", "Domain " + domain + " is not in this account"));
            return;
        }
        if (domain.contains("renewfail")) {
            send(
                    http,
                    409,
                    error(
                            "DOMAIN_STATUS_PROHIBITS_RENEWAL",
                            "The domain status does not allow renewal (sandbox: the name contains 'renewfail')"));
            return;
        }
        int period;
        try {
            Object raw = Json.readMap(new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .get("period");
            period = raw instanceof Number n ? n.intValue() : 1;
        } catch (IllegalArgumentException e) {
            period = 1;
        }
        Instant expires = owned.getDate("expires")
                .toInstant()
                .atZone(ZoneOffset.UTC)
                .plusYears(period)
                .toInstant();
        db.get(COLLECTION)
                .updateOne(
                        eq("_id", owned.getString("_id")),
                        new Document("$set", new Document("expires", Date.from(expires))));
        send(http, 200, orderAnswer(period));
    }

    private void details(HttpExchange http, String domain) throws IOException {
        Document owned =
                db.get(COLLECTION).find(eq("_id", domain.toLowerCase())).first();
        if (owned == null) {
            send(http, 404, error("NOT_FOUND", "Domain " + domain + " is not in this account"));
            return;
        }
        String status = owned.getString("status");
        if (status.startsWith("PENDING_TRANSFER")
                && owned.getDate("transferSettlesAt") != null
                && !clock.now().isBefore(owned.getDate("transferSettlesAt").toInstant())) {
            status = Boolean.TRUE.equals(owned.getBoolean("transferFails")) ? "FAILED_TRANSFER_IN" : "ACTIVE";
            db.get(COLLECTION)
                    .updateOne(eq("_id", owned.getString("_id")), new Document("$set", new Document("status", status)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("domain", owned.getString("_id"));
        answer.put("domainId", owned.getLong("domainId"));
        answer.put("status", status);
        answer.put("createdAt", owned.getDate("createdAt").toInstant().toString());
        answer.put("expires", owned.getDate("expires").toInstant().toString());
        answer.put("renewDeadline", owned.getDate("expires").toInstant().toString());
        answer.put("renewAuto", owned.getBoolean("renewAuto"));
        answer.put("locked", true);
        answer.put("privacy", owned.getBoolean("privacy"));
        answer.put("expirationProtected", false);
        answer.put("holdRegistrar", false);
        answer.put("transferProtected", false);
        answer.put("nameServers", List.of("ns01.domaincontrol.com", "ns02.domaincontrol.com"));
        answer.put("authCode", "SANDBOX-" + Math.abs(domain.hashCode()));
        send(http, 200, answer);
    }

    /** GoDaddy's DomainPurchaseResponse for a paid action of {@code years} years. */
    private static Map<String, Object> orderAnswer(int years) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orderId", Math.abs((long) Ids.newId("o").hashCode()) + 100000L);
        answer.put("itemCount", 1);
        answer.put("total", YEARLY_PRICE_MICROS * years);
        answer.put("currency", "USD");
        return answer;
    }

    private boolean isAvailable(String domain) {
        return !domain.contains("taken")
                && db.get(COLLECTION).find(eq("_id", domain)).first() == null;
    }

    private static Map<String, Object> error(String code, String message) {
        return Map.of("code", code, "message", message);
    }

    private static void send(HttpExchange http, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }
}
