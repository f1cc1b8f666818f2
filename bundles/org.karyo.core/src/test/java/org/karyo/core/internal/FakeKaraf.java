package org.karyo.core.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anySet;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
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
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.FeaturesService.Option;
import org.karyo.api.EnvOverrides;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A Karaf features service and configuration admin, as Mockito mocks with state: features are required by
 * {@code installFeatures} and released by {@code uninstallFeatures}, which raise feature events on the listener
 * after the change like Karaf does; a configuration update is delivered to the manager's {@code @Modified} like SCR
 * does. Everything runs on the test's thread.
 */
final class FakeKaraf {
    final FeaturesService features = mock(FeaturesService.class);
    final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    final Configuration configuration = mock(Configuration.class);

    final Map<String, Feature> repository = new TreeMap<>();
    final Set<String> required = new TreeSet<>();
    /** Features whose installation fails (as when they do not resolve). */
    final Set<String> failing = new HashSet<>();

    final List<Set<String>> installs = new ArrayList<>();
    final List<Set<String>> uninstalls = new ArrayList<>();
    final List<EnumSet<Option>> options = new ArrayList<>();
    final List<String> writes = new ArrayList<>();
    /** The configuration's properties; {@code null} when there is no configuration. */
    Dictionary<String, Object> properties;

    ModuleManager manager;

    FakeKaraf(String... featureNames) throws Exception {
        for (String name : featureNames) {
            add(name);
        }
        required.add("karyo-core");
        when(features.listFeatures()).thenAnswer(i -> repository.values().toArray(new Feature[0]));
        when(features.listRequiredFeatures()).thenAnswer(i -> features(required));
        when(features.listInstalledFeatures()).thenAnswer(i -> features(installed()));
        doAnswer(i -> {
                    install(i.getArgument(0), i.getArgument(1));
                    return null;
                })
                .when(features)
                .installFeatures(anySet(), any());
        doAnswer(i -> {
                    uninstall(i.getArgument(0), i.getArgument(1));
                    return null;
                })
                .when(features)
                .uninstallFeatures(anySet(), any());
        when(configAdmin.getConfiguration(eq(ModuleManager.PID), isNull())).thenReturn(configuration);
        when(configuration.getProperties()).thenAnswer(i -> properties == null ? null : copy(properties));
        doAnswer(i -> {
                    Dictionary<String, Object> p = i.getArgument(0);
                    properties = copy(p);
                    String value = (String) p.get(ModuleManager.KEY);
                    writes.add(value);
                    if (holdEchoes) {
                        heldEchoes.add(value);
                    } else if (manager != null) {
                        manager.configurationChanged(value);
                    }
                    return null;
                })
                .when(configuration)
                .update(any());
        when(configAdmin.getConfiguration(anyString())).thenThrow(new AssertionError("binds the configuration"));
    }

    FakeKaraf add(String name) {
        org.apache.karaf.features.internal.model.Feature f =
                new org.apache.karaf.features.internal.model.Feature(name, "0.1.0.SNAPSHOT");
        f.setDescription("The " + name + " feature");
        repository.put(name, f);
        return this;
    }

    /** Declares that {@code feature} names {@code dependencies} as {@code <feature>} prerequisites. */
    FakeKaraf depends(String feature, String... dependencies) {
        org.apache.karaf.features.internal.model.Feature f =
                (org.apache.karaf.features.internal.model.Feature) repository.get(feature);
        for (String d : dependencies) {
            f.getFeature().add(new org.apache.karaf.features.internal.model.Dependency(d, "0.1.0.SNAPSHOT"));
        }
        return this;
    }

    /** What Karaf has installed: the required features and, recursively, the features they depend on. */
    Set<String> installed() {
        Set<String> out = new TreeSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(required);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            Feature f = repository.get(n);
            if (f != null && out.add(n)) {
                f.getDependencies().forEach(d -> todo.push(d.getName()));
            }
        }
        return out;
    }

    FakeKaraf configured(String features) {
        properties = new Hashtable<>(Map.of("service.pid", ModuleManager.PID, ModuleManager.KEY, features));
        return this;
    }

    FakeKaraf require(String... names) {
        Collections.addAll(required, names);
        return this;
    }

    /** The manager as SCR creates it from the configuration (the default when there is none). */
    ModuleManager start(Map<String, String> env) {
        return start(env, new DirectExecutor());
    }

    /** The manager with its thread replaced by {@code executor}. */
    ModuleManager start(Map<String, String> env, java.util.concurrent.ExecutorService executor) {
        String value = properties == null ? FeatureNames.ALL : (String) properties.get(ModuleManager.KEY);
        manager = new ModuleManager(features, configAdmin, value, EnvOverrides.of(env), executor);
        return manager;
    }

    /** A {@code feature:install} or {@code feature:uninstall} typed on the console. */
    void console(boolean install, String name) throws Exception {
        if (install) {
            features.installFeatures(Set.of(name), EnumSet.noneOf(Option.class));
        } else {
            features.uninstallFeatures(Set.of(name), EnumSet.noneOf(Option.class));
        }
    }

    private boolean holdEchoes;
    private final List<String> heldEchoes = new ArrayList<>();

    /** From now on configuration updates reach @Modified only when {@link #deliverEchoes()} is called (late). */
    FakeKaraf holdEchoes() {
        holdEchoes = true;
        return this;
    }

    /** Delivers the held configuration updates to @Modified, in the order they were written, as SCR would late. */
    void deliverEchoes() {
        holdEchoes = false;
        List<String> late = new ArrayList<>(heldEchoes);
        heldEchoes.clear();
        late.forEach(manager::configurationChanged);
    }

    /** An administrator edits {@code features} in the file: the configuration changes and SCR calls @Modified. */
    void edit(String value) {
        configured(value);
        manager.configurationChanged(value);
    }

    String written() {
        return properties == null ? null : (String) properties.get(ModuleManager.KEY);
    }

    private void install(Set<String> names, EnumSet<Option> opts) throws Exception {
        installs.add(new LinkedHashSet<>(names));
        options.add(opts);
        for (String n : names) {
            if (!repository.containsKey(n)) {
                throw new IllegalArgumentException("No matching features for " + n);
            }
            if (failing.contains(n)) {
                throw new Exception("Unable to resolve " + n);
            }
        }
        Set<String> before = installed();
        required.addAll(names);
        Set<String> added = new TreeSet<>(installed());
        added.removeAll(before);
        fire(added, FeatureEvent.EventType.FeatureInstalled);
    }

    private void uninstall(Set<String> names, EnumSet<Option> opts) {
        uninstalls.add(new LinkedHashSet<>(names));
        options.add(opts);
        for (String n : names) {
            if (!required.contains(n)) {
                throw new IllegalArgumentException("Feature named '" + n + "' is not installed");
            }
        }
        Set<String> before = installed();
        required.removeAll(names);
        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(installed());
        fire(removed, FeatureEvent.EventType.FeatureUninstalled);
    }

    private void fire(Set<String> names, FeatureEvent.EventType type) {
        if (manager != null) {
            for (String n : names) {
                manager.featureEvent(new FeatureEvent(type, repository.get(n), "root", false));
            }
        }
    }

    private Feature[] features(Set<String> names) {
        return names.stream().map(repository::get).filter(f -> f != null).toArray(Feature[]::new);
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> c = new Hashtable<>();
        for (String k : Collections.list(d.keys())) {
            c.put(k, d.get(k));
        }
        return c;
    }

    /** Keeps the tasks until {@link #runAll()}, as the component's one thread would run them later. */
    static final class QueuedExecutor extends AbstractExecutorService {
        private final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.pop().run();
            }
        }

        @Override
        public void execute(Runnable command) {
            tasks.add(command);
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.copyOf(tasks);
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /** Runs each task at once on the caller's thread, so that a reconcile is done when the call returns. */
    static final class DirectExecutor extends AbstractExecutorService {
        private boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
