package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.tx.DatabaseStatus;

class DatabaseInfoTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void reportsTheServerAndThePool() throws Exception {
        try (PgTest.Fresh db = PgTest.freshDatabase()) {
            DatabaseInfo info = new DatabaseInfo(db.pool(), true, db.name(), executor);
            try (Connection busy = db.pool().getConnection()) {
                DatabaseStatus status = info.status();
                assertThat(status.up()).isTrue();
                assertThat(status.embedded()).isTrue();
                assertThat(status.version()).startsWith("PostgreSQL ");
                assertThat(status.database()).isEqualTo(db.name());
                assertThat(status.activeConnections()).isEqualTo(1);
                assertThat(status.maxConnections()).isEqualTo(4);
            }
        }
    }

    @Test
    void anExhaustedPoolIsReportedDownWithinTwoSeconds() throws Exception {
        try (PgTest.Fresh db = PgTest.freshDatabase()) {
            DatabaseInfo info = new DatabaseInfo(db.pool(), false, db.name(), executor);
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < db.pool().getMaximumPoolSize(); i++) {
                    held.add(db.pool().getConnection());
                }
                long start = System.nanoTime();
                DatabaseStatus status = info.status();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(status.up()).isFalse();
                assertThat(status.activeConnections()).isEqualTo(4);
                assertThat(millis).isBetween(1900L, 3000L);
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aClosedPoolIsDown() {
        PgTest.Fresh db = PgTest.freshDatabase();
        DatabaseInfo info = new DatabaseInfo(db.pool(), false, db.name(), executor);
        db.close();
        DatabaseStatus status = info.status();
        assertThat(status.up()).isFalse();
        assertThat(status.version()).isNull();
        assertThat(status.database()).isEqualTo(db.name());
    }
}
