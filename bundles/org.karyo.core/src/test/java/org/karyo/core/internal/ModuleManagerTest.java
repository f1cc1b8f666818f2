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
import java.util.ArrayList;
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
import org.karyo.api.module.ModuleState;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.security.Caller;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.testing.RecordingAuditTrail;

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
    void readinessListsKarafsFeaturesOnceBetweenFeatureEventsAndSeesTheNextEvent() throws Exception {
        FakeKaraf karaf = karaf().configured("content, maintenance");
        karaf.failing.add("karyo-content");
        ModuleManager manager = booted(karaf, NO_ENV);
        org.mockito.Mockito.clearInvocations(karaf.features);

        for (int i = 0; i < 5; i++) {
            assertThat(manager.ready()).isFalse();
            assertThat(manager.detail()).isEqualTo("desired modules not installed: karyo-content");
        }
        verify(karaf.features, org.mockito.Mockito.times(1)).listInstalledFeatures();

        karaf.failing.remove("karyo-content");
        karaf.console(true, "karyo-content");

        assertThat(manager.ready()).as("the install's feature event is seen").isTrue();
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

    // ------------------------------------------------------------ the module service (console and REST)

    /** The domain of a real site: who needs whom, as in Karyo's features repository. */
    private static FakeKaraf site() throws Exception {
        return new FakeKaraf(
                        "karyo-core",
                        "karyo-tp",
                        "karyo-audit",
                        "karyo-auth",
                        "karyo-accesses",
                        "karyo-storage",
                        "karyo-projects",
                        "karyo-omics",
                        "karyo-content")
                .depends("karyo-audit", "karyo-core")
                .depends("karyo-auth", "karyo-audit")
                .depends("karyo-accesses", "karyo-auth")
                .depends("karyo-storage", "karyo-audit")
                .depends("karyo-projects", "karyo-accesses", "karyo-storage")
                .depends("karyo-omics", "karyo-projects")
                .depends("karyo-content", "karyo-audit");
    }

    private static final String EVERYTHING = "audit, auth, accesses, storage, projects, omics, content";

    /** Each audit entry on one line: caller, action, object, outcome and the change's effect. */
    private static List<String> lines(RecordingAuditTrail audit) {
        return audit.entries().stream()
                .map(e -> e.actorId() + " " + e.event().action() + " "
                        + e.event().objectId() + " " + e.event().outcome() + " "
                        + e.event().details().get("effect"))
                .toList();
    }

    private static final Caller OPERATOR = new Caller() {
        @Override
        public String id() {
            return "u-42";
        }

        @Override
        public String getName() {
            return "u-42";
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return true;
        }
    };

    @Test
    void installReportsWhatChangedWritesBackAndIsAudited() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);
        RecordingAuditTrail audit = new RecordingAuditTrail(null);
        manager.setAudit(audit);

        ModuleChange change = manager.install(OPERATOR, List.of("maintenance", "karyo-content"));

        assertThat(change.state()).isEqualTo(ModuleChange.State.DONE);
        assertThat(change.operation()).isEqualTo(ModuleChange.Operation.INSTALL);
        assertThat(change.features()).containsExactly("karyo-content", "karyo-maintenance");
        assertThat(change.changed()).containsExactly("karyo-maintenance");
        assertThat(change.unchanged()).containsExactly("karyo-content");
        assertThat(change.requestedBy()).isEqualTo("u-42");
        assertThat(change.finishedAt()).isNotNull();
        assertThat(karaf.installs).last().isEqualTo(Set.of("karyo-maintenance"));
        assertThat(karaf.options).last().isEqualTo(EnumSet.of(Option.NoAutoRefreshBundles));
        assertThat(karaf.writes).containsExactly("karyo-content, karyo-maintenance");
        assertThat(lines(audit))
                .containsExactly(
                        "u-42 platform.module.install karyo-content SUCCESS already installed",
                        "u-42 platform.module.install karyo-maintenance SUCCESS installed");
        assertThat(audit.entries())
                .allSatisfy(e -> assertThat(e.event().details()).containsEntry("change_id", change.id()));
        assertThat(manager.change(change.id())).isEqualTo(change);
    }

    @Test
    void uninstallReportsWhatChangedWritesBackAndIsAudited() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);
        RecordingAuditTrail audit = new RecordingAuditTrail(null);
        manager.setAudit(audit);

        ModuleChange change = manager.uninstall(OPERATOR, List.of("content", "maintenance"));

        assertThat(change.state()).isEqualTo(ModuleChange.State.DONE);
        assertThat(change.changed()).containsExactly("karyo-content");
        assertThat(change.unchanged()).containsExactly("karyo-maintenance");
        assertThat(karaf.uninstalls).containsExactly(Set.of("karyo-content"));
        assertThat(karaf.written()).isEmpty();
        assertThat(lines(audit))
                .containsExactly(
                        "u-42 platform.module.uninstall karyo-content SUCCESS uninstalled",
                        "u-42 platform.module.uninstall karyo-maintenance SUCCESS not installed");
    }

    @Test
    void aModuleThatInstalledModulesNeedIsRefusedNamingThemAndNothingIsWritten() throws Exception {
        FakeKaraf karaf = site().configured(EVERYTHING);
        ModuleManager manager = booted(karaf, NO_ENV);
        String before = karaf.written();
        int writes = karaf.writes.size();

        assertThatThrownBy(() -> manager.uninstall(OPERATOR, List.of("karyo-accesses")))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.getMessage())
                            .isEqualTo("karyo-accesses is needed by karyo-omics, karyo-projects: uninstall them"
                                    + " first, or in the same change");
                    assertThat(e.extensions()).containsEntry("required_by", List.of("karyo-omics", "karyo-projects"));
                });
        assertThatThrownBy(() -> manager.uninstall(OPERATOR, List.of("audit")))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.getMessage())
                        .startsWith("karyo-audit is needed by karyo-accesses, karyo-auth, karyo-content, karyo-omics,"
                                + " karyo-projects, karyo-storage"));
        assertThat(karaf.uninstalls).isEmpty();
        assertThat(karaf.writes).hasSize(writes);
        assertThat(karaf.written()).isEqualTo(before);
        assertThat(manager.get("accesses").requiredBy()).containsExactly("karyo-omics", "karyo-projects");
        assertThat(manager.get("omics").dependsOn())
                .containsExactly("karyo-accesses", "karyo-audit", "karyo-auth", "karyo-projects", "karyo-storage");
    }

    @Test
    void aModuleMayGoWithTheModulesThatNeedItInOneChange() throws Exception {
        FakeKaraf karaf = site().configured(EVERYTHING);
        ModuleManager manager = booted(karaf, NO_ENV);

        ModuleChange change = manager.uninstall(OPERATOR, List.of("omics", "projects", "accesses"));

        assertThat(change.state()).isEqualTo(ModuleChange.State.DONE);
        assertThat(change.changed()).containsExactly("karyo-accesses", "karyo-omics", "karyo-projects");
        assertThat(karaf.installed()).doesNotContain("karyo-accesses", "karyo-projects", "karyo-omics");
        assertThat(karaf.written()).isEqualTo("karyo-audit, karyo-auth, karyo-content, karyo-storage");
    }

    @Test
    void aPlainFeatureUninstallOfANeededModuleNeverWritesASetThatLacksIt() throws Exception {
        FakeKaraf karaf = site().configured(EVERYTHING);
        ModuleManager manager = booted(karaf, NO_ENV);
        String before = karaf.written();

        karaf.console(false, "karyo-accesses"); // feature:uninstall: Karaf keeps it, karyo-projects needs it

        assertThat(karaf.installed()).contains("karyo-accesses");
        assertThat(karaf.written()).isEqualTo(before);
        assertThat(manager.get("accesses").desired()).isTrue();
        assertThat(manager.ready()).isTrue();
    }

    @Test
    void aDesiredSetThatLacksANeededModuleIsReconciledWithIt() throws Exception {
        FakeKaraf karaf = site().configured("omics");
        ModuleManager manager = booted(karaf, NO_ENV);

        assertThat(karaf.installs)
                .containsExactly(Set.of(
                        "karyo-accesses",
                        "karyo-audit",
                        "karyo-auth",
                        "karyo-omics",
                        "karyo-projects",
                        "karyo-storage"));
        assertThat(karaf.uninstalls).isEmpty();
        assertThat(manager.get("projects").desired()).isTrue();
        assertThat(manager.ready()).isTrue();
    }

    @Test
    void changesRunOneAtATimeInTheOrderTheyWereAcceptedAndAreCheckedAgainWhenTheyRun() throws Exception {
        FakeKaraf karaf = site().configured("audit, auth, accesses, storage, content");
        FakeKaraf.QueuedExecutor queue = new FakeKaraf.QueuedExecutor();
        ModuleManager manager = karaf.start(NO_ENV, queue);
        manager.setBootFinished(BOOT);
        queue.runAll(); // the reconcile at start
        RecordingAuditTrail audit = new RecordingAuditTrail(null);
        manager.setAudit(audit);

        ModuleChange install = manager.install(OPERATOR, List.of("projects"));
        ModuleChange uninstall = manager.uninstall(OPERATOR, List.of("storage")); // nothing needs it yet
        assertThat(install.state()).isEqualTo(ModuleChange.State.QUEUED);
        assertThat(uninstall.state()).isEqualTo(ModuleChange.State.QUEUED);
        assertThat(manager.get("projects").lastChange()).isEqualTo(install);
        assertThat(karaf.installs).hasSize(1);

        queue.runAll();

        assertThat(manager.change(install.id()).state()).isEqualTo(ModuleChange.State.DONE);
        ModuleChange refused = manager.change(uninstall.id());
        assertThat(refused.state()).isEqualTo(ModuleChange.State.FAILED);
        assertThat(refused.error())
                .isEqualTo("karyo-storage is needed by karyo-projects: uninstall it first, or in the" + " same change");
        assertThat(karaf.installed()).contains("karyo-storage", "karyo-projects");
        assertThat(lines(audit))
                .containsExactly(
                        "u-42 platform.module.install karyo-projects SUCCESS installed",
                        "u-42 platform.module.uninstall karyo-storage FAILURE failed");
        assertThat(manager.await(uninstall.id(), java.time.Duration.ZERO)).isEqualTo(refused);
    }

    @Test
    void theUninstallOfTheAuditModuleIsRecordedBeforeTheTrailGoes() throws Exception {
        FakeKaraf karaf = site().configured("audit");
        ModuleManager manager = booted(karaf, NO_ENV);
        List<String> order = new ArrayList<>();
        manager.setAudit((caller, event) -> order.add("audit " + event.details().get("effect")));
        doAnswerUninstall(karaf, order);

        ModuleChange change = manager.uninstall(OPERATOR, List.of("audit"));

        assertThat(change.state()).isEqualTo(ModuleChange.State.DONE);
        assertThat(order).containsExactly("audit uninstalling", "karaf uninstalls [karyo-audit]");
    }

    private static void doAnswerUninstall(FakeKaraf karaf, List<String> order) throws Exception {
        org.mockito.Mockito.doAnswer(i -> {
                    order.add("karaf uninstalls " + i.getArgument(0));
                    karaf.required.removeAll(i.<Set<String>>getArgument(0));
                    return null;
                })
                .when(karaf.features)
                .uninstallFeatures(anySet(), any());
    }

    @Test
    void withoutTheAuditModuleAChangeStillRuns() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);

        assertThat(manager.install(OPERATOR, List.of("maintenance")).state()).isEqualTo(ModuleChange.State.DONE);
    }

    @Test
    void anUnknownNameIsRefusedNamingTheFieldAndNothingChanges() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);

        for (String name : List.of("bogus", "core", "tp", "*")) {
            assertThatThrownBy(() -> manager.install(OPERATOR, List.of("maintenance", name)))
                    .isInstanceOfSatisfying(KaryoException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.INVALID);
                        assertThat(e.errors()).singleElement().satisfies(f -> {
                            assertThat(f.field()).isEqualTo("feature");
                            assertThat(f.message()).contains(FeatureNames.normalise(name));
                        });
                    });
        }
        assertThatThrownBy(() -> manager.uninstall(OPERATOR, List.of())).isInstanceOf(KaryoException.class);
        assertThatThrownBy(() -> manager.get("bogus"))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> manager.change("no-such-change"))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(karaf.installs).hasSize(1);
        assertThat(karaf.uninstalls).isEmpty();
        assertThat(karaf.writes).isEmpty();
    }

    @Test
    void aFailedInstallIsAFailedChangeWithKarafsReasonAndIsAudited() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);
        RecordingAuditTrail audit = new RecordingAuditTrail(null);
        manager.setAudit(audit);
        karaf.failing.add("karyo-maintenance");

        ModuleChange change = manager.install(OPERATOR, List.of("maintenance"));

        assertThat(change.state()).isEqualTo(ModuleChange.State.FAILED);
        assertThat(change.error()).contains("karyo-maintenance").contains("Unable to resolve");
        assertThat(karaf.writes).isEmpty();
        assertThat(lines(audit)).containsExactly("u-42 platform.module.install karyo-maintenance FAILURE failed");
    }

    @Test
    void listShowsEveryDomainFeatureWithItsStateSchemaAndLastChange() throws Exception {
        FakeKaraf karaf = karaf().configured("content");
        ModuleManager manager = booted(karaf, NO_ENV);
        ModuleStatus schema = new ModuleStatus(
                "content", "org.karyo.content.impl", ModuleState.ACTIVE, "1", null, java.time.Instant.EPOCH);
        manager.setRegistry(() -> List.of(schema));
        ModuleChange change = manager.install(OPERATOR, List.of("content"));

        assertThat(manager.list())
                .containsExactly(
                        new ModuleInfo(
                                "karyo-content",
                                "content",
                                "0.1.0.SNAPSHOT",
                                true,
                                true,
                                "The karyo-content feature",
                                List.of(),
                                List.of(),
                                schema,
                                change),
                        new ModuleInfo(
                                "karyo-maintenance",
                                "maintenance",
                                "0.1.0.SNAPSHOT",
                                false,
                                false,
                                "The karyo-maintenance feature",
                                List.of(),
                                List.of(),
                                null,
                                null));
    }

    @Test
    void theReadinessCheckIsNamedModules() throws Exception {
        assertThat(karaf().start(NO_ENV).name()).isEqualTo("modules");
    }

    private static FeatureEvent event(FakeKaraf karaf, String name, boolean replay) {
        return new FeatureEvent(FeatureEvent.EventType.FeatureInstalled, karaf.repository.get(name), "root", replay);
    }
}
