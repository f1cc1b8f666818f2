package org.karyo.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Maps a console (Karaf) user to the Karyo identity whose rights a console command runs with, so that commands go
 * through the same authorisation and audit as REST calls. Provided by the access module.
 */
@ProviderType
public interface ConsoleIdentity {

    /**
     * The caller for a console user.
     *
     * @param consoleUser the Karaf user name ({@code null} or blank on the local console)
     * @return the mapped Karyo user as a caller, with its current rights
     * @throws org.karyo.api.KaryoException {@link org.karyo.api.Kind#UNAUTHENTICATED} when the console user is not
     *     mapped, or the mapped user does not exist or is disabled
     */
    Caller resolve(String consoleUser);
}
