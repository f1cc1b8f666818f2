package org.karyo.auth.rest.internal;

import java.util.Optional;
import org.karyo.api.Validator;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.UserKind;

/**
 * The body of {@code POST /users}: {@code {username, firstname, lastname, email?, kind?, password?}}. {@code kind} is
 * {@code person} (the default) or {@code service}. The service checks the username and e-mail patterns and the
 * password policy.
 */
public record NewUserBody(
        String username,
        String firstname,
        String lastname,
        @Nullable String email,
        @Nullable String kind,
        @Nullable String password) {

    /**
     * Checks the body's shape and builds the service request; the password, if any, is copied into a new array that
     * the caller wipes.
     */
    NewUser toNewUser() {
        Validator v = new Validator();
        v.check(username != null && !username.isBlank(), "username", "is required");
        v.check(firstname != null && !firstname.isBlank(), "firstname", "is required");
        v.check(lastname != null && !lastname.isBlank(), "lastname", "is required");
        UserKind k = kind == null ? UserKind.PERSON : UserJson.kind(kind);
        v.check(k != null, "kind", "must be person or service");
        v.check(password == null || !password.isEmpty(), "password", "must not be empty; leave it out for none");
        v.throwIfInvalid();
        Optional<String> mail = email == null || email.isBlank() ? Optional.empty() : Optional.of(email.strip());
        return new NewUser(username.strip(), firstname.strip(), lastname.strip(), mail, k, Secrets.chars(password));
    }

    @Override
    public String toString() {
        return "NewUserBody[username=" + username + "]";
    }
}
