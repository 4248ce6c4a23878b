package com.domainautomation.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The app's own OpenAPI document ({@code GET /api/openapi.json}) against what its API really answered: every answer a
 * test got (status, and the body's shape for that status) must be described there. Requests outside the API's
 * operations (an unknown path, a method a path does not take) are left to the tests of hostile input.
 */
public final class ApiContract {
    private ApiContract() {}

    /** One line per answer the document does not describe. */
    public static List<String> violations(String document, List<ApiClient.Exchanged> exchanges) {
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.response.path.missing", ValidationReport.Level.IGNORE)
                        .withLevel("validation.response.operation.notAllowed", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.IGNORE)
                        .build())
                .build();
        List<String> problems = new ArrayList<>();
        for (ApiClient.Exchanged exchange : exchanges) {
            if (!exchange.path().startsWith("/api/") || exchange.path().equals("/api/openapi.json")) {
                continue;
            }
            SimpleResponse.Builder response =
                    SimpleResponse.Builder.status(exchange.response().status());
            String type = exchange.response().headers().get("content-type");
            if (type != null) {
                response.withContentType(type);
            }
            if (exchange.response().text() != null
                    && !exchange.response().text().isEmpty()) {
                response.withBody(exchange.response().text());
            }
            Request.Method method;
            try {
                method = Request.Method.valueOf(exchange.method().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                continue; // a method no operation has (e.g. TRACE)
            }
            ValidationReport report = validator.validateResponse(exchange.path(), method, response.build());
            if (report.hasErrors()) {
                problems.add(exchange.method() + " " + exchange.path() + " -> "
                        + exchange.response().status() + ": " + report.getMessages());
            }
        }
        return problems;
    }
}
