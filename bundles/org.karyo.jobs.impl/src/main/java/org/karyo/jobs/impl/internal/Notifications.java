package org.karyo.jobs.impl.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's own database session: it holds the node's id as a session-level advisory lock (so that a second live
 * process with the same node id refuses to start, while a node restarted after a crash gets it back at once: the
 * server drops a dead process's session) and LISTENs to the jobs channel, handing each notification's payload to a
 * consumer on its own thread. When the session breaks it is opened again; the engine's polling covers the gap.
 */
final class Notifications implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final int NODE_LOCK_CLASS = 0x4b4e4f44; // "KNOD"
    private static final int WAIT_MILLIS = 200;

    private final DataSource dataSource;
    private final String node;
    private final Duration retry;
    private final Consumer<String> consumer;
    private volatile Connection connection;
    private volatile boolean closed;
    private Thread thread;

    Notifications(DataSource dataSource, String node, Duration retry, Consumer<String> consumer) {
        this.dataSource = dataSource;
        this.node = node;
        this.retry = retry;
        this.consumer = consumer;
    }

    /**
     * Opens the session, takes the node's lock (waiting up to {@code wait} for a crashed predecessor's session to
     * go) and starts listening.
     *
     * @throws IllegalStateException when another live process holds this node id
     */
    void open(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                Connection c = session();
                if (c != null) {
                    connection = c;
                    break;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not open the jobs notification session", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node id '" + node + "' is in use by another running node:"
                        + " give each node its own node.id (env KARYO_NODE_ID)");
            }
            pause(200);
        }
        thread = new Thread(this::loop, "karyo-jobs-listen");
        thread.setDaemon(true);
        thread.start();
    }

    /** A LISTENing session holding the node lock, or {@code null} when another session holds the lock. */
    private Connection session() throws SQLException {
        // raw JDBC: LISTEN and a session-level advisory lock need a session of their own
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            boolean locked;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, NODE_LOCK_CLASS);
                ps.setString(2, node);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    locked = rs.getBoolean(1);
                }
            }
            if (!locked) {
                c.close();
                return null;
            }
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + JobStore.CHANNEL);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void loop() {
        while (!closed) {
            Connection c = connection;
            try {
                if (c == null) {
                    c = session();
                    if (c == null) {
                        LOG.error("Node id '{}' was taken by another process while this node's session was down", node);
                        pause(retry.toMillis());
                        continue;
                    }
                    connection = c;
                    LOG.info("Jobs notification session of node {} open again", node);
                }
                PGNotification[] received = c.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
                if (received != null) {
                    for (PGNotification n : received) {
                        try {
                            consumer.accept(n.getParameter());
                        } catch (RuntimeException e) {
                            LOG.warn("A job notification could not be handled", e);
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.warn(
                        "Jobs notification session of node {} broke ({}); polling until it is back",
                        node,
                        e.getSQLState());
                closeQuietly(c);
                connection = null;
                pause(retry.toMillis());
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Closing the jobs notification session failed", e);
        }
    }

    /** Stops listening, releases the node's lock and gives the session back. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(WAIT_MILLIS * 4L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Connection c = connection;
        connection = null;
        if (c != null) {
            try (Statement s = c.createStatement()) {
                s.execute("UNLISTEN *");
                s.execute("SELECT pg_advisory_unlock_all()");
            } catch (SQLException e) {
                LOG.debug("Releasing the jobs notification session failed", e);
            }
            closeQuietly(c);
        }
    }
}
