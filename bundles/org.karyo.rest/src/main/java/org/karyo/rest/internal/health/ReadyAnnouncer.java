package org.karyo.rest.internal.health;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when the platform is ready, on the console and in the log: one line {@code Karyo ready — <url>/api/docs}. A
 * platform that is still not ready after {@link #PATIENCE_SECONDS} says what it waits for (the same lines as
 * {@code /api/health}'s {@code waiting_for}, never a secret), again whenever that changes, so an operator who started
 * it without its keys reads why at once instead of searching {@code karaf.log}.
 */
@Component(immediate = true)
public final class ReadyAnnouncer {
    /** A normal boot under load takes well under a minute: only a platform still waiting then is told about. */
    static final int PATIENCE_SECONDS = 60;
    /** The reasons are said again when they change, at most this often. */
    static final int REPEAT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(ReadyAnnouncer.class);
    private static final String DEFAULT_BASE = "http://localhost:8181";

    /** What one look at the platform decided to say, if anything. */
    static final class State {
        private boolean ready;
        private List<String> said = List.of();
        private int notReadyLooks;
        private int saidAtLook;

        /**
         * @param summary the platform's health now
         * @param base the URL the platform is reached at, without a trailing slash
         * @param lookSeconds seconds between two looks
         * @return the lines to print, empty when nothing changed
         */
        List<String> look(Health.HealthSummary summary, String base, int lookSeconds) {
            if (summary.ready()) {
                notReadyLooks = 0;
                said = List.of();
                if (ready) {
                    return List.of();
                }
                ready = true;
                return List.of("Karyo ready — " + base + "/api/docs");
            }
            ready = false;
            notReadyLooks++;
            if ((long) notReadyLooks * lookSeconds < PATIENCE_SECONDS
                    || summary.waitingFor().equals(said)
                    || (!said.isEmpty() && (long) (notReadyLooks - saidAtLook) * lookSeconds < REPEAT_SECONDS)) {
                return List.of();
            }
            said = summary.waitingFor();
            saidAtLook = notReadyLooks;
            return Stream.concat(
                            Stream.of("Karyo is not ready (" + summary.status() + "); it waits for:"),
                            said.stream().map(w -> "  - " + w))
                    .toList();
        }
    }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "karyo-ready-announcer");
        t.setDaemon(true);
        return t;
    });
    private final State state = new State();
    private final PrintStream console = System.out;
    private volatile Map<String, Object> runtimeProperties;

    @Activate
    public ReadyAnnouncer(@Reference HealthResource health) {
        Supplier<Health.HealthSummary> summary = () -> Health.summary(health.evaluate());
        executor.scheduleWithFixedDelay(() -> look(summary), 1, 1, TimeUnit.SECONDS);
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRuntime(JaxrsServiceRuntime runtime, Map<String, Object> properties) {
        runtimeProperties = properties;
    }

    void unsetRuntime(JaxrsServiceRuntime runtime, Map<String, Object> properties) {
        if (runtimeProperties == properties) {
            runtimeProperties = null;
        }
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    private void look(Supplier<Health.HealthSummary> summary) {
        try {
            List<String> lines = state.look(summary.get(), base(runtimeProperties), 1);
            if (lines.isEmpty()) {
                return;
            }
            String text = String.join(System.lineSeparator(), lines);
            if (lines.get(0).startsWith("Karyo ready")) {
                LOG.info(text);
            } else {
                LOG.warn(text);
            }
            console.println(text);
        } catch (RuntimeException e) {
            LOG.debug("Readiness look failed", e);
        }
    }

    /** The base URL from the JAX-RS whiteboard's endpoint property, with a wildcard address read as localhost. */
    static String base(Map<String, Object> properties) {
        Object endpoint = properties == null ? null : properties.get("osgi.jaxrs.endpoint");
        String first = null;
        if (endpoint instanceof String s) {
            first = s;
        } else if (endpoint instanceof String[] a && a.length > 0) {
            first = a[0];
        } else if (endpoint instanceof Collection<?> c && !c.isEmpty()) {
            first = String.valueOf(c.iterator().next());
        }
        if (first == null || first.isBlank()) {
            return DEFAULT_BASE;
        }
        String url = first.replace("://0.0.0.0:", "://localhost:").replace("://[::]:", "://localhost:");
        int path = url.indexOf('/', url.indexOf("://") + 3);
        return path < 0 ? url : url.substring(0, path);
    }
}
