-- The format of the search index the rows carry. Format 2 adds range bucket keys (date decades and centuries, number
-- magnitudes: docs/design/fhir.md), which searches use to narrow range conditions only once every row carries them: a
-- store that already holds resources stays at format 1 until a reindex (karyo:fhir-reindex) has rewritten every row.
CREATE TABLE index_format (
    id      integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT index_format_pk PRIMARY KEY (id),
    CONSTRAINT index_format_one CHECK (id = 1)
);
INSERT INTO index_format (id, version)
    SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM resource) THEN 1 ELSE 2 END;
