package com.domainautomation.dns;

/** The payload of a {@code dns-update} job: the change recorded, and its domain (whose oldest change is applied). */
public record DnsJob(String changeId, String domainId) {}
