package org.karyo.accesses.impl.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.karyo.auth.api.AccessHolders;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link AccessHolders}: the users with an access valid now (on an active profile), for the user list. */
@Component(service = AccessHolders.class)
public final class AccessHoldersImpl implements AccessHolders {

    private static final Select HOLDERS = Select.of(
                    "DISTINCT pr.user_id",
                    "karyo_accesses.accesses a JOIN karyo_accesses.profiles pr ON pr.id = a.profile_id")
            .where("a.deleted_at IS NULL AND pr.is_active");

    private final Sql sql;
    private final AccessesSettings settings;

    @Activate
    public AccessHoldersImpl(@Reference AccessesStore store, @Reference AccessesSettings settings) {
        this.sql = store.sql();
        this.settings = settings;
    }

    @Override
    public Set<String> userIdsWithCurrentAccess() {
        Instant now = settings.clock().instant();
        return new HashSet<>(sql.list(
                HOLDERS.where("a.start_datetime <= ? AND a.end_datetime > ?", now, now), rs -> rs.getString(1)));
    }
}
