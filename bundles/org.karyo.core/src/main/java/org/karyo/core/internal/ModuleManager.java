package org.karyo.core.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.FeaturesListener;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.RepositoryEvent;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.module.ReadinessCheck;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.core.modules.ModuleService;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karyo's INCLUDED_APPS at runtime. The desired set of domain features ({@code karyo-*} other than
 * {@code karyo-core} and {@code karyo-tp}) is {@code features} in {@code etc/org.karyo.modules.cfg}, overridden by
 * the environment variable {@code KARYO_FEATURES}. Once Karaf's boot features are installed, a background thread
 * reconciles the installed domain features with it: it installs the missing ones and uninstalls the others, with
 * {@link FeaturesService.Option#NoAutoRefreshBundles} so that no other bundle is refreshed. Installs and uninstalls of
 * domain features done at runtime by anyone (console, {@link ModuleService}) are written back to {@code features}.
 *
 * <p>The component keeps its state across configuration changes ({@link Modified}) on purpose: re-activating it would
 * withdraw its readiness check and, with {@code KARYO_FEATURES} set, reconcile away every runtime change on the next
 * write-back. A configuration change reconciles only when it asks for something other than the current state, so
 * the echo of a write-back does nothing.
 *
 * <p>Immediate, although it provides services: it must reconcile at boot even if nobody uses its services.
 */
@Component(
        immediate = true,
        configurationPid = ModuleManager.PID,
        service = {ModuleService.class, ReadinessCheck.class, FeaturesListener.class})
@Designate(ocd = ModuleManager.Config.class)
public final class ModuleManager implements ModuleService, ReadinessCheck, FeaturesListener {

    static final String PID = "org.karyo.modules";
    static final String KEY = "features";
    static final String ENV = "KARYO_FEATURES";
    private static final Logger LOG = LoggerFactory.getLogger(ModuleManager.class);

    @ObjectClassDefinition(
            name = "Karyo modules",
            description = "The domain features (modules) this site runs. Reconciled at every start; installs and"
                    + " uninstalls at runtime are written back here.")
    public @interface Config {
        @AttributeDefinition(
                name = "Features",
                description = "Comma-separated domain features, with or without the karyo- prefix (for example"
                        + " 'karyo-content, maintenance'); * for every domain feature, empty for none. The"
                        + " environment variable KARYO_FEATURES overrides it.")
        String features() default FeatureNames.ALL;
    }

    private enum State {
        WAITING,
        RECONCILING,
        DONE,
        ERROR
    }

    private record Outcome(State state, String detail) {}

    private final FeaturesService features;
    private final ConfigurationAdmin configAdmin;
    private final EnvOverrides env;
    private final ExecutorService executor;
    /** Reconciles and console operations run one at a time. Never taken by a FeaturesService callback. */
    private final ReentrantLock operations = new ReentrantLock();
    /** Serialises write-backs (events arrive on Karaf's features thread, console operations on theirs). */
    private final Object writeLock = new Object();
    /** Set while a reconcile changes features: its own feature events are not written back. */
    private final AtomicBoolean reconciling = new AtomicBoolean();

    private final AtomicBoolean bootFinished = new AtomicBoolean();
    private volatile boolean closed;
    private volatile String configured;
    /** The domain features the platform wants now: the desired set at the last reconcile, then runtime changes. */
    private volatile Set<String> target = Set.of();
    /** The names of the last write-back (to recognise its echo). */
    private volatile Set<String> lastWritten = Set.of();
    /** What this manager wrote to the configuration and has not yet seen come back through @Modified, oldest first. */
    private final java.util.Deque<Set<String>> pendingEchoes = new java.util.ArrayDeque<>();
    /** Names in the desired set that are no domain feature. */
    private volatile List<String> unknown = List.of();

    private volatile Outcome outcome = new Outcome(State.WAITING, null);

    @Activate
    public ModuleManager(
            @Reference FeaturesService features, @Reference ConfigurationAdmin configAdmin, Config config) {
        this(features, configAdmin, config.features(), EnvOverrides.system(), Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "karyo-modules");
            t.setDaemon(true);
            return t;
        }));
    }

    ModuleManager(
            FeaturesService features,
            ConfigurationAdmin configAdmin,
            String configured,
            EnvOverrides env,
            ExecutorService executor) {
        this.features = features;
        this.configAdmin = configAdmin;
        this.configured = configured;
        this.env = env;
        this.executor = executor;
        if (env.isSet(ENV)) {
            LOG.info(
                    "Module manager active: {} = '{}' (overrides {} = '{}')", ENV, env.get(ENV, null), KEY, configured);
        } else {
            LOG.info("Module manager active: {} = '{}'", KEY, configured);
        }
    }

    /** Karaf has installed its boot features: reconcile now (the features service serialises deployments). */
    @Reference(
            service = BootFinished.class,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "unsetBootFinished")
    void setBootFinished(BootFinished boot) {
        if (bootFinished.compareAndSet(false, true)) {
            schedule();
        }
    }

    void unsetBootFinished(BootFinished boot) {
        // Boot stays finished.
    }

    @Modified
    void modified(Config config) {
        configurationChanged(config.features());
    }

    void configurationChanged(String value) {
        configured = value;
        Set<String> asked = new HashSet<>(FeatureNames.parse(value));
        if (isEcho(asked)) {
            LOG.debug("{} = '{}' is the echo of a write-back: nothing to reconcile", KEY, value);
            return;
        }
        Set<String> current = new HashSet<>(target);
        current.addAll(unknown);
        if (env.isSet(ENV)) {
            if (!asked.equals(lastWritten)) {
                LOG.info("{} changed to '{}'; {} is set and wins, so nothing changes", KEY, value, ENV);
            }
            return;
        }
        if (asked.equals(current) && outcome.state() == State.DONE) {
            LOG.debug("{} = '{}' is the current state: nothing to reconcile", KEY, value);
            return;
        }
        LOG.info("{} changed to '{}': reconciling modules", KEY, value);
        schedule();
    }

    /**
     * Whether {@code asked} is the echo of one of our own write-backs. Echoes arrive in the order of the writes but may
     * arrive late, after later changes; a late echo of an earlier state must not be reconciled to, or it would undo
     * those changes. Echoes older than this one were superseded and are dropped with it.
     */
    private boolean isEcho(Set<String> asked) {
        synchronized (pendingEchoes) {
            if (!pendingEchoes.contains(asked)) {
                return false;
            }
            while (!pendingEchoes.removeFirst().equals(asked)) {
                // drop the superseded echoes before this one
            }
            return true;
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        executor.shutdownNow();
    }

    private void schedule() {
        if (!bootFinished.get() || closed) {
            return;
        }
        try {
            executor.execute(this::reconcile);
        } catch (RejectedExecutionException e) {
            LOG.debug("Module manager is stopping; reconcile skipped");
        }
    }

    /** Makes the required domain features the desired ones. Runs on the component's own thread. */
    void reconcile() {
        boolean fromEnv = env.isSet(ENV);
        String source = fromEnv ? ENV : KEY;
        String value = fromEnv ? env.get(ENV, null) : configured;
        boolean ok = false;
        operations.lock();
        reconciling.set(true);
        outcome = new Outcome(State.RECONCILING, null);
        try {
            Set<String> domain = domainFeatures();
            Plan plan = Plan.of(FeatureNames.parse(value), domain, requiredDomainFeatures(domain));
            target = plan.desired();
            unknown = plan.unknown();
            for (String name : plan.unknown()) {
                LOG.error(
                        "{} names '{}', which is not a Karyo module (known modules: {}); fix {}",
                        source,
                        name,
                        FeatureNames.format(domain),
                        fromEnv ? "the environment variable " + ENV : "'" + KEY + "' in etc/" + PID + ".cfg");
            }
            if (plan.nothingToDo()) {
                LOG.info("Modules are up to date: {}", FeatureNames.format(plan.desired()));
            }
            List<String> failed = new ArrayList<>();
            if (!plan.toInstall().isEmpty()) {
                LOG.info("Installing modules {} ({} = '{}')", plan.toInstall(), source, value);
                failed.addAll(apply(plan.toInstall(), true));
            }
            if (!plan.toUninstall().isEmpty()) {
                LOG.info("Uninstalling modules {} (not in {} = '{}')", plan.toUninstall(), source, value);
                failed.addAll(apply(plan.toUninstall(), false));
            }
            ok = failed.isEmpty();
            // Its own feature events were not written back; a failed install stays in the target (not ready).
            target = plan.desired();
            outcome = new Outcome(State.DONE, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(State.ERROR, "the module reconcile was interrupted");
        } catch (Exception e) {
            LOG.error("Could not reconcile the modules with {}", source, e);
            outcome = new Outcome(State.ERROR, "could not read Karaf's features; see the log");
        } finally {
            reconciling.set(false);
            operations.unlock();
        }
        if (ok && !fromEnv) {
            // Catches a console install or uninstall that raced with this reconcile (its events were ignored).
            sync();
        }
    }

    /** Installs or uninstalls together, else one at a time so that the valid ones still happen. */
    private List<String> apply(Set<String> names, boolean install) throws InterruptedException {
        String verb = install ? "install" : "uninstall";
        try {
            change(names, install);
            return List.of();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (names.size() == 1) {
                LOG.error("Could not {} module {}", verb, names.iterator().next(), e);
                return List.copyOf(names);
            }
            LOG.warn("Could not {} modules {} together ({}); trying one at a time", verb, names, e.toString());
        }
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            try {
                change(Set.of(name), install);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.error("Could not {} module {}", verb, name, e);
                failed.add(name);
            }
        }
        return failed;
    }

    private void change(Set<String> names, boolean install) throws Exception {
        EnumSet<FeaturesService.Option> options = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        if (install) {
            features.installFeatures(new LinkedHashSet<>(names), options);
        } else {
            features.uninstallFeatures(new LinkedHashSet<>(names), options);
        }
    }

    // ---------------------------------------------------------------- write-back

    @Override
    public void featureEvent(FeatureEvent event) {
        String name = event.getFeature().getName();
        if (event.isReplay() || !FeatureNames.isDomain(name)) {
            return;
        }
        if (reconciling.get()) {
            LOG.debug("Module {} changed by the reconcile: not written back", name);
            return;
        }
        LOG.info(
                "Module {} {}",
                name,
                event.getType() == FeatureEvent.EventType.FeatureInstalled ? "installed" : "uninstalled");
        sync();
    }

    @Override
    public void repositoryEvent(RepositoryEvent event) {
        if (!event.isReplay() && event.getType() == RepositoryEvent.EventType.RepositoryAdded && !unknown.isEmpty()) {
            LOG.info(
                    "Features repository {} added: reconciling the unknown modules {}",
                    event.getRepository().getURI(),
                    unknown);
            schedule();
        }
    }

    /** Takes the required domain features as the new target and writes them back when they differ. */
    void sync() {
        synchronized (writeLock) {
            if (reconciling.get()) {
                return;
            }
            try {
                Set<String> domain = domainFeatures();
                Set<String> required = requiredDomainFeatures(domain);
                Set<String> before = target;
                target = Collections.unmodifiableSet(new TreeSet<>(required));
                writeBack(required, domain);
                if (env.isSet(ENV) && !required.equals(before)) {
                    Set<String> fromEnv = Plan.of(FeatureNames.parse(env.get(ENV, null)), domain, required)
                            .desired();
                    if (!required.equals(fromEnv)) {
                        LOG.warn(
                                "{} is set: it wins over {} at the next start, which will reconcile the modules"
                                        + " back to {} (now {})",
                                ENV,
                                KEY,
                                FeatureNames.format(fromEnv),
                                FeatureNames.format(required));
                    }
                }
            } catch (Exception e) {
                LOG.error("Could not write the installed modules back to '{}' of {}", KEY, PID, e);
            }
        }
    }

    private void writeBack(Set<String> required, Set<String> domain) throws IOException {
        Configuration configuration = configAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> properties = configuration.getProperties();
        Object current = properties == null ? null : properties.get(KEY);
        List<String> written = current == null ? List.of(FeatureNames.ALL) : FeatureNames.parse(text(current));
        Plan asWritten = Plan.of(written, domain, required);
        if (asWritten.desired().equals(required)) {
            return;
        }
        // Names that are no domain feature stay: they are the site's to fix, and the readiness check names them.
        List<String> value = new ArrayList<>(new TreeSet<>(required));
        value.addAll(asWritten.unknown());
        String text = String.join(", ", value);
        if (properties == null) {
            properties = new Hashtable<>();
        }
        properties.put(KEY, text);
        lastWritten = new HashSet<>(value);
        synchronized (pendingEchoes) {
            pendingEchoes.addLast(new HashSet<>(FeatureNames.parse(text)));
        }
        configuration.update(properties);
        LOG.info("Wrote {} = '{}' to {}", KEY, text, PID);
    }

    private static String text(Object value) {
        if (value instanceof String[] array) {
            return String.join(",", array);
        }
        if (value instanceof Collection<?> collection) {
            return String.join(",", collection.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    // ---------------------------------------------------------------- readiness

    @Override
    public String name() {
        return "modules";
    }

    @Override
    public boolean ready() {
        return detail() == null;
    }

    @Override
    public String detail() {
        Outcome o = outcome;
        switch (o.state()) {
            case WAITING:
                return "waiting for Karaf's boot features";
            case RECONCILING:
                return "reconciling the modules";
            case ERROR:
                return o.detail();
            default:
                break;
        }
        List<String> problems = new ArrayList<>();
        if (!unknown.isEmpty()) {
            problems.add("unknown modules in " + (env.isSet(ENV) ? ENV : KEY) + ": " + String.join(", ", unknown));
        }
        try {
            Set<String> missing = new TreeSet<>(target);
            missing.removeAll(names(features.listInstalledFeatures()));
            if (!missing.isEmpty()) {
                problems.add("desired modules not installed: " + String.join(", ", missing));
            }
        } catch (Exception e) {
            LOG.warn("Could not list the installed features", e);
            problems.add("could not read Karaf's features");
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    // ---------------------------------------------------------------- console service

    @Override
    public List<ModuleInfo> list() {
        try {
            Map<String, Feature> latest = new TreeMap<>();
            for (Feature f : features.listFeatures()) {
                if (FeatureNames.isDomain(f.getName())) {
                    latest.merge(f.getName(), f, (a, b) -> version(a).compareTo(version(b)) >= 0 ? a : b);
                }
            }
            Set<String> installed = names(features.listInstalledFeatures());
            Set<String> wanted = target;
            List<ModuleInfo> modules = new ArrayList<>();
            for (Feature f : latest.values()) {
                modules.add(new ModuleInfo(
                        f.getName(),
                        FeatureNames.module(f.getName()),
                        f.getVersion(),
                        installed.contains(f.getName()),
                        wanted.contains(f.getName()),
                        f.getDescription()));
            }
            return modules;
        } catch (Exception e) {
            throw new IllegalStateException("Could not list Karaf's features: " + e.getMessage(), e);
        }
    }

    @Override
    public ModuleChange install(Collection<String> names) {
        return operate(names, true);
    }

    @Override
    public ModuleChange uninstall(Collection<String> names) {
        return operate(names, false);
    }

    private ModuleChange operate(Collection<String> names, boolean install) {
        String verb = install ? "install" : "uninstall";
        Set<String> asked = names == null ? Set.of() : FeatureNames.normaliseAll(names);
        if (asked.isEmpty()) {
            throw KaryoException.invalid("feature", "name at least one module to " + verb);
        }
        operations.lock();
        try {
            Set<String> domain = domainFeatures();
            List<String> notModules =
                    asked.stream().filter(n -> !domain.contains(n)).toList();
            if (!notModules.isEmpty()) {
                throw KaryoException.invalid(
                        "feature",
                        "not a Karyo module: " + String.join(", ", notModules) + " (known modules: "
                                + FeatureNames.format(domain) + ")");
            }
            Set<String> required = requiredDomainFeatures(domain);
            Set<String> toChange = new TreeSet<>(asked);
            if (install) {
                toChange.removeAll(required);
            } else {
                toChange.retainAll(required);
            }
            Set<String> unchanged = new TreeSet<>(asked);
            unchanged.removeAll(toChange);
            if (!toChange.isEmpty()) {
                LOG.info("{} modules {}", install ? "Installing" : "Uninstalling", toChange);
                change(toChange, install);
            }
            // Feature events write back too; this also covers a change that raises none.
            sync();
            return new ModuleChange(List.copyOf(toChange), List.copyOf(unchanged));
        } catch (KaryoException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + verb + " " + asked, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Could not " + verb + " " + String.join(", ", asked) + ": " + e.getMessage(), e);
        } finally {
            operations.unlock();
        }
    }

    // ---------------------------------------------------------------- helpers

    private Set<String> domainFeatures() throws Exception {
        Set<String> domain = new TreeSet<>(names(features.listFeatures()));
        domain.removeIf(n -> !FeatureNames.isDomain(n));
        return domain;
    }

    private Set<String> requiredDomainFeatures(Set<String> domain) throws Exception {
        Set<String> required = new TreeSet<>(names(features.listRequiredFeatures()));
        required.retainAll(domain);
        return required;
    }

    private static Set<String> names(Feature[] features) {
        Set<String> names = new TreeSet<>();
        if (features != null) {
            for (Feature f : features) {
                names.add(f.getName());
            }
        }
        return names;
    }

    private static Version version(Feature f) {
        try {
            return Version.parseVersion(f.getVersion());
        } catch (IllegalArgumentException e) {
            return Version.emptyVersion;
        }
    }
}
