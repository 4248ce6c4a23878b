package com.domainautomation.domains;

import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;

/**
 * What a domain worker is built on: {@link DomainJobs} (the domain's lease, the settling of success and failure), the
 * store and the clock. A new worker extends it and calls those, instead of copying them.
 */
public abstract class DomainWorker {
    protected final DomainJobs jobs;
    protected final Db db;
    protected final AppClock clock;

    protected DomainWorker(DomainJobs jobs) {
        this.jobs = jobs;
        this.db = jobs.db();
        this.clock = jobs.clock();
    }
}
