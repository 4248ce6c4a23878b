package com.domainautomation.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * WireMock playing GoDaddy's Domains API v1 with GoDaddy's own request and response shapes. Every request the app
 * sends is checked against GoDaddy's published OpenAPI description ({@link #requestsViolatingSpec}).
 */
public final class GoDaddyMock {
    private static final OpenApiInteractionValidator VALIDATOR =
            OpenApiInteractionValidator.createForInlineApiSpecification(spec()).build();
    public static final String PURCHASE = "/v1/domains/purchase";

    private final WireMockServer server =
            new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    /** GoDaddy's published file as is, plus the {@code info} block it lacks (the validator requires one). */
    private static String spec() {
        try (var in = Objects.requireNonNull(GoDaddyMock.class.getResourceAsStream("/godaddy/godaddy-openapi.yaml"))) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            text = text.replaceFirst(
                    "openapi: 3.0.1\n", "openapi: 3.0.1\ninfo:\n  title: GoDaddy Domains API\n  version: '1'\n");
            // Operations this older copy lacks and GoDaddy's newer SDKs have (see shared notes on the registrar):
            // GET all records, and DELETE records by type and name.
            text = text.replace(
                    "  /v1/domains/{domain}/records:\n",
                    "  /v1/domains/{domain}/records:\n" + operation("get", "recordGetAll", false));
            text = text.replace(
                    "  /v1/domains/{domain}/records/{type}/{name}:\n",
                    "  /v1/domains/{domain}/records/{type}/{name}:\n"
                            + operation("delete", "recordDeleteTypeName", true));
            return text;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String operation(String method, String id, boolean typeAndName) {
        String path =
                "      - in: path\n        name: domain\n        required: true\n        schema:\n          type: string\n";
        if (typeAndName) {
            path +=
                    "      - in: path\n        name: type\n        required: true\n        schema:\n          type: string\n"
                            + "          enum: [A, AAAA, CNAME, MX, SRV, TXT]\n"
                            + "      - in: path\n        name: name\n        required: true\n        schema:\n          type: string\n";
        }
        return "    " + method + ":\n      operationId: " + id + "\n      parameters:\n" + path
                + "      responses:\n        \"200\":\n          description: ok\n        \"204\":\n          description: deleted\n";
    }

    public GoDaddyMock start() {
        server.start();
        return this;
    }

    public void stop() {
        server.stop();
    }

    public void reset() {
        server.resetAll();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public WireMockServer server() {
        return server;
    }

    public void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    /** POST /v1/domains/purchase for {@code domain} answers 200 with a DomainPurchaseResponse. */
    public void purchaseSucceeds(String domain) {
        stub(purchaseOf(domain).willReturn(json(200, purchaseResponse())));
    }

    /** POST /v1/domains/purchase for {@code domain} answers 422, as GoDaddy does for a name that cannot be bought. */
    public void purchaseRefused(String domain) {
        stub(
                purchaseOf(domain)
                        .willReturn(
                                json(
                                        422,
                                        "{\"code\":\"UNAVAILABLE_DOMAIN\",\"message\":\"The domain " + domain
                                                + " is not available\",\"fields\":[{\"path\":\"domain\",\"code\":\"UNAVAILABLE_DOMAIN\"}]}")));
    }

    /** GET /v1/domains/{domain} answers 404: the domain is not in our account. */
    public void notOwned(String domain) {
        stub(get(urlEqualTo("/v1/domains/" + domain))
                .willReturn(json(404, "{\"code\":\"NOT_FOUND\",\"message\":\"Domain " + domain + " not found\"}")));
    }

    public static MappingBuilder purchaseOf(String domain) {
        return post(urlEqualTo(PURCHASE)).withRequestBody(matchingJsonPath("$.domain", equalTo(domain)));
    }

    public static MappingBuilder detailsOf(String domain) {
        return get(urlEqualTo("/v1/domains/" + domain));
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    public static String purchaseResponse() {
        return "{\"orderId\":1234567,\"itemCount\":1,\"total\":12990000,\"currency\":\"USD\"}";
    }

    /** A DomainDetail with every field the schema requires, status ACTIVE. */
    public static String activeDetails(String domain, Instant expires) {
        String now = Instant.now().toString();
        return "{\"domain\":\"" + domain + "\",\"domainId\":1002003,\"status\":\"ACTIVE\",\"createdAt\":\"" + now
                + "\","
                + "\"expires\":\"" + expires + "\",\"renewDeadline\":\""
                + expires.atZone(ZoneOffset.UTC).plusDays(30).toInstant() + "\","
                + "\"renewAuto\":false,\"locked\":true,\"privacy\":false,\"expirationProtected\":false,\"holdRegistrar\":false,"
                + "\"transferProtected\":false,\"nameServers\":[\"ns01.domaincontrol.com\",\"ns02.domaincontrol.com\"],\"authCode\":\"X1Y2\","
                + "\"contactRegistrant\":{},\"contactAdmin\":{},\"contactTech\":{},\"contactBilling\":{}}";
    }

    public int count(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
        return server.countRequestsMatching(pattern.build()).getCount();
    }

    public int purchases(String domain) {
        return count(WireMock.postRequestedFor(urlEqualTo(PURCHASE))
                .withRequestBody(matchingJsonPath("$.domain", equalTo(domain))));
    }

    public int lookups(String domain) {
        return count(WireMock.getRequestedFor(urlEqualTo("/v1/domains/" + domain)));
    }

    /** Every request received that does not match GoDaddy's OpenAPI description, with the validator's reasons. */
    public List<String> requestsViolatingSpec() {
        List<String> problems = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            LoggedRequest logged = event.getRequest();
            String url = logged.getUrl();
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            SimpleRequest.Builder builder = new SimpleRequest.Builder(
                    Request.Method.valueOf(logged.getMethod().getName()), path);
            if (url.contains("?")) {
                for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
                    String[] kv = pair.split("=", 2);
                    builder.withQueryParam(
                            kv[0],
                            kv.length > 1
                                    ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8)
                                    : "");
                }
            }
            for (String header : logged.getAllHeaderKeys()) {
                builder.withHeader(header, logged.header(header).values());
            }
            if (logged.getBodyAsString() != null && !logged.getBodyAsString().isEmpty()) {
                builder.withBody(logged.getBodyAsString());
            }
            ValidationReport report = VALIDATOR.validateRequest(builder.build());
            if (report.hasErrors()) {
                problems.add(logged.getMethod() + " " + logged.getUrl() + ": " + report.getMessages());
            }
        }
        return problems;
    }
}
