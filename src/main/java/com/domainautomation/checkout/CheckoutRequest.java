package com.domainautomation.checkout;

import java.util.List;
import java.util.Map;

/** A validated checkout: the items with their prices, the registrant contact, the consent. */
public record CheckoutRequest(List<Item> items, Map<String, Object> contact, long total, String currency) {

    public record Item(DomainName domain, int years, boolean privacy, boolean autoRenew, long price) {}
}
