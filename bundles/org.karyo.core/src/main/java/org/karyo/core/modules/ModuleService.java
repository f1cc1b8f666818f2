package org.karyo.core.modules;

import java.util.Collection;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Lists, installs and uninstalls Karyo's domain modules. A module is a Karaf feature named {@code karyo-<module>}
 * (other than {@code karyo-core} and {@code karyo-tp}); names are accepted with or without the {@code karyo-} prefix.
 *
 * <p>Changes take effect at once, refresh no other bundle, and are written back to {@code etc/org.karyo.modules.cfg}
 * ({@code features}), the desired set that is reconciled at every start.
 */
@ProviderType
public interface ModuleService {

    /** Every domain feature of the installed features repositories, ordered by feature name. */
    List<ModuleInfo> list();

    /**
     * Installs the named modules that are not installed yet.
     *
     * @param names module or feature names, for example {@code content} or {@code karyo-content}
     * @return what changed
     * @throws org.karyo.api.KaryoException {@code INVALID} naming the field {@code feature} when a name is not a
     *     known domain feature (then nothing is installed)
     * @throws IllegalStateException when Karaf fails to install them
     */
    ModuleChange install(Collection<String> names);

    /**
     * Uninstalls the named modules that are installed. Their tables and data stay; installing them again brings them
     * back.
     *
     * @param names module or feature names, for example {@code content} or {@code karyo-content}
     * @return what changed
     * @throws org.karyo.api.KaryoException {@code INVALID} naming the field {@code feature} when a name is not a
     *     known domain feature (then nothing is uninstalled)
     * @throws IllegalStateException when Karaf fails to uninstall them
     */
    ModuleChange uninstall(Collection<String> names);
}
