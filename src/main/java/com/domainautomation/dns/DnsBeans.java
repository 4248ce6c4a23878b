package com.domainautomation.dns;

import com.domainautomation.config.Wiring;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;

/** The DNS feature's beans: the API's steps and the worker. */
public final class DnsBeans {
    private DnsBeans() {}

    public static void bind(Wiring w) {
        w.bind(new DnsChanges(w.get(Db.class), w.get(DomainRecords.class), w.get(AppClock.class)));
        w.bind(new DnsWorker(w.get(DomainJobs.class)));
    }
}
