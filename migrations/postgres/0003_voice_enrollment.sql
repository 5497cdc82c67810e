-- A clinician's enrolled voice, PostgreSQL: as ../0003_voice_enrollment.sql.
CREATE TABLE voice_enrollments (
    user_id        BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    model          TEXT   NOT NULL,
    embedding      BYTEA  NOT NULL CHECK (octet_length(embedding) = 768),
    speech_seconds DOUBLE PRECISION NOT NULL CHECK (speech_seconds > 0),
    created_at     TEXT   NOT NULL
);

ALTER TABLE transcripts ADD COLUMN speaker_attribution TEXT
    CHECK (speaker_attribution IS NULL OR json_valid(speaker_attribution));
