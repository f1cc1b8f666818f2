package org.karyo.rest.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RestReadinessTest {

    private final AtomicLong now = new AtomicLong();
    private final List<RestReadiness.Registered> registered = new ArrayList<>();
    private Set<Long> served = new HashSet<>();
    private final Map<Long, Integer> failed = new HashMap<>();
    private final List<String> reregistered = new ArrayList<>();
    private final RestReadiness check = new RestReadiness(
            new RestReadiness.Source() {
                @Override
                public List<RestReadiness.Registered> registered() {
                    return registered;
                }

                @Override
                public Set<Long> served() {
                    return served;
                }

                @Override
                public Map<Long, Integer> failed() {
                    return failed;
                }

                @Override
                public boolean reregister(RestReadiness.Registered resource) {
                    reregistered.add(resource.component());
                    return true;
                }
            },
            now::get);

    /** Ends the boot: every registered resource (here: none yet) is served at one evaluation. */
    private void booted() {
        assertThat(check.ready()).isTrue();
        now.addAndGet(RestReadiness.CACHE.toNanos());
    }

    @Test
    void atBootARegisteredResourceNotServedYetIsNotReadyAtOnce() {
        registered.add(new RestReadiness.Registered(
                7, "ContentResource", "org.karyo.content.rest", "org.karyo.content.rest.internal.ContentResource"));
        registered.add(new RestReadiness.Registered(8, "HealthResource", "org.karyo.rest", null));
        served.add(8L);

        assertThat(check.detail())
                .as("no grace before every resource was served once")
                .isEqualTo("REST resource ContentResource (org.karyo.content.rest) is not served");

        served.add(7L);
        now.addAndGet(RestReadiness.CACHE.toNanos());
        assertThat(check.ready()).isTrue();

        served.remove(7L);
        now.addAndGet(RestReadiness.CACHE.toNanos());
        assertThat(check.ready())
                .as("after the boot, a resource left out gets the grace (an application rebuilt at an install)")
                .isTrue();
    }

    @Test
    void aResourceLeftOutPastTheGraceIsNamedWithTheWhiteboardsReason() {
        booted();
        registered.add(new RestReadiness.Registered(
                7, "ContentResource", "org.karyo.content.rest", "org.karyo.content.rest.internal.ContentResource"));
        registered.add(new RestReadiness.Registered(8, "HealthResource", "org.karyo.rest", null));
        served.add(8L);
        failed.put(7L, 3);

        assertThat(check.ready())
                .as("within the grace a rebuilding application is not a failure")
                .isTrue();
        now.addAndGet(RestReadiness.GRACE.toNanos());

        assertThat(check.ready()).isFalse();
        assertThat(check.detail())
                .isEqualTo("REST resource ContentResource (org.karyo.content.rest) is not served"
                        + " (JAX-RS whiteboard failure reason 3)");

        served.add(7L);
        assertThat(check.ready()).as("one evaluation is reused for a second").isFalse();
        now.addAndGet(RestReadiness.CACHE.toNanos());
        assertThat(check.ready()).as("served again").isTrue();
    }

    @Test
    void aResourceThatComesBackStartsANewGrace() {
        booted();
        registered.add(new RestReadiness.Registered(
                7, "ContentResource", "org.karyo.content.rest", "org.karyo.content.rest.internal.ContentResource"));
        check.ready();
        now.addAndGet(RestReadiness.GRACE.toNanos() / 2);
        served.add(7L);
        assertThat(check.ready()).isTrue();
        served.clear();
        now.addAndGet(RestReadiness.GRACE.toNanos() / 2 + 1);
        assertThat(check.ready()).as("missing again only just now").isTrue();
        now.addAndGet(RestReadiness.GRACE.toNanos());
        assertThat(check.detail()).startsWith("REST resource ContentResource");
    }

    @Test
    void aResourceLeftOutForLongIsRegisteredAgainOnce() {
        booted();
        registered.add(new RestReadiness.Registered(
                7, "ContentResource", "org.karyo.content.rest", "org.karyo.content.rest.internal.ContentResource"));
        check.ready();
        now.addAndGet(RestReadiness.REREGISTER_AFTER.toNanos());

        assertThat(check.ready()).as("given its new registration's chance").isTrue();
        assertThat(reregistered).containsExactly("org.karyo.content.rest.internal.ContentResource");

        now.addAndGet(RestReadiness.REREGISTER_AFTER.toNanos());
        assertThat(check.ready())
                .as("still left out: reported, not registered again")
                .isFalse();
        assertThat(reregistered).hasSize(1);
    }

    @Test
    void noRuntimeIsNotReady() {
        served = null;
        assertThat(check.detail()).isEqualTo("no JAX-RS runtime answers yet");
    }

    @Test
    void onlyResourcesOfTheKaryoApplicationCount() {
        assertThat(RestReadiness.selectsKaryo("(osgi.jaxrs.name=karyo)")).isTrue();
        assertThat(RestReadiness.selectsKaryo(new String[] {"(osgi.jaxrs.name=karyo)"}))
                .isTrue();
        assertThat(RestReadiness.selectsKaryo("(osgi.jaxrs.name=.default)")).isFalse();
        assertThat(RestReadiness.selectsKaryo(null)).isFalse();
    }
}
