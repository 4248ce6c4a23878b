package com.domainautomation.support;

import java.time.Clock;
import java.time.Instant;

/** The one clock every date decision reads; tests move it. */
public final class AppClock {
    private volatile Clock clock;

    public AppClock(Clock clock) {
        this.clock = clock;
    }

    public static AppClock system() {
        return new AppClock(Clock.systemUTC());
    }

    public Instant now() {
        return clock.instant();
    }

    public void set(Clock clock) {
        this.clock = clock;
    }
}
