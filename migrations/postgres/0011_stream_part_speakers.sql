-- The speaker embeddings of each streamed part, PostgreSQL: as
-- ../0011_stream_part_speakers.sql.
ALTER TABLE stream_parts ADD COLUMN speaker_model TEXT;
ALTER TABLE stream_parts ADD COLUMN speaker_windows BYTEA;
