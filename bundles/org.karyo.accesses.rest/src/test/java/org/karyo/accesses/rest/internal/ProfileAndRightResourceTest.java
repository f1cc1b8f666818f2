package org.karyo.accesses.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Profile;
import org.karyo.accesses.api.ProfileService;
import org.karyo.accesses.api.Right;
import org.karyo.accesses.api.RightService;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightDefinition.RightScope;

class ProfileAndRightResourceTest {

    /** A profile service that records its arguments. */
    private static final class FakeProfiles implements ProfileService {
        final List<Object> args = new ArrayList<>();

        @Override
        public Page<Profile> list(Caller caller, Optional<String> userId, Optional<String> search, PageRequest page) {
            args.addAll(List.of(caller, userId, search, page));
            return new Page<>(
                    1, page.limit(), page.offset(), List.of(new Profile(7, "u-42", "bob", "Manual", true, Fixtures.T)));
        }
    }

    @Test
    void profilesPassTheUserAndSearchFiltersAndPaging() {
        FakeProfiles service = new FakeProfiles();
        ProfileResource resource = new ProfileResource(service);
        Page<ProfileJson> page = resource.list("u-42", " bo ", "3", "6", Fixtures.SC);
        assertThat(service.args)
                .containsExactly(
                        Fixtures.ALICE, Optional.of("u-42"), Optional.of("bo"), new PageRequest(3, 6, List.of()));
        assertThat(page.results()).containsExactly(new ProfileJson(7, "u-42", "bob", "Manual", true, Fixtures.T));

        KaryoException e =
                catchThrowableOfType(() -> resource.list(null, null, "lots", null, Fixtures.SC), KaryoException.class);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit");
        assertThat(service.args).hasSize(4);
    }

    @Test
    void rightsAreListedByCategory() {
        RightService service = () -> List.of(
                new Right(
                        AccessRights.MANAGE_USERS,
                        "accesses",
                        "Users",
                        "Manage users",
                        RightScope.GLOBAL,
                        Optional.empty(),
                        true),
                new Right(
                        "content.manage",
                        "content",
                        "Users",
                        "Edit banners",
                        RightScope.GLOBAL,
                        Optional.empty(),
                        true));
        List<RightCategoryJson> categories = new RightResource(service).list();
        assertThat(categories).hasSize(1);
        assertThat(categories.get(0).name()).isEqualTo("Users");
        assertThat(categories.get(0).isGlobal()).isTrue();
        assertThat(categories.get(0).rights())
                .extracting(RightJson::key, RightJson::keyName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                AccessRights.MANAGE_USERS, Optional.of("right_manage_users")),
                        org.assertj.core.groups.Tuple.tuple("content.manage", Optional.empty()));
    }
}
