-- Recordings streamed in chunks while they are recorded, PostgreSQL: as
-- ../0007_recording_streams.sql.
CREATE TABLE recording_streams (
    recording_id   BIGINT PRIMARY KEY REFERENCES recordings(id),
    format         TEXT   NOT NULL CHECK (format IN ('webm', 'ogg', 'pcm16')),
    sample_rate    BIGINT,
    state          TEXT   NOT NULL DEFAULT 'receiving'
                   CHECK (state IN ('receiving', 'finished', 'discarded')),
    next_seq       BIGINT NOT NULL DEFAULT 0,
    bytes          BIGINT NOT NULL DEFAULT 0,
    header_bytes   BIGINT NOT NULL DEFAULT 0,
    started_at     TEXT   NOT NULL,
    last_chunk_at  TEXT,
    finished_at    TEXT
);

CREATE TABLE recording_chunks (
    recording_id  BIGINT NOT NULL REFERENCES recordings(id),
    seq           BIGINT NOT NULL CHECK (seq >= 0),
    size          BIGINT NOT NULL,
    sha256        TEXT   NOT NULL,
    pending       BYTEA,
    received_at   TEXT   NOT NULL,
    PRIMARY KEY (recording_id, seq)
);

CREATE TABLE stream_parts (
    recording_id  BIGINT NOT NULL REFERENCES recordings(id),
    start_sample  BIGINT NOT NULL,
    end_sample    BIGINT NOT NULL CHECK (end_sample > start_sample),
    model         TEXT   NOT NULL,
    segments      TEXT   NOT NULL,
    created_at    TEXT   NOT NULL,
    PRIMARY KEY (recording_id, start_sample)
);
