-- Noted foundation schema: users and sign-in, the clinical chart (clients, versioned treatment
-- plans, measures, safety flags, therapy sessions), the tables later stages fill (recordings,
-- transcripts, drafts, notes, signatures, addenda) and the append-only, hash-chained audit log.
--
-- Conventions: timestamps are TEXT in UTC, `YYYY-MM-DDTHH:MM:SSZ` (sortable as text); calendar
-- dates are TEXT `YYYY-MM-DD`; JSON documents are TEXT checked with json_valid(); booleans are
-- INTEGER 0/1. Sign-in bookkeeping (auth_sessions, login_attempts) uses INTEGER unix seconds.
-- Clinical rows are never deleted by the application; corrections are new rows or versions.

-- ---------------------------------------------------------------------------------------------
-- People and sign-in
-- ---------------------------------------------------------------------------------------------

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL CHECK (role IN ('clinician', 'supervisor', 'admin')),
    -- The supervisor of a clinician under supervision (notes go to co-signature).
    supervisor_id INTEGER REFERENCES users(id),
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT    NOT NULL,
    CHECK (supervisor_id IS NULL OR supervisor_id <> id)
);

-- Server-side sign-in sessions. Only the SHA-256 of the cookie token is stored.
CREATE TABLE auth_sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    remote_addr  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX auth_sessions_user ON auth_sessions(user_id);

-- Personal API tokens (`Authorization: Bearer`). Only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    label        TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- Sign-in attempts, for rate limiting per account and per address.
CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY,
    email       TEXT    NOT NULL COLLATE NOCASE,
    remote_addr TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    success     INTEGER NOT NULL CHECK (success IN (0, 1))
);
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_addr ON login_attempts(remote_addr, at);

-- ---------------------------------------------------------------------------------------------
-- The chart
-- ---------------------------------------------------------------------------------------------

CREATE TABLE clients (
    id                             INTEGER PRIMARY KEY,
    clinician_id                   INTEGER NOT NULL REFERENCES users(id),
    full_name                      TEXT    NOT NULL,
    date_of_birth                  TEXT    NOT NULL,
    phone                          TEXT    NOT NULL DEFAULT '',
    email                          TEXT    NOT NULL DEFAULT '',
    address                        TEXT    NOT NULL DEFAULT '',
    insurance_provider             TEXT    NOT NULL DEFAULT '',
    insurance_member_id            TEXT    NOT NULL DEFAULT '',
    emergency_contact_name         TEXT    NOT NULL DEFAULT '',
    emergency_contact_relationship TEXT    NOT NULL DEFAULT '',
    emergency_contact_phone        TEXT    NOT NULL DEFAULT '',
    medical_history                TEXT    NOT NULL DEFAULT '',
    created_at                     TEXT    NOT NULL,
    updated_at                     TEXT    NOT NULL
);
CREATE INDEX clients_clinician ON clients(clinician_id);

-- Therapy sessions (appointments that took place or are scheduled).
CREATE TABLE therapy_sessions (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES clients(id),
    clinician_id     INTEGER NOT NULL REFERENCES users(id),
    session_date     TEXT    NOT NULL,
    start_time       TEXT,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
    modality         TEXT    NOT NULL CHECK (modality IN ('in_person', 'video', 'phone', 'other')),
    status           TEXT    NOT NULL DEFAULT 'completed'
                             CHECK (status IN ('scheduled', 'completed', 'cancelled', 'no_show')),
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX therapy_sessions_client ON therapy_sessions(client_id, session_date);

-- Treatment plans: one row per version; a change is a new version, old versions are kept.
-- `document` is the whole plan (presenting problems, assessment summary, SMART goals with
-- stable ids, interventions linked to goals, progress entries, follow-up) as validated JSON;
-- see src/chart/plan.rs for its typed shape.
CREATE TABLE plan_versions (
    id             INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES clients(id),
    version        INTEGER NOT NULL CHECK (version >= 1),
    document       TEXT    NOT NULL CHECK (json_valid(document)),
    author_id      INTEGER NOT NULL REFERENCES users(id),
    created_at     TEXT    NOT NULL,
    reason         TEXT    NOT NULL DEFAULT '',
    -- Provenance: the note whose accepted plan updates produced this version, if any.
    source_note_id INTEGER REFERENCES notes(id),
    UNIQUE (client_id, version)
);

CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'plan versions are immutable: save a new version');
END;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'plan versions are immutable: history is kept');
END;

-- Standardised measures with item-level answers and computed scores.
CREATE TABLE measures (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    instrument  TEXT    NOT NULL CHECK (instrument IN ('phq9', 'gad7', 'cbi')),
    answers     TEXT    NOT NULL CHECK (json_valid(answers)),
    -- PHQ-9/GAD-7 total; NULL for the CBI (scored per subscale).
    total       REAL,
    -- PHQ-9/GAD-7 severity band; NULL for the CBI.
    band        TEXT,
    -- CBI subscales: {"personal": {"score": 62.5, "band": "moderate"}, ...}; '{}' otherwise.
    subscales   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(subscales)),
    measured_on TEXT    NOT NULL,
    -- Stable id of the plan goal this score is evidence for, if any.
    goal_id     TEXT,
    entered_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT    NOT NULL
);
CREATE INDEX measures_client ON measures(client_id, instrument, measured_on);

-- Safety flags on the chart (e.g. PHQ-9 item 9 > 0) that a clinician must acknowledge.
CREATE TABLE safety_flags (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    kind            TEXT    NOT NULL,            -- 'phq9_item9', later e.g. 'draft_risk'
    measure_id      INTEGER REFERENCES measures(id),
    note_id         INTEGER REFERENCES notes(id),
    draft_id        INTEGER REFERENCES drafts(id),
    detail          TEXT    NOT NULL DEFAULT '', -- no free text from the client: a fixed reason
    raised_at       TEXT    NOT NULL,
    raised_by       INTEGER REFERENCES users(id),
    acknowledged_by INTEGER REFERENCES users(id),
    acknowledged_at TEXT,
    ack_comment     TEXT    NOT NULL DEFAULT '',
    CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
CREATE INDEX safety_flags_client ON safety_flags(client_id);

-- ---------------------------------------------------------------------------------------------
-- Audio, transcripts, drafts, notes (filled by the transcription, drafting and review stages)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE recordings (
    id                 INTEGER PRIMARY KEY,
    client_id          INTEGER NOT NULL REFERENCES clients(id),
    therapy_session_id INTEGER REFERENCES therapy_sessions(id),
    kind               TEXT    NOT NULL CHECK (kind IN ('session', 'dictation')),
    -- Path of the audio under the data directory; the file is gone once deleted_at is set.
    path               TEXT    NOT NULL,
    mime_type          TEXT    NOT NULL DEFAULT '',
    size_bytes         INTEGER NOT NULL DEFAULT 0,
    duration_seconds   REAL,
    keep_audio         INTEGER NOT NULL DEFAULT 0 CHECK (keep_audio IN (0, 1)),
    status             TEXT    NOT NULL DEFAULT 'uploaded'
                       CHECK (status IN ('uploaded', 'queued', 'transcribing', 'transcribed',
                                         'failed', 'cancelled')),
    error              TEXT,
    uploaded_by        INTEGER NOT NULL REFERENCES users(id),
    created_at         TEXT    NOT NULL,
    deleted_at         TEXT
);
CREATE INDEX recordings_client ON recordings(client_id);

CREATE TABLE transcripts (
    id              INTEGER PRIMARY KEY,
    recording_id    INTEGER REFERENCES recordings(id),
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    model           TEXT    NOT NULL,
    language        TEXT    NOT NULL DEFAULT 'en',
    audio_seconds   REAL    NOT NULL DEFAULT 0,
    elapsed_seconds REAL    NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL
);
CREATE INDEX transcripts_client ON transcripts(client_id);
CREATE INDEX transcripts_recording ON transcripts(recording_id);

-- Segments as whisper produced them; corrections go to transcript_segment_edits.
CREATE TABLE transcript_segments (
    id             INTEGER PRIMARY KEY,
    transcript_id  INTEGER NOT NULL REFERENCES transcripts(id),
    seg_index      INTEGER NOT NULL,   -- the Segment.id the draft cites
    start_s        REAL    NOT NULL,
    end_s          REAL    NOT NULL,
    speaker        TEXT    NOT NULL DEFAULT 'unknown' CHECK (speaker IN ('therapist', 'client', 'unknown')),
    text           TEXT    NOT NULL,
    avg_logprob    REAL    NOT NULL DEFAULT 0,
    no_speech_prob REAL    NOT NULL DEFAULT 0,
    UNIQUE (transcript_id, seg_index),
    CHECK (end_s >= start_s)
);

CREATE TRIGGER transcript_segments_original_kept BEFORE UPDATE OF text, speaker, start_s, end_s
ON transcript_segments
BEGIN
    SELECT RAISE(ABORT, 'transcript segments keep the original: record an edit instead');
END;

CREATE TABLE transcript_segment_edits (
    id         INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES transcript_segments(id),
    text       TEXT    NOT NULL,
    speaker    TEXT    NOT NULL CHECK (speaker IN ('therapist', 'client', 'unknown')),
    edited_by  INTEGER NOT NULL REFERENCES users(id),
    edited_at  TEXT    NOT NULL
);
CREATE INDEX transcript_segment_edits_segment ON transcript_segment_edits(segment_id, id);

-- The current text and speaker of each segment: the latest edit, else the original.
CREATE VIEW transcript_segments_current AS
SELECT s.id, s.transcript_id, s.seg_index, s.start_s, s.end_s,
       COALESCE(e.speaker, s.speaker) AS speaker,
       COALESCE(e.text, s.text)       AS text,
       s.text                         AS original_text,
       s.speaker                      AS original_speaker,
       s.avg_logprob, s.no_speech_prob,
       (e.id IS NOT NULL)             AS edited
FROM transcript_segments s
LEFT JOIN transcript_segment_edits e
       ON e.id = (SELECT MAX(id) FROM transcript_segment_edits WHERE segment_id = s.id);

-- Model drafts. `content` is the draft exactly as the model produced it (kept); `edited` holds
-- the clinician's working copy while reviewing.
CREATE TABLE drafts (
    id                 INTEGER PRIMARY KEY,
    client_id          INTEGER NOT NULL REFERENCES clients(id),
    therapy_session_id INTEGER REFERENCES therapy_sessions(id),
    transcript_id      INTEGER REFERENCES transcripts(id),
    format             TEXT    NOT NULL,           -- 'soap' | 'dap' | 'birp' | ...
    content            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(content)),
    edited             TEXT    CHECK (edited IS NULL OR json_valid(edited)),
    model              TEXT    NOT NULL DEFAULT '',
    model_sha256       TEXT    NOT NULL DEFAULT '',
    prompt_version     TEXT    NOT NULL DEFAULT '',
    provenance         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(provenance)),
    state              TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (state IN ('pending', 'drafting', 'ready', 'in_review', 'signed',
                                        'discarded', 'failed')),
    error              TEXT,
    created_by         INTEGER NOT NULL REFERENCES users(id),
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX drafts_client ON drafts(client_id);

-- Progress notes. Once signed (or amended) a note row is immutable except for the single
-- state change signed -> amended when an addendum is appended (see triggers below).
CREATE TABLE notes (
    id                 INTEGER PRIMARY KEY,
    client_id          INTEGER NOT NULL REFERENCES clients(id),
    therapy_session_id INTEGER REFERENCES therapy_sessions(id),
    draft_id           INTEGER REFERENCES drafts(id),
    author_id          INTEGER NOT NULL REFERENCES users(id),
    format             TEXT    NOT NULL,
    state              TEXT    NOT NULL DEFAULT 'draft'
                       CHECK (state IN ('draft', 'in_review', 'awaiting_cosign', 'signed', 'amended')),
    content            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(content)),
    -- SHA-256 of the canonical JSON of `content` at signature.
    content_sha256     TEXT,
    -- Supervisor comments when a co-signature is returned.
    review_comment     TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    signed_at          TEXT
);
CREATE INDEX notes_client ON notes(client_id);
CREATE INDEX notes_session ON notes(therapy_session_id);

-- Signed notes: the only permitted change is state signed -> amended (or amended -> amended),
-- with every other column unchanged.
CREATE TRIGGER notes_signed_immutable BEFORE UPDATE ON notes
WHEN OLD.state IN ('signed', 'amended')
 AND NOT (NEW.state = 'amended'
          AND NEW.id IS OLD.id
          AND NEW.client_id IS OLD.client_id
          AND NEW.therapy_session_id IS OLD.therapy_session_id
          AND NEW.draft_id IS OLD.draft_id
          AND NEW.author_id IS OLD.author_id
          AND NEW.format IS OLD.format
          AND NEW.content IS OLD.content
          AND NEW.content_sha256 IS OLD.content_sha256
          AND NEW.review_comment IS OLD.review_comment
          AND NEW.created_at IS OLD.created_at
          AND NEW.updated_at IS OLD.updated_at
          AND NEW.signed_at IS OLD.signed_at)
BEGIN
    SELECT RAISE(ABORT, 'signed notes are immutable: append an addendum');
END;

-- Awaiting co-signature: the content is locked (signed by the supervisee); the supervisor either
-- co-signs (-> signed) or returns it (-> in_review, with a comment) before anyone edits it.
CREATE TRIGGER notes_awaiting_cosign_locked BEFORE UPDATE ON notes
WHEN OLD.state = 'awaiting_cosign'
 AND (NEW.content IS NOT OLD.content
      OR NEW.content_sha256 IS NOT OLD.content_sha256
      OR NEW.author_id IS NOT OLD.author_id
      OR NEW.client_id IS NOT OLD.client_id
      OR NEW.state NOT IN ('awaiting_cosign', 'signed', 'in_review'))
BEGIN
    SELECT RAISE(ABORT, 'a note awaiting co-signature is locked: co-sign or return it first');
END;

CREATE TRIGGER notes_signed_no_delete BEFORE DELETE ON notes
WHEN OLD.state IN ('signed', 'amended', 'awaiting_cosign')
BEGIN
    SELECT RAISE(ABORT, 'signed notes are immutable: they cannot be deleted');
END;

-- Psychotherapy process notes: kept apart from the progress note, visible only to their author,
-- never sent to a model, never exported.
CREATE TABLE process_notes (
    id         INTEGER PRIMARY KEY,
    note_id    INTEGER NOT NULL UNIQUE REFERENCES notes(id),
    author_id  INTEGER NOT NULL REFERENCES users(id),
    text       TEXT    NOT NULL DEFAULT '',
    updated_at TEXT    NOT NULL
);

CREATE TABLE signatures (
    id             INTEGER PRIMARY KEY,
    note_id        INTEGER NOT NULL REFERENCES notes(id),
    signer_id      INTEGER NOT NULL REFERENCES users(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('sign', 'cosign')),
    signed_at      TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL,
    attestation    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX signatures_note ON signatures(note_id);

CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'signatures are immutable');
END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'signatures are immutable');
END;

-- Addenda to signed notes: dated, authored, signed on creation, append-only.
CREATE TABLE addenda (
    id             INTEGER PRIMARY KEY,
    note_id        INTEGER NOT NULL REFERENCES notes(id),
    author_id      INTEGER NOT NULL REFERENCES users(id),
    text           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    signed_at      TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL
);
CREATE INDEX addenda_note ON addenda(note_id);

CREATE TRIGGER addenda_no_update BEFORE UPDATE ON addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda are immutable: append another addendum');
END;
CREATE TRIGGER addenda_no_delete BEFORE DELETE ON addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda are immutable');
END;

-- ---------------------------------------------------------------------------------------------
-- Audit log: append-only, hash-chained. `hash` = SHA-256 over the canonical JSON of the row's
-- fields and `prev_hash` (see src/audit.rs). UNIQUE(prev_hash) forbids forks in the chain.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    actor_id      INTEGER,             -- NULL for the system or an unknown user
    action        TEXT    NOT NULL,    -- e.g. 'client.view', 'plan.update', 'auth.login_failed'
    resource_type TEXT    NOT NULL,
    resource_id   TEXT    NOT NULL DEFAULT '',
    client_id     INTEGER,
    remote_addr   TEXT    NOT NULL DEFAULT '',
    detail        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(detail)), -- ids only, never PHI
    prev_hash     TEXT    NOT NULL UNIQUE,
    hash          TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_log_client ON audit_log(client_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
