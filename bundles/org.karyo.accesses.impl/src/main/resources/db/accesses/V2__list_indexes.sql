-- The access list (GET /api/accesses/accesses) pages and counts on the accesses table alone, newest start first.
-- A caller limited to some perimeters: an index-only scan of their nodes' entries, then a top-N sort of the matches.
CREATE INDEX accesses_perimeter_start_idx ON accesses (perimeter_id, start_datetime, id) WHERE deleted_at IS NULL;
-- A caller who manages every node: the page streams from this index (LIMIT n without a sort).
CREATE INDEX accesses_start_idx ON accesses (start_datetime, id) WHERE deleted_at IS NULL;
