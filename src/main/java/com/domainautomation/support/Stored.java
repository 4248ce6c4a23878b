package com.domainautomation.support;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/** What the typed records' BSON mappings share: dates are stored as BSON dates, unset optional fields not at all. */
public final class Stored {
    private Stored() {}

    /** A stored date as an instant; null when the field is missing or null. */
    public static Instant instant(Document d, String field) {
        return d.get(field) instanceof Date date ? date.toInstant() : null;
    }

    /** An instant as a stored date. */
    public static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    /** Appends the field only when it has a value, as the updates that set it later would. */
    public static Document withOptional(Document d, String field, Object value) {
        return value == null ? d : d.append(field, value);
    }
}
