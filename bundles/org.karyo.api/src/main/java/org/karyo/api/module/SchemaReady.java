package org.karyo.api.module;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by the platform once a module's migrations have succeeded, with the service property
 * {@value #MODULE_PROPERTY} = the module's name. A module's components reference it, for example
 * {@code @Reference(target = "(karyo.module=content)") SchemaReady schema}, so that they start only on a migrated
 * schema and never half-active.
 *
 * <p>A bundle declares its module and its migrations with manifest headers: {@value #MODULE_HEADER}{@code : content}
 * and {@value #MIGRATIONS_HEADER}{@code : db/content} (a classpath folder of Flyway {@code V<n>__<name>.sql}
 * files). They are applied to the schema {@code karyo_<module>} with the history table
 * {@code karyo_<module>.schema_history}.
 */
@ProviderType
public interface SchemaReady {
    String MODULE_HEADER = "Karyo-Module";
    String MIGRATIONS_HEADER = "Karyo-Migrations";
    String MODULE_PROPERTY = "karyo.module";

    /** The module's name, for example {@code content}. */
    String module();

    /** The module's schema, {@code karyo_<module>}. */
    String schema();

    /** The schema version after migration, or {@code null} if the module has no migrations yet. */
    String version();
}
