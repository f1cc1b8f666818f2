package org.karyo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureNamesTest {

    @Test
    void aModuleNameAndItsFeatureNameAreTheSameFeature() {
        assertThat(FeatureNames.normalise("content")).isEqualTo("karyo-content");
        assertThat(FeatureNames.normalise("karyo-content")).isEqualTo("karyo-content");
        assertThat(FeatureNames.normalise("  Karyo-Content ")).isEqualTo("karyo-content");
        assertThat(FeatureNames.normalise("*")).isEqualTo("*");
    }

    @Test
    void aListIsSplitOnCommasWithBlanksAndDuplicatesDropped() {
        assertThat(FeatureNames.parse("maintenance, karyo-content, ,content,"))
                .containsExactly("karyo-maintenance", "karyo-content");
        assertThat(FeatureNames.parse("")).isEmpty();
        assertThat(FeatureNames.parse("  ")).isEmpty();
        assertThat(FeatureNames.parse(null)).isEmpty();
    }

    @Test
    void domainFeaturesAreKaryoFeaturesOtherThanThePlatformsOwn() {
        assertThat(FeatureNames.isDomain("karyo-content")).isTrue();
        assertThat(FeatureNames.isDomain("karyo-maintenance")).isTrue();
        assertThat(FeatureNames.isDomain("karyo-core")).isFalse();
        assertThat(FeatureNames.isDomain("karyo-tp")).isFalse();
        assertThat(FeatureNames.isDomain("karyo-")).isFalse();
        assertThat(FeatureNames.isDomain("scr")).isFalse();
        assertThat(FeatureNames.isDomain("cxf-karyo-content")).isFalse();
    }

    @Test
    void theModuleIsTheFeatureWithoutItsPrefix() {
        assertThat(FeatureNames.module("karyo-content")).isEqualTo("content");
    }

    @Test
    void writtenValuesAreSorted() {
        assertThat(FeatureNames.format(List.of("karyo-maintenance", "karyo-content")))
                .isEqualTo("karyo-content, karyo-maintenance");
        assertThat(FeatureNames.format(List.of())).isEmpty();
    }
}
