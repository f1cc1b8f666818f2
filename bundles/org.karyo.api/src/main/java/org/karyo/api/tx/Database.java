package org.karyo.api.tx;

import org.osgi.annotation.versioning.ProviderType;

/** The platform database. Registered once the DataSource is up. */
@ProviderType
public interface Database {
    /** Checks the database now (one round trip). */
    DatabaseStatus status();
}
