/**
 * The contract of Karyo's audit module ({@code karyo-audit}): reading the append-only, hash-chained audit trail that
 * every module writes through {@link org.karyo.api.audit.AuditTrail}, and verifying the chain against its signed
 * checkpoints.
 */
@Export
@Version("1.0.0")
package org.karyo.audit.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
