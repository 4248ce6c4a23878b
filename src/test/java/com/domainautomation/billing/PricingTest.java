package com.domainautomation.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PricingTest {
    private final Pricing pricing = new Pricing(
            "USD", Map.of("com", 1299L, "shop", 350L), Map.of("shop", 3000L), Map.of("com", 800L, "xyz", 400L));

    @Test
    void renewal_and_transfer_default_to_the_registration_price() {
        assertEquals(Optional.of(2598L), pricing.registration("example.com", 2));
        assertEquals(Optional.of(2598L), pricing.renewal("example.com", 2), "no renewal price of its own");
        assertEquals(Optional.of(350L), pricing.transfer("example.shop"), "no transfer price of its own");
    }

    @Test
    void a_price_set_apart_wins() {
        assertEquals(Optional.of(6000L), pricing.renewal("example.shop", 2));
        assertEquals(Optional.of(800L), pricing.transfer("EXAMPLE.COM"));
        assertEquals(Optional.of(400L), pricing.transfer("example.xyz"), "a TLD we only take transfers of");
        assertEquals(Optional.empty(), pricing.registration("example.xyz", 1));
        assertEquals(Optional.empty(), pricing.renewal("example.net", 1), "a TLD we do not sell");
    }
}
