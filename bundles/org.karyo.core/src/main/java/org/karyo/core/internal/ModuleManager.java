package org.karyo.core.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.FeaturesListener;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.RepositoryEvent;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.ModuleRegistry;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.module.ReadinessCheck;
import org.karyo.api.security.Caller;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleChange.Operation;
import org.karyo.core.modules.ModuleChange.State;
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
 * <p>Installs and uninstalls asked for through {@link ModuleService} (console, {@code /api/modules}) are checked when
 * they are asked for (unknown names, and modules that installed ones still need, are refused at once), then run on the
 * component's one thread, one at a time and never during a reconcile, and are recorded in the audit trail. The
 * desired set always holds the modules that its members need ({@link FeatureGraph}), so that what is written back can
 * always be reconciled.
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
    /** The audit module: an uninstall of it is recorded before the change, since the trail goes with it. */
    static final String AUDIT_FEATURE = "karyo-audit";

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

    private enum Phase {
        WAITING,
        RECONCILING,
        DONE,
        ERROR
    }

    private record Outcome(Phase state, String detail) {}

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

    /**
     * The installed features' names between two feature events: the readiness check runs at every health probe, and
     * listing Karaf's installed features costs about 0.1 ms of CPU each time. Set only when no event came meanwhile.
     */
    private volatile Set<String> installedNames;

    private final AtomicLong featureEvents = new AtomicLong();

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

    private volatile Outcome outcome = new Outcome(Phase.WAITING, null);

    /** The install and uninstall changes asked for since the start. */
    private final ChangeLog changes = new ChangeLog();

    private final Clock clock = Clock.systemUTC();
    private volatile AuditTrail audit;
    private volatile ModuleRegistry registry;

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
        if (asked.equals(current) && outcome.state() == Phase.DONE) {
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
        for (ModuleChange c : changes.pending()) {
            if (c.state() == State.QUEUED) {
                changes.put(done(c, State.FAILED, Set.of(), Set.of(), "the platform stopped before the change ran"));
            }
        }
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
        outcome = new Outcome(Phase.RECONCILING, null);
        try {
            Feature[] all = features.listFeatures();
            Set<String> domain = domain(all);
            Plan plan =
                    Plan.of(FeatureNames.parse(value), domain, requiredDomainFeatures(domain), FeatureGraph.of(all));
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
            outcome = new Outcome(Phase.DONE, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(Phase.ERROR, "the module reconcile was interrupted");
        } catch (Exception e) {
            LOG.error("Could not reconcile the modules with {}", source, e);
            outcome = new Outcome(Phase.ERROR, "could not read Karaf's features; see the log");
        } finally {
            // whatever Karaf's events said during the reconcile, the next readiness check lists the features again
            forgetInstalledNames();
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
        forgetInstalledNames();
    }

    // ---------------------------------------------------------------- write-back

    @Override
    public void featureEvent(FeatureEvent event) {
        forgetInstalledNames();
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

    /**
     * Takes the required domain features, with the domain features they need, as the new target and writes them back
     * when they differ. A feature that Karaf keeps because a required one needs it (a plain {@code feature:uninstall}
     * of it) therefore stays in the written set: that set can always be reconciled.
     */
    void sync() {
        synchronized (writeLock) {
            if (reconciling.get()) {
                return;
            }
            try {
                Feature[] all = features.listFeatures();
                Set<String> domain = domain(all);
                FeatureGraph graph = FeatureGraph.of(all);
                Set<String> required = new TreeSet<>(graph.closure(requiredDomainFeatures(domain)));
                required.retainAll(domain);
                Set<String> before = target;
                target = Collections.unmodifiableSet(required);
                writeBack(required, domain, graph);
                if (env.isSet(ENV) && !required.equals(before)) {
                    Set<String> fromEnv = Plan.of(FeatureNames.parse(env.get(ENV, null)), domain, required, graph)
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

    private void writeBack(Set<String> required, Set<String> domain, FeatureGraph graph) throws IOException {
        Configuration configuration = configAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> properties = configuration.getProperties();
        Object current = properties == null ? null : properties.get(KEY);
        List<String> written = current == null ? List.of(FeatureNames.ALL) : FeatureNames.parse(text(current));
        Plan asWritten = Plan.of(written, domain, required, graph);
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
            missing.removeAll(installedNames());
            if (!missing.isEmpty()) {
                problems.add("desired modules not installed: " + String.join(", ", missing));
            }
        } catch (Exception e) {
            LOG.warn("Could not list the installed features", e);
            problems.add("could not read Karaf's features");
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    // ---------------------------------------------------------------- module service

    /** The audit trail, while the audit module is installed. */
    @Reference(
            service = AuditTrail.class,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "unsetAudit")
    void setAudit(AuditTrail trail) {
        audit = trail;
    }

    void unsetAudit(AuditTrail trail) {
        if (audit == trail) {
            audit = null;
        }
    }

    /** The state of the modules' schemas, from the database bundle. */
    @Reference(
            service = ModuleRegistry.class,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "unsetRegistry")
    void setRegistry(ModuleRegistry r) {
        registry = r;
    }

    void unsetRegistry(ModuleRegistry r) {
        if (registry == r) {
            registry = null;
        }
    }

    @Override
    public List<ModuleInfo> list() {
        try {
            Feature[] all = features.listFeatures();
            FeatureGraph graph = FeatureGraph.of(all);
            Map<String, Feature> latest = new TreeMap<>();
            for (Feature f : all) {
                if (FeatureNames.isDomain(f.getName())) {
                    latest.merge(f.getName(), f, (a, b) -> version(a).compareTo(version(b)) >= 0 ? a : b);
                }
            }
            Set<String> installed = names(features.listInstalledFeatures());
            installed.retainAll(latest.keySet());
            Map<String, ModuleStatus> schemas = schemas();
            Set<String> wanted = target;
            List<ModuleInfo> modules = new ArrayList<>();
            for (Feature f : latest.values()) {
                String name = f.getName();
                String module = FeatureNames.module(name);
                modules.add(new ModuleInfo(
                        name,
                        module,
                        f.getVersion(),
                        installed.contains(name),
                        wanted.contains(name),
                        f.getDescription(),
                        List.copyOf(graph.dependencies(name)),
                        List.copyOf(graph.requiredBy(name, installed)),
                        installed.contains(name) ? schemas.get(module) : null,
                        changes.latestFor(name).orElse(null)));
            }
            return modules;
        } catch (Exception e) {
            throw new IllegalStateException("Could not list Karaf's features: " + e.getMessage(), e);
        }
    }

    @Override
    public ModuleInfo get(String name) {
        String feature = name == null || name.isBlank() ? "" : FeatureNames.normalise(name);
        return list().stream()
                .filter(m -> m.feature().equals(feature))
                .findFirst()
                .orElseThrow(() -> KaryoException.notFound("module", feature));
    }

    @Override
    public ModuleChange install(Caller caller, Collection<String> names) {
        return accept(caller, names, Operation.INSTALL);
    }

    @Override
    public ModuleChange uninstall(Caller caller, Collection<String> names) {
        return accept(caller, names, Operation.UNINSTALL);
    }

    @Override
    public ModuleChange change(String id) {
        return changes.get(id).orElseThrow(() -> KaryoException.notFound("module change", id));
    }

    @Override
    public ModuleChange await(String id, Duration timeout) throws InterruptedException {
        return changes.await(id, timeout).orElseThrow(() -> KaryoException.notFound("module change", id));
    }

    /** Checks a change now, queues it on the component's thread and returns its state. */
    private ModuleChange accept(Caller caller, Collection<String> names, Operation operation) {
        Objects.requireNonNull(caller, "caller");
        Set<String> asked = names == null ? Set.of() : new TreeSet<>(FeatureNames.normaliseAll(names));
        if (asked.isEmpty()) {
            throw KaryoException.invalid("feature", "name at least one module to " + verb(operation));
        }
        try {
            Feature[] all = features.listFeatures();
            Set<String> domain = domain(all);
            check(asked, operation, domain, FeatureGraph.of(all), installedDomainFeatures(domain));
        } catch (KaryoException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read Karaf's features: " + e.getMessage(), e);
        }
        ModuleChange accepted = new ModuleChange(
                UUID.randomUUID().toString(),
                operation,
                List.copyOf(asked),
                State.QUEUED,
                List.of(),
                List.of(),
                null,
                caller.id(),
                now(),
                null);
        changes.put(accepted);
        LOG.info("Module change {} accepted: {} {} (by {})", accepted.id(), verb(operation), asked, caller.id());
        try {
            executor.execute(() -> run(accepted, caller));
        } catch (RejectedExecutionException e) {
            finish(
                    accepted,
                    State.FAILED,
                    Set.of(),
                    Set.of(),
                    "the platform is stopping: the change did not run",
                    caller);
        }
        return changes.get(accepted.id()).orElse(accepted);
    }

    /**
     * Refuses names that are no domain feature and, for an uninstall, features that an installed feature staying
     * behind needs.
     */
    private static void check(
            Set<String> asked, Operation operation, Set<String> domain, FeatureGraph graph, Set<String> installed) {
        List<String> notModules =
                asked.stream().filter(n -> !domain.contains(n)).toList();
        if (!notModules.isEmpty()) {
            throw KaryoException.invalid(
                    "feature",
                    "not a Karyo module: " + String.join(", ", notModules) + " (known modules: "
                            + FeatureNames.format(domain) + ")");
        }
        if (operation == Operation.UNINSTALL) {
            Map<String, Set<String>> blockers = graph.blockers(asked, installed);
            if (!blockers.isEmpty()) {
                throw needed(blockers);
            }
        }
    }

    /** The refusal of an uninstall: which asked feature is needed by which installed ones. */
    static KaryoException needed(Map<String, Set<String>> blockers) {
        Set<String> needers = new TreeSet<>();
        List<String> reasons = new ArrayList<>();
        blockers.forEach((feature, by) -> {
            needers.addAll(by);
            reasons.add(feature + " is needed by " + String.join(", ", by));
        });
        return new KaryoException(
                Kind.CONFLICT,
                "conflict",
                String.join("; ", reasons) + ": uninstall " + (needers.size() == 1 ? "it" : "them")
                        + " first, or in the same change",
                null,
                Map.of("required_by", List.copyOf(needers)),
                null);
    }

    /** Runs an accepted change on the component's thread, after the changes (and reconciles) before it. */
    private void run(ModuleChange accepted, Caller caller) {
        boolean install = accepted.operation() == Operation.INSTALL;
        Set<String> asked = new TreeSet<>(accepted.features());
        Set<String> toChange = Set.of();
        operations.lock();
        try {
            changes.put(moved(accepted, State.RUNNING));
            Feature[] all = features.listFeatures();
            Set<String> domain = domain(all);
            // what was true when it was accepted may not be any more (a change before it installed a dependent)
            check(asked, accepted.operation(), domain, FeatureGraph.of(all), installedDomainFeatures(domain));
            Set<String> required = requiredDomainFeatures(domain);
            toChange = new TreeSet<>(asked);
            if (install) {
                toChange.removeAll(required);
            } else {
                toChange.retainAll(required);
            }
            Set<String> unchanged = new TreeSet<>(asked);
            unchanged.removeAll(toChange);
            boolean auditedBefore = false;
            if (!install && toChange.contains(AUDIT_FEATURE)) {
                // the audit trail goes away with the change: record it while it is there
                record(caller, done(accepted, State.DONE, toChange, unchanged, null), "uninstalling");
                auditedBefore = true;
            }
            if (!toChange.isEmpty()) {
                LOG.info("Module change {}: {} {}", accepted.id(), install ? "installing" : "uninstalling", toChange);
                change(toChange, install);
            }
            // Feature events write back too; this also covers a change that raises none.
            sync();
            ModuleChange done = done(accepted, State.DONE, toChange, unchanged, null);
            if (!auditedBefore) {
                record(caller, done, null);
            }
            changes.put(done);
            LOG.info(
                    "Module change {} done: {} {}, unchanged {}",
                    done.id(),
                    verb(done.operation()),
                    toChange,
                    unchanged);
        } catch (KaryoException e) {
            finish(accepted, State.FAILED, Set.of(), Set.of(), e.getMessage(), caller);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(accepted, State.FAILED, Set.of(), Set.of(), "interrupted: the platform is stopping", caller);
        } catch (Exception e) {
            LOG.error("Module change {} ({} {}) failed", accepted.id(), verb(accepted.operation()), toChange, e);
            finish(
                    accepted,
                    State.FAILED,
                    Set.of(),
                    Set.of(),
                    "Karaf could not " + verb(accepted.operation()) + " " + String.join(", ", toChange) + ": "
                            + firstLine(e.getMessage()),
                    caller);
        } finally {
            operations.unlock();
        }
    }

    private void finish(
            ModuleChange c, State state, Set<String> changed, Set<String> unchanged, String error, Caller caller) {
        ModuleChange done = done(c, state, changed, unchanged, error);
        record(caller, done, null);
        changes.put(done);
        LOG.warn("Module change {} ({} {}) failed: {}", c.id(), verb(c.operation()), c.features(), error);
    }

    private ModuleChange moved(ModuleChange c, State state) {
        return new ModuleChange(
                c.id(),
                c.operation(),
                c.features(),
                state,
                c.changed(),
                c.unchanged(),
                c.error(),
                c.requestedBy(),
                c.requestedAt(),
                null);
    }

    private ModuleChange done(ModuleChange c, State state, Set<String> changed, Set<String> unchanged, String error) {
        return new ModuleChange(
                c.id(),
                c.operation(),
                c.features(),
                state,
                List.copyOf(changed),
                List.copyOf(unchanged),
                error,
                c.requestedBy(),
                c.requestedAt(),
                now());
    }

    /**
     * One audit entry per asked feature ({@code platform.module.install} or {@code .uninstall}, object {@code module},
     * the feature): the change's id and what it did to that feature ({@code effect}), or {@code effect} when given.
     */
    private void record(Caller caller, ModuleChange c, String effect) {
        AuditTrail trail = audit;
        if (trail == null) {
            LOG.warn(
                    "Module change {} ({} {} by {}) is not in the audit trail: the audit module is not installed",
                    c.id(),
                    verb(c.operation()),
                    c.features(),
                    c.requestedBy());
            return;
        }
        boolean install = c.operation() == Operation.INSTALL;
        String action = "platform.module." + verb(c.operation());
        try {
            for (String feature : c.features()) {
                boolean failed = c.state() == State.FAILED;
                String what = effect != null
                        ? effect
                        : failed
                                ? "failed"
                                : c.changed().contains(feature)
                                        ? (install ? "installed" : "uninstalled")
                                        : (install ? "already installed" : "not installed");
                AuditEvent event = (failed
                                ? AuditEvent.failure(action, "module", feature)
                                : AuditEvent.success(action, "module", feature))
                        .with("change_id", c.id())
                        .with("effect", what);
                trail.record(caller, event);
            }
        } catch (RuntimeException e) {
            LOG.error("Could not record module change {} in the audit trail", c.id(), e);
        }
    }

    private Map<String, ModuleStatus> schemas() {
        ModuleRegistry r = registry;
        Map<String, ModuleStatus> out = new TreeMap<>();
        if (r != null) {
            for (ModuleStatus s : r.modules()) {
                out.putIfAbsent(s.module(), s);
            }
        }
        return out;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String verb(Operation operation) {
        return operation == Operation.INSTALL ? "install" : "uninstall";
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "see the server log";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() <= 500 ? line : line.substring(0, 500) + "...";
    }

    // ---------------------------------------------------------------- helpers

    private static Set<String> domain(Feature[] all) {
        Set<String> domain = names(all);
        domain.removeIf(n -> !FeatureNames.isDomain(n));
        return domain;
    }

    /** The domain features installed now: required ones and those installed because a required one needs them. */
    private Set<String> installedDomainFeatures(Set<String> domain) throws Exception {
        Set<String> installed = names(features.listInstalledFeatures());
        installed.retainAll(domain);
        return installed;
    }

    private Set<String> requiredDomainFeatures(Set<String> domain) throws Exception {
        Set<String> required = new TreeSet<>(names(features.listRequiredFeatures()));
        required.retainAll(domain);
        return required;
    }

    /** After a feature event or a change of this manager's own: the next readiness check lists the features again. */
    private void forgetInstalledNames() {
        featureEvents.incrementAndGet();
        installedNames = null;
    }

    private Set<String> installedNames() throws Exception {
        Set<String> known = installedNames;
        if (known != null) {
            return known;
        }
        long seen = featureEvents.get();
        Set<String> listed = Collections.unmodifiableSet(names(features.listInstalledFeatures()));
        if (featureEvents.get() == seen) {
            installedNames = listed;
        }
        return listed;
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
