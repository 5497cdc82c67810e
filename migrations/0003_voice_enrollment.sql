-- A clinician's enrolled voice for speaker attribution: the speaker embedding (CAM++, 192
-- little-endian f32) of about 30 seconds of their speech. In a session recording the speaker
-- nearest it is the therapist. Embeddings of one model only compare with that model's, so the
-- model is kept with it. One enrolment per user; enrolling again replaces it.
CREATE TABLE voice_enrollments (
    user_id        INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    model          TEXT    NOT NULL,
    embedding      BLOB    NOT NULL CHECK (length(embedding) = 768),
    speech_seconds REAL    NOT NULL CHECK (speech_seconds > 0),
    created_at     TEXT    NOT NULL
);

-- How a diarized session's speakers were attributed (`diarize::SpeakerAttribution` as JSON:
-- enrolled or inferred roles, speakers found, the speaker of each segment); NULL for
-- dictations and transcripts made without diarization.
ALTER TABLE transcripts ADD COLUMN speaker_attribution TEXT
    CHECK (speaker_attribution IS NULL OR json_valid(speaker_attribution));
