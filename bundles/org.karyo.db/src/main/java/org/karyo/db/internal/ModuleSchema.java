package org.karyo.db.internal;

import org.karyo.api.module.SchemaReady;

/** The {@link SchemaReady} service of one migrated module. */
record ModuleSchema(String module, String schema, String version) implements SchemaReady {}
