/**
 * Health and readiness: {@code /api/health} and its detail (the database, the modules, the readiness checks), the
 * readiness check that every resource of the {@code karyo} application is served, and the one line that announces
 * the platform ready. Internal to this bundle: not exported.
 */
package org.karyo.rest.internal.health;
