package org.karyo.itests.rights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import org.junit.jupiter.api.Test;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.itests.support.Distribution;

/**
 * The build-time gate: every REST method of every Karyo module declares the right it needs or that it is public.
 * The platform refuses undeclared methods at runtime as well; this test makes the omission a build failure.
 */
class DeclaredRightsTest {

    @javax.ws.rs.Path("samples")
    public static class Sample {
        @GET
        @Public
        public String read() {
            return "";
        }

        @POST
        @RequiresRight("sample.manage")
        public String write() {
            return "";
        }

        @DELETE
        public void forgotten() {}

        @javax.ws.rs.Path("sub")
        @Public
        public Object locator() {
            return new Object();
        }

        public void notAResourceMethod() {}
    }

    @Test
    void theScannerFindsUndeclaredMethodsAndLocatorsAndNothingElse() {
        assertThat(RightsScanner.undeclared(Sample.class))
                .containsExactlyInAnyOrder(
                        Sample.class.getName() + "#forgotten",
                        Sample.class.getName() + "#locator (sub-resource locator)");
    }

    @Test
    void everyResourceMethodOfTheDistributionDeclaresWhatItNeeds() throws Exception {
        List<Path> jars = RightsScanner.restBundles(Distribution.root());
        assertThat(jars)
                .extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.startsWith("org.karyo.rest-"))
                .anyMatch(n -> n.startsWith("org.karyo.content.rest-"))
                .anyMatch(n -> n.startsWith("org.karyo.maintenance.rest-"));
        List<Class<?>> resources = RightsScanner.resourceClasses(jars, RightsScanner.karyoBundles(Distribution.root()));
        assertThat(resources).hasSizeGreaterThanOrEqualTo(4);
        List<String> undeclared = new ArrayList<>();
        resources.forEach(c -> undeclared.addAll(RightsScanner.undeclared(c)));
        assertThat(undeclared)
                .as("resource methods without @RequiresRight or @Public")
                .isEmpty();
    }
}
