package org.karyo.core.modules;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Lists, installs and uninstalls Karyo's domain modules. A module is a Karaf feature named {@code karyo-<module>}
 * (other than {@code karyo-core} and {@code karyo-tp}); names are accepted with or without the {@code karyo-} prefix.
 *
 * <p>An install or uninstall is checked when it is asked for and then runs away from the caller's thread: changes run
 * one at a time (and never during the reconcile at start), in the order they were accepted. Each refreshes no other
 * bundle, is written back to {@code etc/org.karyo.modules.cfg} ({@code features}, the desired set that is reconciled
 * at every start; the written set always holds the modules that the listed ones need) and is recorded in the audit
 * trail (when the audit module is installed). Changes are kept in memory, the latest ones only, and not across a
 * restart.
 */
@ProviderType
public interface ModuleService {

    /** Every domain feature of the installed features repositories, ordered by feature name. */
    List<ModuleInfo> list();

    /**
     * One module.
     *
     * @param name the module or feature name, for example {@code content} or {@code karyo-content}
     * @throws org.karyo.api.KaryoException {@code NOT_FOUND} when it is not a known domain feature
     */
    ModuleInfo get(String name);

    /**
     * Accepts the installation of the named modules (the modules they need come with them) and returns the change,
     * which runs after the changes accepted before it.
     *
     * @param caller who asks, for the audit trail
     * @param names module or feature names, for example {@code content} or {@code karyo-content}
     * @return the accepted change: {@link ModuleChange.State#QUEUED} or later
     * @throws org.karyo.api.KaryoException {@code INVALID} naming the field {@code feature} when no name is given or a
     *     name is not a known domain feature (then nothing is accepted)
     */
    ModuleChange install(Caller caller, Collection<String> names);

    /**
     * Accepts the uninstallation of the named modules and returns the change. Their tables and data stay; installing
     * them again brings them back. A module that an installed module needs is refused, naming the modules that need
     * it: uninstall those first, or in the same change.
     *
     * @param caller who asks, for the audit trail
     * @param names module or feature names, for example {@code content} or {@code karyo-content}
     * @return the accepted change: {@link ModuleChange.State#QUEUED} or later
     * @throws org.karyo.api.KaryoException {@code INVALID} naming the field {@code feature} when no name is given or a
     *     name is not a known domain feature; {@code CONFLICT} when an installed module that is not uninstalled with
     *     it needs one of them (its extension {@code required_by} names them); then nothing is accepted
     */
    ModuleChange uninstall(Caller caller, Collection<String> names);

    /**
     * A change's current state.
     *
     * @throws org.karyo.api.KaryoException {@code NOT_FOUND} when no such change is known (changes are not kept
     *     across a restart, and only the latest ones are kept)
     */
    ModuleChange change(String id);

    /**
     * Waits until a change is over or {@code timeout} has passed, and returns its state then.
     *
     * @throws org.karyo.api.KaryoException {@code NOT_FOUND} when no such change is known
     * @throws InterruptedException when the waiting thread is interrupted
     */
    ModuleChange await(String id, Duration timeout) throws InterruptedException;
}
