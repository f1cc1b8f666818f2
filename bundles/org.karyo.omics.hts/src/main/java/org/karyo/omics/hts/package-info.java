/**
 * Genomic file formats without storage, JPA or REST: BGZF, tabix (.tbi) and CSI indexes, tabix-exact region queries
 * over ranged reads, GA4GH htsget byte ranges, the streaming validation pass of an upload, and Parquet footers.
 */
@Export
@Version("1.1.0")
package org.karyo.omics.hts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
