package com.domainautomation.config;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The shapes of the API's request and answer bodies, for its OpenAPI description ({@link ApiDocs}): each record lists
 * the fields an answer has (a value that may be null says so). Amounts are strings with two decimals ("12.99"), times
 * ISO-8601 strings. The beans answer maps; the API tests check every answer of their flows against these shapes.
 */
public final class ApiSchemas {
    private ApiSchemas() {}

    private static final String NULLABLE = "may be null";

    /** Every refusal: a code, a sentence, and what was wrong, field by field. */
    public record Error(String error, String message, List<Problem> details) {}

    public record Problem(String field, String message) {}

    public record NewClient(String name, String email) {}

    public record Client(
            String id, String name, String email, String balance, String currency, String status, String createdAt) {}

    public record ClientWithToken(
            String id,
            String name,
            String email,
            String balance,
            String currency,
            String status,
            String createdAt,
            String token) {}

    public record Credit(
            String amount,
            @Schema(nullable = true, description = NULLABLE) String reference) {}

    public record Credited(String transactionId, String status, String amount, String balance, String currency) {}

    public record NewToken(String token) {}

    public record AdminToken(String token, String previousTokenValidUntil) {}

    public record Wallet(String clientId, String balance, String currency) {}

    public record Transaction(
            String id,
            String type,
            String amount,
            String currency,
            String status,
            @Schema(nullable = true) String reference,
            @Schema(nullable = true) String description,
            @Schema(nullable = true) String balanceAfter,
            String createdAt) {}

    public record InvoiceLine(String description, String amount) {}

    public record Invoice(
            String id,
            String number,
            String orderId,
            String status,
            String total,
            String currency,
            List<InvoiceLine> lines,
            String issuedAt) {}

    public record CartItem(String domain, Integer years, Boolean privacy, Boolean autoRenew) {}

    public record Cart(List<CartItem> items, Map<String, Object> contact, Boolean agreeToTerms) {}

    public record OrderView(String id, String status, String total, String currency, String createdAt) {}

    public record Domain(
            String id,
            String domain,
            @Schema(nullable = true) String unicodeDomain,
            String status,
            Integer registrationPeriod,
            Boolean privacyProtection,
            Boolean autoRenew,
            @Schema(nullable = true) Integer autoRenewAttempts,
            @Schema(nullable = true) String registeredAt,
            @Schema(nullable = true) String expiresAt,
            @Schema(nullable = true) String lastExpiryReminderAt,
            @Schema(nullable = true) Integer lastExpiryReminderDays,
            @Schema(nullable = true) String lastRenewalAt,
            @Schema(nullable = true) String lastDnsUpdateAt,
            @Schema(nullable = true) String transferStatus,
            @Schema(nullable = true) String transferLastChecked,
            @Schema(nullable = true) Boolean transferNeedsAttention,
            @Schema(nullable = true) String transferFailureReason,
            @Schema(nullable = true) String failureReason,
            @Schema(nullable = true) String orderId,
            String createdAt,
            @Schema(nullable = true) String updatedAt,
            String price,
            String currency,

            @Schema(nullable = true, description = "in the answer to a transfer request only")
            String transferId) {}

    public record Checkout(
            OrderView order, @Schema(nullable = true) Invoice invoice, List<Domain> domains) {}

    public record Renew(Integer years) {}

    public record Renewal(
            String id,
            String domain,
            Integer years,
            String price,
            String currency,
            String status,
            @Schema(nullable = true) String previousExpiresAt) {}

    public record AutoRenew(Boolean autoRenew) {}

    public record DnsRecord(
            String type,
            String name,
            String data,
            @Schema(nullable = true) Integer ttl) {}

    public record DnsChange(
            String id, String domain, String kind, String description, String status, String createdAt) {}

    public record Transfer(
            String domain, String authCode, Integer years, Map<String, Object> contact, Boolean agreeToTerms) {}

    public record Activity(
            String at,
            @Schema(nullable = true) String domain,
            String action,
            String result,
            @Schema(nullable = true) String error,
            @Schema(nullable = true) String job,
            @Schema(nullable = true) Long durationMs) {}

    public record Audit(
            String id,
            String at,
            String action,
            String method,
            String path,
            @Schema(nullable = true) String target,
            Integer status,
            @Schema(nullable = true) String callerIp) {}

    public record LedgerReport(Boolean balanced, Boolean everyChargeHasOutcome, List<LedgerClient> clients) {}

    public record LedgerClient(
            String clientId,
            String balance,
            String ledgerSum,
            Long pendingEntries,
            Boolean balanced,
            Long chargesSettled,
            Long chargesInProgress,
            Long chargesWithoutOutcome,
            Boolean everyChargeHasOutcome) {}

    public record Cron(
            String name,
            String schedule,
            String timeZone,
            Boolean enabled,
            @Schema(nullable = true) String nextFireAt,
            Boolean running,
            @Schema(nullable = true) String lastFireAt,
            @Schema(nullable = true) Map<String, Object> lastRun,
            @Schema(nullable = true) Map<String, Object> lastSuccess) {}

    public record CronRequested(String cron, String status, String requestedAt) {}

    public record Queue(
            String queue,
            Boolean paused,
            Long waiting,
            Long active,
            Long delayed,
            Long failed,
            Long completed,
            Long failedTotal,
            Long retriedTotal,
            Long putBackTotal,
            Long completedLastMinute,
            Long completedThisMinute,
            List<Long> completedPerMinute) {}

    public record FailedJob(
            String id,
            Object body,
            Integer priority,
            Integer attempts,
            String error,
            Long enqueuedAt,
            Long failedAt,
            List<Failure> history) {}

    /** One failure of a job, in its history. */
    public record Failure(Integer attempts, String error, Long at) {}

    public record DelayedJob(String id, String runsAt, String attempt, String priority, Object body) {}

    public record JobQueued(String jobId, String status) {}

    public record RetryIds(List<String> ids) {}

    public record Retried(
            String queue,
            Integer retried,
            @Schema(nullable = true) List<String> notFailed) {}

    public record JobRecord(
            String id,
            String queue,
            String state,
            @Schema(nullable = true) Integer attempts,
            @Schema(nullable = true) String error,
            @Schema(nullable = true) String enqueuedAt,
            @Schema(nullable = true) String startedAt,
            @Schema(nullable = true) String finishedAt,
            @Schema(nullable = true) String updatedAt,
            @Schema(nullable = true) String runsAt,
            Map<String, String> about) {}

    public record Me(String role, Boolean readOnly) {}
}
