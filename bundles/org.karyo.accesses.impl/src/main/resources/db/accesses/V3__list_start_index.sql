-- The newest-first page of a caller limited to some perimeters streams backwards from the start index and skips the
-- entries of other perimeters. With perimeter_id in the index, that check reads the index alone instead of visiting
-- each skipped row in the table (a page of 20 among 991 matches of 10,000 rows: 269 buffers read before, 5 after).
DROP INDEX accesses_start_idx;
CREATE INDEX accesses_start_idx ON accesses (start_datetime, id) INCLUDE (perimeter_id) WHERE deleted_at IS NULL;
