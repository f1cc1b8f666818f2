/**
 * The contract of Karyo's omics module: genomic files (VCF, BED, BCF, Parquet) of a project, uploaded in parts
 * (through Karyo or straight to object storage), validated in one streaming pass by a background job, stored with
 * their index and the metadata extracted at upload, queried by region (tabix semantics), served to GA4GH htsget
 * clients and downloaded whole through short-lived presigned URLs.
 *
 * <p>Three services share the work: {@link org.karyo.omics.api.UploadService} (the upload protocol and its validation
 * jobs), {@link org.karyo.omics.api.ArtifactService} (artifacts as records) and
 * {@link org.karyo.omics.api.ArtifactDataService} (region queries, htsget, downloads). Every method takes the caller
 * and checks its rights on the project the object belongs to; a caller who may not see the object gets
 * {@link org.karyo.api.Kind#NOT_FOUND}.
 */
@Export
@Version("2.1.0")
package org.karyo.omics.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
