-- Recordings streamed in chunks while they are recorded (issue 13). The recording row exists
-- from the start of the stream (status 'uploaded' until it is finished, then 'queued' and on
-- as for uploads); its stream row says how far the audio got and whether it is still coming.
CREATE TABLE recording_streams (
    recording_id   INTEGER PRIMARY KEY REFERENCES recordings(id),
    -- What the chunks are: WebM or Ogg container bytes (browser MediaRecorder chunks, which
    -- concatenate into one valid stream) or raw 16-bit little-endian mono PCM.
    format         TEXT    NOT NULL CHECK (format IN ('webm', 'ogg', 'pcm16')),
    -- pcm16 only: samples per second.
    sample_rate    INTEGER,
    state          TEXT    NOT NULL DEFAULT 'receiving'
                   CHECK (state IN ('receiving', 'finished', 'discarded')),
    -- Chunks 0..next_seq-1 are in the file, fsynced.
    next_seq       INTEGER NOT NULL DEFAULT 0,
    -- Bytes of those chunks; the file holds header_bytes (the WAV header of pcm16) more.
    bytes          INTEGER NOT NULL DEFAULT 0,
    header_bytes   INTEGER NOT NULL DEFAULT 0,
    started_at     TEXT    NOT NULL,
    last_chunk_at  TEXT,
    finished_at    TEXT
);

-- Every chunk received: its size and digest (a repeated chunk is recognised), and, for a chunk
-- that arrived ahead of a gap, its bytes until the gap is filled.
CREATE TABLE recording_chunks (
    recording_id  INTEGER NOT NULL REFERENCES recordings(id),
    seq           INTEGER NOT NULL CHECK (seq >= 0),
    size          INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    pending       BLOB,
    received_at   TEXT    NOT NULL,
    PRIMARY KEY (recording_id, seq)
);

-- Stretches of a streamed 16 kHz PCM recording transcribed while it was still being recorded,
-- so that at finish only the tail is left: samples [start_sample, end_sample) of the stream,
-- their segments as JSON (times on the recording's timeline). A part is written once, by the
-- `transcribe_part` job, and read by the recording's `transcribe` job.
CREATE TABLE stream_parts (
    recording_id  INTEGER NOT NULL REFERENCES recordings(id),
    start_sample  INTEGER NOT NULL,
    end_sample    INTEGER NOT NULL CHECK (end_sample > start_sample),
    model         TEXT    NOT NULL,
    segments      TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (recording_id, start_sample)
);
