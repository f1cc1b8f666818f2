package org.karyo.core.shell.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.karyo.api.security.Caller;

class ConsoleCallerTest {
    @Test
    void theCallerIsNamedAfterTheKarafUserOrTheLocalConsole() {
        Caller c = ConsoleCaller.of("karaf");
        assertThat(c.id()).isEqualTo("console:karaf");
        assertThat(c.getName()).isEqualTo("console:karaf");
        assertThat(c.authenticated()).isTrue();
        assertThat(ConsoleCaller.of(null).id()).isEqualTo("console:local");
        assertThat(ConsoleCaller.of(" ").id()).isEqualTo("console:local");
        assertThat(ConsoleCaller.current().id()).isEqualTo("console:local"); // no shell session in a unit test
    }
}
