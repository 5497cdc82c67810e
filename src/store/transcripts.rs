//! Transcripts and their segments: saving whisper's output (inside the transcription job's final
//! transaction), reading segments with their current text and speaker, and recording a
//! clinician's corrections as edits that keep the original.

use super::WriteTx;
use serde::Serialize;

use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};
use crate::transcribe::{Segment, Speaker, Transcript};

/// A stored transcript (without its segments).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TranscriptRow {
    pub id: i64,
    pub recording_id: Option<i64>,
    pub client_id: i64,
    pub model: String,
    pub language: String,
    pub audio_seconds: f64,
    pub elapsed_seconds: f64,
    pub created_at: String,
    /// JSON of [`crate::diarize::SpeakerAttribution`] for diarized sessions.
    #[serde(skip)]
    pub speaker_attribution: Option<String>,
}

impl TranscriptRow {
    /// How its speakers were attributed (diarized sessions; `None` otherwise).
    pub fn attribution(&self) -> Option<crate::diarize::SpeakerAttribution> {
        self.speaker_attribution
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
    }
}

/// A segment as it reads now (the latest edit, else whisper's original), with the original.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SegmentRow {
    /// The segment's id within its transcript (the id drafts cite).
    #[sqlx(rename = "seg_index")]
    pub id: i64,
    #[serde(skip)]
    #[sqlx(rename = "id")]
    pub row_id: i64,
    #[serde(skip)]
    pub transcript_id: i64,
    #[sqlx(rename = "start_s")]
    pub start: f64,
    #[sqlx(rename = "end_s")]
    pub end: f64,
    pub speaker: String,
    pub text: String,
    pub original_text: String,
    pub original_speaker: String,
    pub avg_logprob: f64,
    pub no_speech_prob: f64,
    pub edited: bool,
}

impl SegmentRow {
    /// As the shared [`Segment`] type (current text and speaker).
    pub fn to_segment(&self) -> Segment {
        Segment {
            id: self.id as u32,
            start: self.start,
            end: self.end,
            speaker: parse_speaker(&self.speaker).unwrap_or_default(),
            text: self.text.clone(),
            avg_logprob: self.avg_logprob as f32,
            no_speech_prob: self.no_speech_prob as f32,
        }
    }
}

/// The stored name of a speaker.
pub fn speaker_str(s: Speaker) -> &'static str {
    match s {
        Speaker::Therapist => "therapist",
        Speaker::Client => "client",
        Speaker::Unknown => "unknown",
    }
}

/// A speaker by its stored name.
pub fn parse_speaker(s: &str) -> Option<Speaker> {
    match s {
        "therapist" => Some(Speaker::Therapist),
        "client" => Some(Speaker::Client),
        "unknown" => Some(Speaker::Unknown),
        _ => None,
    }
}

/// The transcript already saved for a recording, if any (a job re-run must not save twice).
pub async fn transcript_id_for_recording_in(
    conn: &mut WriteTx,
    recording_id: i64,
) -> Result<Option<i64>, StoreError> {
    Ok(db!(&mut *conn, |x| sqlx::query_scalar(
        "SELECT id FROM transcripts WHERE recording_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(recording_id)
    .fetch_optional(x)
    .await)?)
}

/// Saves a transcript and all its segments inside the caller's transaction, with its audit row.
/// Returns the new transcript id.
pub async fn insert_transcript_in(
    conn: &mut WriteTx,
    actor: &Actor,
    client_id: i64,
    recording_id: Option<i64>,
    language: &str,
    t: &Transcript,
) -> Result<i64, StoreError> {
    let id = db!(&mut *conn, |x| sqlx::query_scalar::<_, i64>(
        "INSERT INTO transcripts (recording_id, client_id, model, language, audio_seconds,
             elapsed_seconds, created_at, speaker_attribution)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(recording_id)
    .bind(client_id)
    .bind(&t.model)
    .bind(language)
    .bind(t.audio_seconds)
    .bind(t.elapsed_seconds)
    .bind(super::now())
    .bind(
        t.speakers
            .as_ref()
            .and_then(|a| serde_json::to_string(a).ok()),
    )
    .fetch_one(x)
    .await)?;
    for s in &t.segments {
        exec!(&mut *conn, sqlx::query(
            "INSERT INTO transcript_segments (transcript_id, seg_index, start_s, end_s, speaker,
                 text, avg_logprob, no_speech_prob)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(s.id as i64)
        .bind(s.start)
        .bind(s.end.max(s.start))
        .bind(speaker_str(s.speaker))
        .bind(&s.text)
        .bind(s.avg_logprob as f64)
        .bind(s.no_speech_prob as f64))?;
    }
    let ev = Event::new("transcript.create", "transcript", id)
        .client(client_id)
        .detail(serde_json::json!({
            "recording_id": recording_id,
            "segments": t.segments.len(),
            "model": t.model,
        }));
    audit::append(conn, actor, &ev).await?;
    Ok(id)
}

impl Store {
    /// A transcript by id (no access check: callers check its client).
    pub async fn transcript(&self, id: i64) -> Result<Option<TranscriptRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, TranscriptRow>(
            "SELECT * FROM transcripts WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// The transcript of a recording, if it has one.
    pub async fn transcript_for_recording(
        &self,
        recording_id: i64,
    ) -> Result<Option<TranscriptRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, TranscriptRow>(
            "SELECT * FROM transcripts WHERE recording_id = $1 ORDER BY id LIMIT 1",
        )
        .bind(recording_id)
        .fetch_optional(x)
        .await)?)
    }

    /// A transcript's segments in order, with current text/speaker and the originals.
    pub async fn segments(&self, transcript_id: i64) -> Result<Vec<SegmentRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, SegmentRow>(
            "SELECT * FROM transcript_segments_current WHERE transcript_id = $1 ORDER BY seg_index",
        )
        .bind(transcript_id)
        .fetch_all(x)
        .await)?)
    }

    /// One segment by its id within the transcript.
    pub async fn segment(
        &self,
        transcript_id: i64,
        seg_index: i64,
    ) -> Result<Option<SegmentRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, SegmentRow>(
            "SELECT * FROM transcript_segments_current WHERE transcript_id = $1 AND seg_index = $2",
        )
        .bind(transcript_id)
        .bind(seg_index)
        .fetch_optional(x)
        .await)?)
    }

    /// The transcript as the shared [`Transcript`] type with the clinician's corrections
    /// applied (what drafting should read).
    pub async fn current_transcript(&self, id: i64) -> Result<Option<Transcript>, StoreError> {
        let Some(t) = self.transcript(id).await? else {
            return Ok(None);
        };
        let segments: Vec<Segment> = self
            .segments(id)
            .await?
            .iter()
            .map(SegmentRow::to_segment)
            .collect();
        let text = segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let speakers = t.attribution();
        Ok(Some(Transcript {
            model: t.model,
            audio_seconds: t.audio_seconds,
            elapsed_seconds: t.elapsed_seconds,
            segments,
            text,
            speakers,
        }))
    }

    /// Records a correction of a segment's text and/or speaker (the original is kept), with its
    /// audit row. Fields left `None` keep their current value. Returns the segment as it now
    /// reads; an edit that changes nothing writes nothing.
    #[allow(clippy::too_many_arguments)]
    pub async fn edit_segment(
        &self,
        actor: &Actor,
        editor_id: i64,
        client_id: i64,
        transcript_id: i64,
        seg_index: i64,
        text: Option<&str>,
        speaker: Option<Speaker>,
    ) -> Result<SegmentRow, StoreError> {
        let mut tx = self.begin_write().await?;
        let current = db!(&mut tx, |x| {
            sqlx::query_as::<_, SegmentRow>(
            "SELECT * FROM transcript_segments_current WHERE transcript_id = $1 AND seg_index = $2",
        )
        .bind(transcript_id)
        .bind(seg_index)
        .fetch_optional(x)
        .await
        })?
        .ok_or(StoreError::NotFound("segment"))?;
        let new_text = text.unwrap_or(&current.text);
        let new_speaker = speaker.map(speaker_str).unwrap_or(current.speaker.as_str());
        let mut fields = Vec::new();
        if new_text != current.text {
            fields.push("text");
        }
        if new_speaker != current.speaker {
            fields.push("speaker");
        }
        if !fields.is_empty() {
            insert_edit(
                &mut tx,
                current.row_id,
                new_text,
                new_speaker,
                editor_id,
                &super::now(),
            )
            .await?;
            let ev = Event::new("transcript.segment_edit", "transcript", transcript_id)
                .client(client_id)
                .detail(serde_json::json!({ "segment": seg_index, "fields": fields }));
            audit::append(&mut tx, actor, &ev).await?;
        }
        tx.commit().await?;
        self.segment(transcript_id, seg_index)
            .await?
            .ok_or(StoreError::NotFound("segment"))
    }

    /// Swaps therapist and client on every segment of a transcript (the diarization gave the
    /// roles the wrong way round), as one edit per segment in one transaction, with one audit
    /// row; originals are kept and unknown segments stay unknown. Returns how many segments
    /// changed.
    pub async fn swap_speakers(
        &self,
        actor: &Actor,
        editor_id: i64,
        client_id: i64,
        transcript_id: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let current = db!(&mut tx, |x| {
            sqlx::query_as::<_, SegmentRow>(
                "SELECT * FROM transcript_segments_current WHERE transcript_id = $1 ORDER BY seg_index",
            )
            .bind(transcript_id)
            .fetch_all(x)
            .await
        })?;
        let now = super::now();
        let mut changed = 0usize;
        for seg in &current {
            let swapped = match parse_speaker(&seg.speaker) {
                Some(Speaker::Therapist) => Speaker::Client,
                Some(Speaker::Client) => Speaker::Therapist,
                _ => continue,
            };
            insert_edit(
                &mut tx,
                seg.row_id,
                &seg.text,
                speaker_str(swapped),
                editor_id,
                &now,
            )
            .await?;
            changed += 1;
        }
        if changed > 0 {
            let ev = Event::new("transcript.speakers_swap", "transcript", transcript_id)
                .client(client_id)
                .detail(serde_json::json!({ "segments": changed }));
            audit::append(&mut tx, actor, &ev).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}

/// Records one correction of a segment (its text and speaker as they now read), beside the
/// original.
async fn insert_edit(
    tx: &mut WriteTx,
    segment_row: i64,
    text: &str,
    speaker: &str,
    editor_id: i64,
    at: &str,
) -> Result<(), StoreError> {
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO transcript_segment_edits (segment_id, text, speaker, edited_by, edited_at)
         VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(segment_row)
        .bind(text)
        .bind(speaker)
        .bind(editor_id)
        .bind(at)
    )?;
    Ok(())
}
