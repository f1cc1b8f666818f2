package org.karyo.maintenance.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceTypeTest {

    @Test
    void wireNamesAreLowerCaseAndParseBack() {
        assertThat(MaintenanceType.PARTIAL.wireName()).isEqualTo("partial");
        assertThat(MaintenanceType.FULL.wireName()).isEqualTo("full");
        assertThat(MaintenanceType.parse("partial")).isEqualTo(MaintenanceType.PARTIAL);
        assertThat(MaintenanceType.parse(" FULL ")).isEqualTo(MaintenanceType.FULL);
    }

    @Test
    void unknownTypesAreRefused() {
        for (String bad : new String[] {"total", "", null, "partial,full"}) {
            assertThatThrownBy(() -> MaintenanceType.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aQueryWithoutTypesHasAnEmptySet() {
        assertThat(new MaintenanceQuery(null, null, null, null, null).types()).isEmpty();
        assertThat(MaintenanceQuery.all().types()).isEqualTo(Set.of());
    }
}
