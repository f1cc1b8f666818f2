package org.karyo.auth.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import org.junit.jupiter.api.Test;
import org.karyo.api.security.Declarations;
import org.karyo.api.security.Declarations.AuthenticatedNeed;
import org.karyo.api.security.Declarations.Need;
import org.karyo.api.security.Declarations.PublicNeed;
import org.karyo.api.security.Declarations.RightNeed;

/** Every endpoint of the bundle, with what it declares: an endpoint added or changed without this table fails. */
class EndpointDeclarationsTest {

    private static final Need PUBLIC = new PublicNeed();
    private static final Need AUTHENTICATED = new AuthenticatedNeed();
    private static final Need MANAGE_USERS = new RightNeed("accesses.manage_users");
    private static final Need FULL_ADMIN = new RightNeed("accesses.full_admin");

    @Test
    void everyEndpointDeclaresExactlyTheAgreedNeed() {
        Map<String, Need> expected = new TreeMap<>();
        expected.put("POST /auth/login", PUBLIC);
        expected.put("POST /auth/refresh", PUBLIC);
        expected.put("GET /auth/jwks", PUBLIC);
        expected.put("POST /auth/logout", AUTHENTICATED);
        expected.put("GET /auth/me", AUTHENTICATED);
        expected.put("POST /auth/mfa/enrol", AUTHENTICATED);
        expected.put("POST /auth/mfa/confirm", AUTHENTICATED);
        expected.put("POST /auth/mfa/disable", AUTHENTICATED);
        expected.put("POST /auth/tokens", FULL_ADMIN);
        expected.put("GET /auth/tokens", FULL_ADMIN);
        expected.put("DELETE /auth/tokens/{id}", FULL_ADMIN);
        expected.put("GET /users", MANAGE_USERS);
        expected.put("POST /users", MANAGE_USERS);
        expected.put("GET /users/{username}", MANAGE_USERS);
        expected.put("PATCH /users/{username}", MANAGE_USERS);
        expected.put("GET /users/{username}/check", MANAGE_USERS);
        expected.put("POST /users/{username}/mfa/reset", FULL_ADMIN);

        Map<String, Need> actual = new TreeMap<>();
        for (Class<?> type : List.of(AuthResource.class, MfaResource.class, TokenResource.class, UserResource.class)) {
            String base = "/" + type.getAnnotation(Path.class).value();
            for (Method m : type.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = sub == null ? base : base + "/" + sub.value();
                Need need = Declarations.of(m).orElseThrow(() -> new AssertionError(m + " declares nothing"));
                assertThat(actual.put(verb + " " + path, need))
                        .as("duplicate " + path)
                        .isNull();
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void thereIsNoWayToDeleteAUser() {
        for (Method m : UserResource.class.getDeclaredMethods()) {
            assertThat(m.isAnnotationPresent(DELETE.class)).as(m.getName()).isFalse();
        }
    }

    private static String verb(Method m) {
        for (Class<? extends java.lang.annotation.Annotation> a :
                List.of(GET.class, POST.class, PUT.class, PATCH.class, DELETE.class)) {
            if (m.isAnnotationPresent(a)) {
                return a.getAnnotation(HttpMethod.class).value();
            }
        }
        return null;
    }
}
