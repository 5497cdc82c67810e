-- Every signed version of a note, exactly as signed: returning a note to its author for
-- changes and signing it again replaces notes.content, but each signature's content_sha256
-- still finds its content here. Append-only.
CREATE TABLE signed_versions (
    id             INTEGER PRIMARY KEY,
    note_id        INTEGER NOT NULL REFERENCES notes(id),
    content        TEXT    NOT NULL CHECK (json_valid(content)),
    content_sha256 TEXT    NOT NULL,
    signed_at      TEXT    NOT NULL,
    UNIQUE (note_id, content_sha256)
);

CREATE TRIGGER signed_versions_no_update BEFORE UPDATE ON signed_versions
BEGIN
    SELECT RAISE(ABORT, 'signed versions are immutable');
END;
CREATE TRIGGER signed_versions_no_delete BEFORE DELETE ON signed_versions
BEGIN
    SELECT RAISE(ABORT, 'signed versions are immutable');
END;

-- The version each note holds now (earlier versions of notes returned before this migration
-- were overwritten and cannot be recovered).
INSERT OR IGNORE INTO signed_versions (note_id, content, content_sha256, signed_at)
SELECT id, content, content_sha256, COALESCE(signed_at, updated_at)
  FROM notes WHERE content_sha256 IS NOT NULL;
