-- The speaker embeddings of each streamed part (diarization's windows and voiced regions, as
-- `diarize::WindowEmbeddings::to_bytes`), computed while the session is still being recorded so
-- that at finish only the tail is embedded and the whole recording clustered. NULL for parts
-- saved without a speaker model (dictations, no model installed, older parts).
ALTER TABLE stream_parts ADD COLUMN speaker_model TEXT;
ALTER TABLE stream_parts ADD COLUMN speaker_windows BLOB;
