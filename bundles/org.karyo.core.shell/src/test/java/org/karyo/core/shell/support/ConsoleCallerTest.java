package org.karyo.core.shell.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

class ConsoleCallerTest {
    @Test
    void theCallerIsWhatTheIdentityMapsTheConsoleUserTo() {
        List<String> asked = new ArrayList<>();
        ConsoleIdentity identity = user -> {
            asked.add(user);
            return Caller.ANONYMOUS;
        };
        assertThat(ConsoleCaller.current(identity)).isSameAs(Caller.ANONYMOUS);
        assertThat(asked).hasSize(1); // no shell session in a unit test: the local console (no user name)
    }

    @Test
    void anUnmappedConsoleUserIsRefused() {
        ConsoleIdentity identity = user -> {
            throw KaryoException.unauthenticated("not mapped");
        };
        assertThatThrownBy(() -> ConsoleCaller.current(identity)).isInstanceOf(KaryoException.class);
    }
}
