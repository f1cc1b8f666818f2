package org.karyo.api.module;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * One installed module as the platform sees it.
 *
 * @param module the module's name
 * @param bundle the symbolic name of the bundle that carries its schema
 * @param state the schema's state
 * @param schemaVersion the migrated version, or {@code null}
 * @param detail why it failed (client-safe: the failing migration's name, never the SQL error), or {@code null}
 * @param since when it entered this state
 */
public record ModuleStatus(
        String module,
        String bundle,
        ModuleState state,
        @Nullable String schemaVersion,
        @Nullable String detail,
        Instant since) {}
