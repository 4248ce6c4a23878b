package com.domainautomation.domains;

import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a domain worker is built on: {@link DomainJobs} (the domain's lease, the settling of success and failure), the
 * store and the clock. A new worker extends it and calls those, instead of copying them.
 */
public abstract class DomainWorker {
    private static final Logger LOG = LoggerFactory.getLogger(DomainWorker.class);
    protected final DomainJobs jobs;
    protected final Db db;
    protected final AppClock clock;

    protected DomainWorker(DomainJobs jobs) {
        this.jobs = jobs;
        this.db = jobs.db();
        this.clock = jobs.clock();
    }

    /** Logs that a look at the registrar found the work done by an earlier attempt (so it is not done again). */
    protected static void doneEarlier(String work, String domain, String evidence) {
        LOG.info("{} of {}: an earlier attempt did it ({}); not doing it again", work, domain, evidence);
    }
}
