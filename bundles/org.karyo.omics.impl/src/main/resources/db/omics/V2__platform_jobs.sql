-- Validation runs on the platform's job facility (karyo_jobs.job, type omics.validation, key upload-<id>): the
-- module's own job table goes. An upload keeps the id of its latest validation job.
ALTER TABLE upload ADD COLUMN job_id bigint;

COMMENT ON COLUMN upload.job_id IS 'The latest validation job (karyo_jobs.job, without a foreign key: another module)';

-- the jobs that had ended: their upload keeps its state; their history goes with the table
-- the jobs that had not ended (RECEIVED, VALIDATING): their upload stays COMPLETING without a job_id, and the module
-- submits a platform job for each such upload when it starts (ValidationJob.requeueOrphans)
DROP TABLE job;
