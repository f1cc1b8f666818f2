package org.karyo.auth.rest.internal;

import java.util.Optional;
import org.karyo.api.Validator;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.UserPatch;

/**
 * The body of {@code PATCH /users/{username}} (JSON merge patch): any of {@code firstname}, {@code lastname},
 * {@code email}, {@code is_active}, {@code password}. Absent fields stay as they are; {@code "email": null} (or an
 * empty e-mail) removes the e-mail; {@code null} for any other field is refused. The username never changes.
 *
 * <p>A bean rather than a record, because a record cannot tell an absent field from a {@code null} one: the JSON
 * reader calls a setter only for the fields the body contains.
 */
public final class UserPatchBody {
    @Nullable
    private String firstname;

    @Nullable
    private String lastname;

    @Nullable
    private String email;

    @Nullable
    private Boolean isActive;

    @Nullable
    private String password;

    private boolean hasFirstname;
    private boolean hasLastname;
    private boolean hasEmail;
    private boolean hasIsActive;
    private boolean hasPassword;

    public String getFirstname() {
        return firstname;
    }

    public void setFirstname(String firstname) {
        this.firstname = firstname;
        this.hasFirstname = true;
    }

    public String getLastname() {
        return lastname;
    }

    public void setLastname(String lastname) {
        this.lastname = lastname;
        this.hasLastname = true;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
        this.hasEmail = true;
    }

    public Boolean getIsActive() {
        return isActive;
    }

    public void setIsActive(Boolean isActive) {
        this.isActive = isActive;
        this.hasIsActive = true;
    }

    /** The new password; write-only (never serialised back: it always reads as {@code null}). */
    public String getPassword() {
        return null;
    }

    public void setPassword(String password) {
        this.password = password;
        this.hasPassword = true;
    }

    /**
     * Checks the body's shape and builds the service patch; a new password is copied into a new array that the
     * caller wipes.
     */
    UserPatch toPatch() {
        Validator v = new Validator();
        if (hasFirstname) {
            v.check(firstname != null && !firstname.isBlank(), "firstname", "must not be null or blank");
        }
        if (hasLastname) {
            v.check(lastname != null && !lastname.isBlank(), "lastname", "must not be null or blank");
        }
        if (hasIsActive) {
            v.check(isActive != null, "is_active", "must be true or false");
        }
        if (hasPassword) {
            v.check(password != null && !password.isEmpty(), "password", "must not be null or empty");
        }
        v.throwIfInvalid();
        Optional<Optional<String>> mail = !hasEmail
                ? Optional.empty()
                : Optional.of(email == null || email.isBlank() ? Optional.empty() : Optional.of(email.strip()));
        return new UserPatch(
                hasFirstname ? Optional.of(firstname.strip()) : Optional.empty(),
                hasLastname ? Optional.of(lastname.strip()) : Optional.empty(),
                mail,
                hasIsActive ? Optional.of(isActive) : Optional.empty(),
                hasPassword ? Secrets.chars(password) : Optional.empty());
    }

    @Override
    public String toString() {
        return "UserPatchBody[firstname=" + hasFirstname + ", lastname=" + hasLastname + ", email=" + hasEmail
                + ", is_active=" + hasIsActive + ", password=" + hasPassword + "]";
    }
}
