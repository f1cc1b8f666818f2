package org.karyo.itests;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The black-box tests on the one shared platform ({@link org.karyo.itests.support.SharedPlatform}): every JUnit 5 test
 * class of this module but those that boot a platform of their own ({@link OwnRuntimeSuite}). The classes run
 * concurrently (see {@code junit-platform.properties}); one that changes what every other test sees, such as a
 * maintenance phase, is {@code @Isolated}.
 *
 * <p>Surefire runs this suite and {@link OwnRuntimeSuite} in two JVMs at the same time.
 */
@Suite
@IncludeEngines("junit-jupiter")
@SelectPackages("org.karyo.itests")
@ExcludeClassNamePatterns({".*\\.CrashTest"})
public class SharedPlatformSuite {}
