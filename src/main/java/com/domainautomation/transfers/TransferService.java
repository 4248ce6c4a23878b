package com.domainautomation.transfers;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.Pricing;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutValidator;
import com.domainautomation.checkout.DomainName;
import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.Accepted;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.Document;

/**
 * {@code POST /api/transfers {domain, authCode, contact, agreeToTerms}}: validates, claims the name, charges the
 * transfer price (a year of registration, as registrars add one on transfer), records the domain with
 * {@code transferStatus: requested} and hands back the transfer job.
 */
public class TransferService {
    private static final Set<String> FIELDS = Set.of("domain", "authCode", "contact", "agreeToTerms");
    private final Db db;
    private final WalletLedger ledger;
    private final Pricing pricing;
    private final AppClock clock;
    private final List<String> agreementKeys;

    public TransferService(Db db, WalletLedger ledger, Pricing pricing, AppClock clock, List<String> agreementKeys) {
        this.db = db;
        this.ledger = ledger;
        this.pricing = pricing;
        this.clock = clock;
        this.agreementKeys = List.copyOf(agreementKeys);
    }

    /** Route step for {@code POST /api/transfers}: the transfer price charged, the domain recorded, the job to queue. */
    public Accepted request(
            @ExchangeProperty("clientId") String clientId,
            @Body JsonRequest request,
            @Header(Requests.REMOTE_ADDRESS) Object remoteAddress) {
        Map<String, Object> body = Requests.jsonObject(
                request,
                "{\"domain\": \"example.com\", \"authCode\": \"...\", \"contact\": {...}, \"agreeToTerms\": true}");
        List<Map<String, Object>> problems = new ArrayList<>(Requests.unknownFields(body, "", FIELDS));
        DomainName name = null;
        try {
            name = DomainName.parse(body.get("domain") instanceof String s ? s : null);
        } catch (IllegalArgumentException e) {
            problems.add(Map.of("field", "domain", "message", e.getMessage()));
        }
        Long price = name == null ? null : pricing.transfer(name.ascii()).orElse(null);
        if (name != null && price == null) {
            problems.add(
                    Map.of("field", "domain", "message", "we do not take transfers of ." + name.tld() + " domains"));
        }
        Object authCode = body.get("authCode");
        if (!(authCode instanceof String code)
                || code.isBlank()
                || code.length() > 64
                || code.chars().anyMatch(Character::isISOControl)) {
            problems.add(Map.of(
                    "field",
                    "authCode",
                    "message",
                    "is required: the transfer (EPP) code from the current registrar, 1 to 64 characters"));
        }
        Map<String, Object> contact = CheckoutValidator.contact(body.get("contact"), problems);
        if (!Boolean.TRUE.equals(body.get("agreeToTerms"))) {
            problems.add(Map.of(
                    "field",
                    "agreeToTerms",
                    "message",
                    "must be true: the registrant accepts the registration agreement"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("The transfer is not valid: " + problems.size() + " problem(s)", problems);
        }
        String transferId = Ids.newId("xfr");
        String domainId = transferId + "-1";
        Date now = Date.from(clock.now());
        if (!db.insertIfAbsent(
                Db.DOMAIN_CLAIMS,
                new Document("_id", name.ascii())
                        .append("orderId", transferId)
                        .append("clientId", clientId)
                        .append("createdAt", now))) {
            throw new ApiException(
                    409, "domain_unavailable", name.ascii() + " is already registered or being transferred through us");
        }
        WalletLedger.Posting charge = ledger.post(
                clientId, "charge:" + transferId, -price, "charge", transferId, "Transfer of " + name.ascii());
        if (!charge.posted()) {
            db.get(Db.DOMAIN_CLAIMS).deleteOne(eq("_id", name.ascii()));
            throw new ApiException(
                    402,
                    "insufficient_funds",
                    "The wallet holds less than the transfer price of " + Money.format(price) + " " + pricing.currency()
                            + "; nothing was charged");
        }
        db.insertIfAbsent(
                Db.INVOICES,
                new Document("_id", "inv_" + transferId.substring(4))
                        .append("number", "INV-T-" + transferId.substring(4, 12).toUpperCase())
                        .append("clientId", clientId)
                        .append("orderId", transferId)
                        .append(
                                "lines",
                                List.of(new Document(
                                                "description", "Transfer of " + name.ascii() + " (includes one year)")
                                        .append("amount", price)))
                        .append("total", price)
                        .append("currency", pricing.currency())
                        .append("status", "paid")
                        .append("issuedAt", now));
        db.get(Db.DOMAINS)
                .insertOne(Domain.newPending(
                                domainId,
                                name.ascii(),
                                name.unicode(),
                                clientId,
                                transferId,
                                1,
                                false,
                                false,
                                price,
                                pricing.currency(),
                                new Document(contact),
                                new Document("agreementKeys", agreementKeys)
                                        .append("agreedBy", Requests.callerIp(remoteAddress))
                                        .append("agreedAt", now),
                                (String) authCode,
                                now.toInstant())
                        .toDocument());
        Domain stored = Domain.of(db.get(Db.DOMAINS).find(eq("_id", domainId)).first());
        Map<String, Object> answer = new LinkedHashMap<>(DomainRecords.view(stored));
        answer.put("transferId", transferId);
        return Accepted.of(
                answer,
                JobRequest.of(new TransferJob(domainId, TransferJob.REQUEST), "transfer-request:" + domainId)
                        .about(stored.name(), stored.orderId(), stored.clientId()));
    }
}
