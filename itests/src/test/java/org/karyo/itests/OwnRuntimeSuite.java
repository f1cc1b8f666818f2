package org.karyo.itests;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The tests that boot a runtime of their own, beside the shared platform's suite ({@link SharedPlatformSuite}): the
 * Pax Exam classes (one Karaf for all of them, {@code PerSuite}) and the black-box tests that kill and restart a
 * private platform.
 */
@Suite
@IncludeEngines({"junit-jupiter", "junit-vintage"})
@SelectPackages("org.karyo.itests.osgi")
@SelectClasses(names = "org.karyo.itests.crash.CrashTest")
public class OwnRuntimeSuite {}
