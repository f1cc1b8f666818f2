package org.karyo.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.karyo.api.module.CachedDetail;
import org.karyo.api.module.ReadinessCheck;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The platform is not ready while it is still starting bundles: the framework has not reached its beginning start
 * level, or a Karyo bundle meant to run (started persistently, at a level already reached) is not active yet. The
 * other checks judge only what already runs; without this one, a restart (where every feature is installed from the
 * first moment) could say ready while the bundles of a later start level, with their REST paths, were still to come.
 */
@Component(service = ReadinessCheck.class)
public final class BundlesReadiness implements ReadinessCheck {

    /** One bundle as the check sees it. */
    record State(String name, int state, boolean fragment, boolean persistentlyStarted, int startLevel) {}

    /** The framework's property naming the start level it goes to. */
    static final String BEGINNING = "org.osgi.framework.startlevel.beginning";

    static final Duration CACHE = Duration.ofSeconds(1);

    private final BundleContext context;
    private final CachedDetail detail = new CachedDetail(this::evaluate, CACHE);

    @Activate
    public BundlesReadiness(BundleContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "bundles";
    }

    @Override
    public boolean ready() {
        return detail() == null;
    }

    @Override
    public String detail() {
        return detail.get();
    }

    private String evaluate() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        int level = system.adapt(FrameworkStartLevel.class).getStartLevel();
        int beginning = beginning(context.getProperty(BEGINNING));
        List<State> states = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name == null || !name.startsWith(ComponentsReadiness.PREFIX)) {
                continue;
            }
            BundleStartLevel sl = b.adapt(BundleStartLevel.class);
            states.add(new State(
                    name,
                    b.getState(),
                    isFragment(b),
                    sl != null && sl.isPersistentlyStarted(),
                    sl == null ? 0 : sl.getStartLevel()));
        }
        return problem(level, beginning, states);
    }

    private static boolean isFragment(Bundle b) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /** The beginning start level the framework was given (1 when it names none, as the OSGi specification says). */
    static int beginning(String property) {
        try {
            return property == null ? 1 : Integer.parseInt(property.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** What keeps the platform from being ready, or {@code null}. */
    static String problem(int level, int beginning, List<State> bundles) {
        if (level < beginning) {
            return "starting bundles (start level " + level + " of " + beginning + ")";
        }
        List<String> waiting = bundles.stream()
                .filter(b -> !b.fragment() && b.persistentlyStarted() && b.startLevel() <= level)
                .filter(b -> b.state() != Bundle.ACTIVE)
                .map(b -> b.name() + " (" + (b.state() == Bundle.STARTING ? "starting" : "not active") + ")")
                .sorted()
                .collect(Collectors.toList());
        if (waiting.isEmpty()) {
            return null;
        }
        String named = waiting.stream().limit(ComponentsReadiness.MAX_NAMED).collect(Collectors.joining(", "));
        return "bundles not active yet: " + named
                + (waiting.size() > ComponentsReadiness.MAX_NAMED
                        ? " and " + (waiting.size() - ComponentsReadiness.MAX_NAMED) + " more"
                        : "");
    }
}
