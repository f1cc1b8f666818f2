package org.karyo.api.security;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard service by which a module registers its rights while it is installed. The access module stores each
 * contributed right (inserting new keys, updating labels) and treats the rights of modules without a registered
 * contributor as stored but granting nothing. Register one per module, typically from its impl bundle.
 */
@ConsumerType
public interface RightContributor {

    /** The module that owns the rights, for example {@code content}. */
    String module();

    /** The module's rights. Every key starts with {@code module() + "."}. */
    List<RightDefinition> rights();
}
