package com.domainautomation.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.ParamDefinition;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * What {@code GET /api/openapi.json} (camel-openapi-java, from the REST DSL) says of each operation beyond its path and
 * the description its route file gives it: its query parameters and {@code Idempotency-Key}, its request
 * body, its answer and every error answer (the {@link ApiSchemas.Error} body), added to the REST definitions of the
 * route files as the context initialises (before the document is built, once). An operation missing from {@link #OPERATIONS} stops the start: every endpoint is
 * described.
 */
final class ApiDocs {
    private static final String SCHEMAS = ApiSchemas.class.getName() + "$";

    /** An operation's request body (null: none), success status and answer ("[]" after a list's element). */
    private record Operation(String request, int status, String answer, List<String> query, boolean idempotent) {}

    private static final Map<String, Operation> OPERATIONS = Map.ofEntries(
            op("admin-api-post-client", "NewClient", 201, "ClientWithToken"),
            op("admin-api-post-credit", "Credit", 201, "Credited", true),
            op("admin-api-post-client-token", null, 201, "ClientWithToken"),
            op("admin-api-post-client-disable", null, 200, "Client"),
            op("admin-api-post-client-enable", null, 200, "Client"),
            op("admin-api-post-admin-token", null, 201, "AdminToken"),
            op("admin-api-post-run-cron", null, 202, "CronRequested"),
            op("admin-api-post-retry-failed", null, 202, "JobQueued"),
            op("admin-api-post-retry-all-failed", "RetryIds", 202, "Retried"),
            op("admin-api-post-promote-delayed", null, 202, "JobQueued"),
            op("admin-api-post-pause-queue", null, 200, "Queue"),
            op("admin-api-post-resume-queue", null, 200, "Queue"),
            op("admin-api-get-audit", null, 200, "Audit[]", "limit"),
            op("admin-api-get-ledger-verify", null, 200, "LedgerReport"),
            op("admin-api-get-activity", null, 200, "Activity[]", "domain", "limit"),
            op("admin-api-get-crons", null, 200, "Cron[]"),
            op("admin-api-get-queues", null, 200, "Queue[]"),
            op("admin-api-get-failed", null, 200, "FailedJob[]"),
            op("admin-api-get-delayed", null, 200, "DelayedJob[]"),
            op("admin-api-get-jobs", null, 200, "JobRecord[]", "domain", "orderId", "clientId", "jobId", "limit"),
            op("admin-api-get-me", null, 200, "Me"),
            op("admin-api-delete-failed", null, 200, "JobQueued"),
            op("checkout-api-post", "Cart", 202, "Checkout", true),
            op("dns-api-get-records", null, 200, "DnsRecord[]"),
            op("dns-api-post-records", "DnsRecord[]", 202, "DnsChange"),
            op("dns-api-put-records", "DnsRecord[]", 202, "DnsChange"),
            op("dns-api-delete-records", null, 202, "DnsChange"),
            op("domains-api-get-list", null, 200, "Domain[]"),
            op("domains-api-get-one", null, 200, "Domain"),
            op("domains-api-get-activity", null, 200, "Activity[]", "limit"),
            op("domains-api-post-renew", "Renew", 202, "Renewal"),
            op("domains-api-patch-one", "AutoRenew", 200, "Domain"),
            op("transfer-api-post", "Transfer", 202, "Domain"),
            op("wallet-api-get-wallet", null, 200, "Wallet"),
            op("wallet-api-get-transactions", null, 200, "Transaction[]"),
            op("wallet-api-get-invoices", null, 200, "Invoice[]"));

    /** The error answers any operation may give, and what each means here. */
    private static final Map<String, String> ERRORS = Map.ofEntries(
            Map.entry("400", "The request is not valid: the details name each problem"),
            Map.entry("401", "No valid token"),
            Map.entry("402", "The wallet holds less than the price: nothing was charged"),
            Map.entry("403", "The token may not do this (a client on an admin path, a viewer changing something)"),
            Map.entry("404", "No such thing (or not the caller's)"),
            Map.entry("409", "It conflicts with the state it is in (e.g. a cron already running, a name taken)"),
            Map.entry("413", "The request body is larger than 64 KB"),
            Map.entry("414", "The request line is too long"),
            Map.entry("415", "The request body is not JSON"),
            Map.entry("422", "The Idempotency-Key was used for a different request"),
            Map.entry("429", "Over the caller's rate limit: try again after Retry-After seconds"),
            Map.entry("431", "The request's headers are too large"),
            Map.entry("500", "Something failed here: nothing half done is left (see the log)"),
            Map.entry("503", "Not ready yet, or a store does not answer: try again after Retry-After seconds"));

    private ApiDocs() {}

    private static Map.Entry<String, Operation> op(
            String id, String request, int status, String answer, String... query) {
        return Map.entry(id, new Operation(request, status, answer, List.of(query), false));
    }

    private static Map.Entry<String, Operation> op(
            String id, String request, int status, String answer, boolean idempotent) {
        return Map.entry(id, new Operation(request, status, answer, List.of(), idempotent));
    }

    /** Describes every REST operation of the context; an operation this class does not know is an error. */
    static void describe(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> unknown = new ArrayList<>();
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                Operation operation = OPERATIONS.get(verb.getId());
                if (operation == null || verb.getDescription() == null) {
                    unknown.add(verb.getId());
                    continue;
                }
                describe(verb, operation);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(
                    "REST operations without a description (in their route file) or an entry in ApiDocs: " + unknown);
        }
    }

    private static ResponseMessageDefinition answer(String code, String meaning, String schema) {
        ResponseMessageDefinition answer = new ResponseMessageDefinition();
        answer.setCode(code);
        answer.setMessage(meaning);
        answer.setResponseModel(SCHEMAS + schema);
        return answer;
    }

    private static void describe(VerbDefinition verb, Operation operation) {
        verb.setProduces("application/json");
        verb.setOutType(SCHEMAS + operation.answer());
        List<ParamDefinition> params = new ArrayList<>(verb.getParams() == null ? List.of() : verb.getParams());
        if (operation.request() != null) {
            verb.setConsumes("application/json");
            verb.setType(SCHEMAS + operation.request());
            params.add(new ParamDefinition()
                    .name("body")
                    .type(RestParamType.body)
                    .required(!operation.request().equals("RetryIds"))
                    .description("A JSON document"));
        }
        for (String name : operation.query()) {
            params.add(new ParamDefinition()
                    .name(name)
                    .type(RestParamType.query)
                    .required(false)
                    .dataType(name.equals("limit") ? "integer" : "string"));
        }
        if (operation.idempotent()) {
            params.add(new ParamDefinition()
                    .name("Idempotency-Key")
                    .type(RestParamType.header)
                    .required(false)
                    .description("The same key again answers as the first request did and does nothing twice"));
        }
        verb.setParams(params);
        List<ResponseMessageDefinition> answers = new ArrayList<>();
        answers.add(answer(
                Integer.toString(operation.status()),
                operation.status() == 202 ? "Accepted: the work is queued" : "Done",
                operation.answer()));
        ERRORS.forEach((code, meaning) -> answers.add(answer(code, meaning, "Error")));
        verb.setResponseMsgs(answers);
    }
}
