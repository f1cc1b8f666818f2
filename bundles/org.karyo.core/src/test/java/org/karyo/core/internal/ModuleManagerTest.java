package org.karyo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anySet;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.FeaturesService.Option;
import org.apache.karaf.features.Repository;
import org.apache.karaf.features.RepositoryEvent;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleInfo;

class ModuleManagerTest {
    private static final Map<String, String> NO_ENV = Map.of();
    private static final BootFinished BOOT = new BootFinished() {};

    private static FakeKaraf karaf() throws Exception {
        return new FakeKaraf("karyo-core", "karyo-tp", "karyo-content", "karyo-maintenance", "scr");
    }

    private static ModuleManager booted(FakeKaraf karaf, Map<String, String> env) {
        ModuleManager manager = karaf.start(env);
        manager.setBootFinished(BOOT);
        return manager;
    }

    // ------------------------------------------------------------ reconcile at start

    @Test
    void nothingIsReconciledBeforeKarafsBootFeaturesAreInstalled() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = karaf.start(NO_ENV);

        assertThat(karaf.installs).isEmpty();
        assertThat(manager.ready()).isFalse();
        assertThat(manager.detail()).contains("boot features");

        manager.setBootFinished(BOOT);
        assertThat(karaf.installs).containsExactly(Set.of("karyo-content"));
        assertThat(manager.ready()).isTrue();
        assertThat(manager.detail()).isNull();
    }

    @Test
    void startInstallsTheMissingAndUninstallsTheUndesiredWithoutRefreshingOtherBundles() throws Exception {
        FakeKaraf karaf = karaf().configured("karyo-content").require("karyo-maintenance");
        ModuleManager manager = booted(karaf, NO_ENV);

        assertThat(karaf.installs).containsExactly(Set.of("karyo-content"));
        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-maintenance"));
        assertThat(karaf.options).containsOnly(EnumSet.of(Option.NoAutoRefreshBundles));
        assertThat(karaf.required).containsExactlyInAnyOrder("karyo-core", "karyo-content");
        assertThat(manager.ready()).isTrue();
        assertThat(karaf.writes)
                .as("the reconcile reached the configured state: nothing to write")
                .isEmpty();
    }

    @Test
    void aStartWithEverythingInPlaceChangesNothing() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance").require("karyo-content", "karyo-maintenance");
        ModuleManager manager = booted(karaf, NO_ENV);

        verify(karaf.features, never()).installFeatures(anySet(), any());
        verify(karaf.features, never()).uninstallFeatures(anySet(), any());
        assertThat(karaf.writes).isEmpty();
        assertThat(manager.ready()).isTrue();
    }

    @Test
    void bothSpellingsNameTheSameModule() throws Exception {
        FakeKaraf karaf = karaf().configured("content, karyo-maintenance, karyo-content");
        booted(karaf, NO_ENV);

        assertThat(karaf.installs).containsExactly(Set.of("karyo-content", "karyo-maintenance"));
    }

    @Test
    void anEmptyListUninstallsEveryDomainFeatureAndKeepsThePlatform() throws Exception {
        FakeKaraf karaf = karaf().configured("").require("karyo-content", "karyo-maintenance", "karyo-tp");
        booted(karaf, NO_ENV);

        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-content", "karyo-maintenance"));
        assertThat(karaf.required).containsExactlyInAnyOrder("karyo-core", "karyo-tp");
    }

    @Test
    void withoutAnyConfigurationEveryDomainFeatureIsInstalled() throws Exception {
        FakeKaraf karaf = karaf();
        booted(karaf, NO_ENV);

        assertThat(karaf.installs).containsExactly(Set.of("karyo-content", "karyo-maintenance"));
        assertThat(karaf.writes).isEmpty();
    }

    @Test
    void theEnvironmentWinsOverTheConfiguration() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance").require("karyo-content");
        ModuleManager manager = booted(karaf, Map.of("KARYO_FEATURES", "maintenance"));

        assertThat(karaf.installs).containsExactly(Set.of("karyo-maintenance"));
        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-content"));
        assertThat(manager.ready()).isTrue();
        assertThat(karaf.written())
                .as("the environment's choice is not written into the file")
                .isEqualTo("content, maintenance");
    }

    @Test
    void aBlankEnvironmentVariableLeavesTheConfigurationInCharge() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        booted(karaf, Map.of("KARYO_FEATURES", "  "));

        assertThat(karaf.installs).containsExactly(Set.of("karyo-content"));
    }

    @Test
    void anUnknownNameMakesTheModulesUnreadyAndTheValidOnesAreStillInstalled() throws Exception {
        FakeKaraf karaf = karaf().configured("content, bogus");
        ModuleManager manager = booted(karaf, NO_ENV);

        assertThat(karaf.installs).containsExactly(Set.of("karyo-content"));
        assertThat(manager.ready()).isFalse();
        assertThat(manager.detail()).contains("features").contains("karyo-bogus");
    }

    @Test
    void anUnknownNameInTheEnvironmentIsReportedUnderTheVariablesName() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, Map.of("KARYO_FEATURES", "content, omics"));

        assertThat(manager.ready()).isFalse();
        assertThat(manager.detail()).contains("KARYO_FEATURES").contains("karyo-omics");
    }

    @Test
    void theModulesAreUnreadyWhileADesiredFeatureFailsToInstallAndTheOthersAreInstalled() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance");
        karaf.failing.add("karyo-content");
        ModuleManager manager = booted(karaf, NO_ENV);

        assertThat(karaf.required).contains("karyo-maintenance").doesNotContain("karyo-content");
        assertThat(manager.ready()).isFalse();
        assertThat(manager.detail()).isEqualTo("desired modules not installed: karyo-content");
        assertThat(karaf.writes)
                .as("a failed install is not written back as undesired")
                .isEmpty();
    }

    @Test
    void aRepositoryAddedLaterMakesAnUnknownNameKnownAndInstalled() throws Exception {
        FakeKaraf karaf = karaf().configured("content, omics");
        ModuleManager manager = booted(karaf, NO_ENV);
        assertThat(manager.ready()).isFalse();

        karaf.add("karyo-omics");
        Repository repo = mock(Repository.class);
        when(repo.getURI()).thenReturn(URI.create("mvn:org.karyo/omics/1/xml/features"));
        manager.repositoryEvent(new RepositoryEvent(repo, RepositoryEvent.EventType.RepositoryAdded, false));

        assertThat(karaf.installs).containsExactly(Set.of("karyo-content"), Set.of("karyo-omics"));
        assertThat(manager.ready()).isTrue();
    }

    // ------------------------------------------------------------ write-back

    @Test
    void aConsoleInstallIsWrittenBackOnceAndDoesNotLoop() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);

        karaf.console(true, "karyo-maintenance");

        assertThat(karaf.writes).containsExactly("karyo-content, karyo-maintenance");
        assertThat(karaf.installs)
                .as("the reconcile at start, then the console; the write-back reconciles nothing")
                .containsExactly(Set.of("karyo-content"), Set.of("karyo-maintenance"));
        assertThat(karaf.uninstalls).isEmpty();
        assertThat(manager.ready()).isTrue();
        assertThat(manager.list())
                .filteredOn(ModuleInfo::desired)
                .extracting(ModuleInfo::feature)
                .containsExactly("karyo-content", "karyo-maintenance");
    }

    @Test
    void lateEchoesOfEarlierWriteBacksDoNotUndoLaterChanges() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance");
        ModuleManager manager = booted(karaf, NO_ENV);
        karaf.holdEchoes();

        karaf.console(false, "karyo-maintenance");
        karaf.console(true, "karyo-maintenance");
        karaf.deliverEchoes(); // "karyo-content" arrives after maintenance is back

        assertThat(karaf.writes).containsExactly("karyo-content", "karyo-content, karyo-maintenance");
        assertThat(karaf.uninstalls).as("only the console's").containsExactly(Set.of("karyo-maintenance"));
        assertThat(karaf.installs)
                .as("the reconcile at start, then the console's")
                .hasSize(2);
        assertThat(manager.ready()).isTrue();
    }

    @Test
    void aConsoleUninstallIsWrittenBackAndTheModulesStayReady() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance");
        ModuleManager manager = booted(karaf, NO_ENV);

        karaf.console(false, "karyo-content");

        assertThat(karaf.writes).containsExactly("karyo-maintenance");
        assertThat(karaf.installs).hasSize(1);
        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-content"));
        assertThat(manager.ready()).isTrue();
    }

    @Test
    void theConfigurationIsNotRewrittenWhenNothingChanged() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance").require("karyo-content", "karyo-maintenance");
        ModuleManager manager = booted(karaf, NO_ENV);

        // Karaf replays the installed features when the listener registers; a non-domain feature changes.
        manager.featureEvent(event(karaf, "karyo-content", true));
        manager.featureEvent(
                new FeatureEvent(FeatureEvent.EventType.FeatureInstalled, karaf.repository.get("scr"), "root", false));
        // An event for a domain feature whose state the file already says (same set, other spelling).
        manager.featureEvent(event(karaf, "karyo-content", false));

        assertThat(karaf.writes).isEmpty();
        assertThat(karaf.written()).isEqualTo("content, maintenance");
    }

    @Test
    void aWriteBackCreatesTheConfigurationWhenThereIsNone() throws Exception {
        FakeKaraf karaf = karaf();
        booted(karaf, NO_ENV);

        karaf.console(false, "karyo-maintenance");

        assertThat(karaf.writes).containsExactly("karyo-content");
        assertThat(karaf.installs).hasSize(1);
    }

    @Test
    void unknownNamesStayInTheFileWhenModulesChange() throws Exception {
        FakeKaraf karaf = karaf().configured("content, bogus");
        ModuleManager manager = booted(karaf, NO_ENV);

        karaf.console(true, "karyo-maintenance");

        assertThat(karaf.written()).isEqualTo("karyo-content, karyo-maintenance, karyo-bogus");
        assertThat(karaf.installs).hasSize(2);
        assertThat(manager.detail()).contains("karyo-bogus");
    }

    @Test
    void withTheEnvironmentSetARuntimeChangeIsWrittenBackAndKeptUntilTheNextStart() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        Map<String, String> env = Map.of("KARYO_FEATURES", "content");
        ModuleManager manager = booted(karaf, env);

        karaf.console(true, "karyo-maintenance");

        assertThat(karaf.written()).isEqualTo("karyo-content, karyo-maintenance");
        assertThat(karaf.uninstalls)
                .as("the write-back must not reconcile back to the environment's set")
                .isEmpty();
        assertThat(karaf.required).contains("karyo-maintenance");
        assertThat(manager.ready()).isTrue();

        // The next start: the environment wins again.
        manager.deactivate();
        booted(karaf, env);
        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-maintenance"));
    }

    @Test
    void anEditedConfigurationIsReconciledAndItsEchoIsNot() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance");
        ModuleManager manager = booted(karaf, NO_ENV);

        karaf.edit("maintenance");
        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-content"));
        assertThat(karaf.writes).as("the reconcile reached the edited state").isEmpty();

        karaf.edit("karyo-maintenance");
        assertThat(karaf.installs).hasSize(1);
        assertThat(karaf.uninstalls).hasSize(1);
    }

    @Test
    void withTheEnvironmentSetAnEditedConfigurationChangesNothing() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, Map.of("KARYO_FEATURES", "content"));

        karaf.edit("maintenance");

        assertThat(karaf.installs).hasSize(1);
        assertThat(karaf.uninstalls).isEmpty();
    }

    // ------------------------------------------------------------ the console's service

    @Test
    void installReportsWhatChangedAndWritesBack() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);

        ModuleChange change = manager.install(List.of("maintenance", "karyo-content"));

        assertThat(change.changed()).containsExactly("karyo-maintenance");
        assertThat(change.unchanged()).containsExactly("karyo-content");
        assertThat(karaf.installs).last().isEqualTo(Set.of("karyo-maintenance"));
        assertThat(karaf.options).last().isEqualTo(EnumSet.of(Option.NoAutoRefreshBundles));
        assertThat(karaf.writes).containsExactly("karyo-content, karyo-maintenance");
    }

    @Test
    void uninstallReportsWhatChangedAndWritesBack() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);

        ModuleChange change = manager.uninstall(List.of("content", "maintenance"));

        assertThat(change.changed()).containsExactly("karyo-content");
        assertThat(change.unchanged()).containsExactly("karyo-maintenance");
        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-content"));
        assertThat(karaf.written()).isEmpty();
    }

    @Test
    void anUnknownNameIsRefusedNamingTheFieldAndNothingChanges() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);

        for (String name : List.of("bogus", "core", "tp", "*")) {
            assertThatThrownBy(() -> manager.install(List.of("maintenance", name)))
                    .isInstanceOfSatisfying(KaryoException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.INVALID);
                        assertThat(e.errors()).singleElement().satisfies(f -> {
                            assertThat(f.field()).isEqualTo("feature");
                            assertThat(f.message()).contains(FeatureNames.normalise(name));
                        });
                    });
        }
        assertThatThrownBy(() -> manager.uninstall(List.of())).isInstanceOf(KaryoException.class);
        assertThat(karaf.installs).hasSize(1);
        assertThat(karaf.uninstalls).isEmpty();
        assertThat(karaf.writes).isEmpty();
    }

    @Test
    void aFailedInstallIsReportedWithKarafsReason() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);
        karaf.failing.add("karyo-maintenance");

        assertThatThrownBy(() -> manager.install(List.of("maintenance")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("karyo-maintenance")
                .hasMessageContaining("Unable to resolve");
        assertThat(karaf.writes).isEmpty();
    }

    @Test
    void listShowsEveryDomainFeatureWithItsState() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);

        assertThat(manager.list())
                .containsExactly(
                        new ModuleInfo(
                                "karyo-content", "content", "0.1.0.SNAPSHOT", true, true, "The karyo-content feature"),
                        new ModuleInfo(
                                "karyo-maintenance",
                                "maintenance",
                                "0.1.0.SNAPSHOT",
                                false,
                                false,
                                "The karyo-maintenance feature"));
    }

    @Test
    void theReadinessCheckIsNamedModules() throws Exception {
        assertThat(karaf().start(NO_ENV).name()).isEqualTo("modules");
    }

    private static FeatureEvent event(FakeKaraf karaf, String name, boolean replay) {
        return new FeatureEvent(FeatureEvent.EventType.FeatureInstalled, karaf.repository.get(name), "root", replay);
    }
}
