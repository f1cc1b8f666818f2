package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private final PasswordPolicy policy = PasswordPolicy.of(AuthSettings.defaults());

    @Test
    void acceptsALongMixedUncommonPassword() {
        assertThat(policy.problems("Correct-Horse-42!".toCharArray(), "alice")).isEmpty();
        assertThat(policy.problems("correct horse battery 9".toCharArray(), "alice"))
                .isEmpty();
    }

    @Test
    void refusesShortPasswords() {
        assertThat(policy.problems("Sh0rt-pass!".toCharArray(), "alice"))
                .containsExactly("must be at least 12 characters long");
    }

    @Test
    void refusesPasswordsWithTooFewCharacterClasses() {
        assertThat(policy.problems("onlylowercaseletters".toCharArray(), "alice"))
                .singleElement()
                .asString()
                .startsWith("must mix at least 3 of");
        assertThat(policy.problems("lowercase and digits 123".toCharArray(), "alice"))
                .isEmpty();
    }

    @Test
    void refusesPasswordsContainingTheUsername() {
        assertThat(policy.problems("My-Alice-Password-9".toCharArray(), "alice"))
                .containsExactly("must not contain the username");
    }

    @Test
    void refusesCommonPasswordsCaseInsensitively() {
        assertThat(policy.problems("Password1234".toCharArray(), "alice")).contains("is too common");
        assertThat(policy.problems("P@ssw0rd1234".toCharArray(), "alice")).contains("is too common");
        assertThat(PasswordPolicy.commonCount()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void refusesOverlongPasswords() {
        assertThat(policy.problems(("Aa1-" + "x".repeat(300)).toCharArray(), "alice"))
                .containsExactly("must be at most 256 characters long");
    }

    @Test
    void theRulesAreConfigurable() {
        PasswordPolicy lax = new PasswordPolicy(8, 1, false, false);
        assertThat(lax.problems("password".toCharArray(), "alice")).isEmpty();
        assertThat(lax.problems("alice123".toCharArray(), "alice")).isEmpty();
        assertThat(lax.problems("short".toCharArray(), "alice")).hasSize(1);
    }

    @Test
    void knowsDefaultPasswords() {
        for (String p : new String[] {"admin", "Karaf", "changeme", "password", "ADMINISTRATOR", "admin123"}) {
            assertThat(PasswordPolicy.isKnownDefault(p.toCharArray())).as(p).isTrue();
        }
        assertThat(PasswordPolicy.isKnownDefault("Correct-Horse-42!".toCharArray()))
                .isFalse();
    }
}
