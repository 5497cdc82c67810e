//! Chart access: [`Chart`] is the one way handlers load client-owned rows (clients, sessions,
//! recordings, transcripts, drafts, notes, jobs, safety flags) for a user. Each loader applies
//! the access rule of [`crate::store::Store::accessible_client`] and answers a row the user may
//! not see with a 404 (never 403, so ids leak nothing) and an `access.refused` audit row. Rows
//! that another row of an accessible chart points at are loaded through [`AppState::within`],
//! which returns them only when they belong to that same chart.
//!
//! The store's unchecked loaders are not called anywhere else in `src/http` (a test below
//! reads the sources to keep it so).

use serde_json::json;

use super::{AppState, CurrentUser, Error};
use crate::audit::Event;
use crate::jobs::Job;
use crate::store::{AddendumRow, DraftSummary, Measure, PlanVersion, PlanVersionSummary};
use crate::store::{Client, DraftRow, NoteRow, Recording, RecordingRow, SafetyFlag};
use crate::store::{SegmentRow, SessionRow, SignatureRow, SignedVersion, TimelineRow};
use crate::store::{TherapySession, TranscriptRow};

/// The charts `user` may see; see the module documentation.
pub struct Chart<'a> {
    state: &'a AppState,
    user: &'a CurrentUser,
}

impl AppState {
    /// Chart access for `user`: the only way to load client-owned rows.
    pub fn chart<'a>(&'a self, user: &'a CurrentUser) -> Chart<'a> {
        Chart { state: self, user }
    }
}

impl Chart<'_> {
    /// The client whose chart holds `kind` `id`, if the user may see that chart; else a 404
    /// naming `kind`, audited as a refused access.
    async fn owner(&self, client_id: i64, kind: &'static str, id: i64) -> Result<Client, Error> {
        match self
            .state
            .store
            .accessible_client(self.user.viewer(), client_id)
            .await?
        {
            Some(c) => Ok(c),
            None => {
                let ev = Event::new("access.refused", kind, id)
                    .client(client_id)
                    .detail(json!({"status": 404}));
                self.state.audit(self.user, ev).await?;
                Err(Error::NotFound(kind))
            }
        }
    }

    /// A client.
    pub async fn client(&self, id: i64) -> Result<Client, Error> {
        self.owner(id, "client", id).await
    }

    /// A therapy session and its client.
    pub async fn session(&self, id: i64) -> Result<(TherapySession, Client), Error> {
        let s = self
            .state
            .store
            .session(id)
            .await?
            .ok_or(Error::NotFound("session"))?;
        let c = self.owner(s.client_id, "session", id).await?;
        Ok((s, c))
    }

    /// A recording (with its session and job) and its client.
    pub async fn recording(&self, id: i64) -> Result<(RecordingRow, Client), Error> {
        let r = self
            .state
            .store
            .recording_row(id)
            .await?
            .ok_or(Error::NotFound("recording"))?;
        let c = self.owner(r.recording.client_id, "recording", id).await?;
        Ok((r, c))
    }

    /// A transcript and its client.
    pub async fn transcript(&self, id: i64) -> Result<(TranscriptRow, Client), Error> {
        let t = self
            .state
            .store
            .transcript(id)
            .await?
            .ok_or(Error::NotFound("transcript"))?;
        let c = self.owner(t.client_id, "transcript", id).await?;
        Ok((t, c))
    }

    /// A draft and its client.
    pub async fn draft(&self, id: i64) -> Result<(DraftRow, Client), Error> {
        let d = self
            .state
            .store
            .draft(id)
            .await?
            .ok_or(Error::NotFound("draft"))?;
        let c = self.owner(d.client_id, "draft", id).await?;
        Ok((d, c))
    }

    /// A note and its client.
    pub async fn note(&self, id: i64) -> Result<(NoteRow, Client), Error> {
        let n = self
            .state
            .store
            .note(id)
            .await?
            .ok_or(Error::NotFound("note"))?;
        let c = self.owner(n.client_id, "note", id).await?;
        Ok((n, c))
    }

    /// A job of a client's chart (jobs without a client belong to no chart: 404).
    pub async fn job(&self, id: i64) -> Result<(Job, Client), Error> {
        let job = self
            .state
            .jobs
            .find(id)
            .await
            .map_err(super::jobs::queue_error)?
            .ok_or(Error::NotFound("job"))?;
        let client_id = job.client_id.ok_or(Error::NotFound("job"))?;
        let c = self.owner(client_id, "job", id).await?;
        Ok((job, c))
    }

    /// A safety flag and its client.
    pub async fn flag(&self, id: i64) -> Result<(SafetyFlag, Client), Error> {
        let f = self
            .state
            .store
            .safety_flag(id)
            .await?
            .ok_or(Error::NotFound("safety flag"))?;
        let c = self.owner(f.client_id, "safety flag", id).await?;
        Ok((f, c))
    }
}

/// The rows of one chart the user may see (its [`Client`] came from [`Chart`]): rows that
/// another row of the chart points at, returned only when they belong to this chart.
pub struct Within<'a> {
    state: &'a AppState,
    client_id: i64,
}

impl AppState {
    /// Loaders of rows inside `client`'s chart; `client` must come from [`AppState::chart`].
    pub fn within<'a>(&'a self, client: &Client) -> Within<'a> {
        Within {
            state: self,
            client_id: client.id,
        }
    }
}

impl Within<'_> {
    /// Session `id`, if in this chart.
    pub async fn session(&self, id: i64) -> Result<Option<TherapySession>, Error> {
        let s = self.state.store.session(id).await?;
        Ok(s.filter(|s| s.client_id == self.client_id))
    }

    /// Recording `id`, if in this chart.
    pub async fn recording(&self, id: i64) -> Result<Option<Recording>, Error> {
        let r = self.state.store.recording(id).await?;
        Ok(r.filter(|r| r.client_id == self.client_id))
    }

    /// Transcript `id`, if in this chart.
    pub async fn transcript(&self, id: i64) -> Result<Option<TranscriptRow>, Error> {
        let t = self.state.store.transcript(id).await?;
        Ok(t.filter(|t| t.client_id == self.client_id))
    }

    /// Note `id`, if in this chart.
    pub async fn note(&self, id: i64) -> Result<Option<NoteRow>, Error> {
        let n = self.state.store.note(id).await?;
        Ok(n.filter(|n| n.client_id == self.client_id))
    }

    /// `Ok` when a row of `client_id` is in this chart, else a 404 naming `kind` (a row from
    /// another chart was passed in: a bug in the caller, refused like an unknown id).
    fn holds(&self, client_id: i64, kind: &'static str) -> Result<(), Error> {
        if client_id == self.client_id {
            Ok(())
        } else {
            Err(Error::NotFound(kind))
        }
    }

    /// The chart's therapy sessions.
    pub async fn sessions(&self) -> Result<Vec<SessionRow>, Error> {
        Ok(self.state.store.list_sessions(self.client_id).await?)
    }

    /// The chart's recordings, with their jobs.
    pub async fn recordings(&self) -> Result<Vec<RecordingRow>, Error> {
        Ok(self.state.store.list_recordings(self.client_id).await?)
    }

    /// The chart's safety flags.
    pub async fn flags(&self) -> Result<Vec<SafetyFlag>, Error> {
        Ok(self.state.store.list_flags(self.client_id).await?)
    }

    /// The chart's measures, of one instrument or all.
    pub async fn measures(&self, instrument: Option<&str>) -> Result<Vec<Measure>, Error> {
        Ok(self
            .state
            .store
            .list_measures(self.client_id, instrument)
            .await?)
    }

    /// The chart's drafts.
    pub async fn drafts(&self) -> Result<Vec<DraftSummary>, Error> {
        Ok(self.state.store.drafts_for_client(self.client_id).await?)
    }

    /// The chart's notes, newest first.
    pub async fn timeline(&self) -> Result<Vec<TimelineRow>, Error> {
        Ok(self.state.store.note_timeline(self.client_id).await?)
    }

    /// The chart's current treatment plan.
    pub async fn current_plan(&self) -> Result<Option<PlanVersion>, Error> {
        Ok(self.state.store.current_plan(self.client_id).await?)
    }

    /// One version of the chart's treatment plan.
    pub async fn plan_version(&self, version: i64) -> Result<Option<PlanVersion>, Error> {
        Ok(self
            .state
            .store
            .plan_version(self.client_id, version)
            .await?)
    }

    /// Every version of the chart's treatment plan.
    pub async fn plan_versions(&self) -> Result<Vec<PlanVersionSummary>, Error> {
        Ok(self.state.store.plan_versions(self.client_id).await?)
    }

    /// The signatures of a note of this chart.
    pub async fn signatures(&self, note: &NoteRow) -> Result<Vec<SignatureRow>, Error> {
        self.holds(note.client_id, "note")?;
        Ok(self.state.store.signatures(note.id).await?)
    }

    /// The addenda of a note of this chart.
    pub async fn addenda(&self, note: &NoteRow) -> Result<Vec<AddendumRow>, Error> {
        self.holds(note.client_id, "note")?;
        Ok(self.state.store.addenda(note.id).await?)
    }

    /// Every signed version of a note of this chart.
    pub async fn signed_versions(&self, note: &NoteRow) -> Result<Vec<SignedVersion>, Error> {
        self.holds(note.client_id, "note")?;
        Ok(self.state.store.signed_versions(note.id).await?)
    }

    /// The process notes `author_id` keeps on a note of this chart.
    pub async fn process_note(
        &self,
        note: &NoteRow,
        author_id: i64,
    ) -> Result<Option<String>, Error> {
        self.holds(note.client_id, "note")?;
        Ok(self.state.store.process_note(note.id, author_id).await?)
    }

    /// The process notes `author_id` keeps on the note of a draft of this chart.
    pub async fn draft_process_note(
        &self,
        draft: &DraftRow,
        author_id: i64,
    ) -> Result<Option<String>, Error> {
        self.holds(draft.client_id, "draft")?;
        match draft.note_id {
            Some(n) => Ok(self.state.store.process_note(n, author_id).await?),
            None => Ok(None),
        }
    }

    /// The segments of a transcript of this chart.
    pub async fn segments(&self, transcript: &TranscriptRow) -> Result<Vec<SegmentRow>, Error> {
        self.holds(transcript.client_id, "transcript")?;
        Ok(self.state.store.segments(transcript.id).await?)
    }

    /// Whether a transcription of a recording of this chart is queued or running.
    pub async fn recording_job_active(&self, recording: &Recording) -> Result<bool, Error> {
        self.holds(recording.client_id, "recording")?;
        Ok(self.state.store.recording_job_active(recording.id).await?)
    }

    /// Job `id`, if in this chart.
    pub async fn job(&self, id: i64) -> Result<Option<Job>, Error> {
        let j = self
            .state
            .jobs
            .find(id)
            .await
            .map_err(super::jobs::queue_error)?;
        Ok(j.filter(|j| j.client_id == Some(self.client_id)))
    }
}

#[cfg(test)]
mod tests {
    /// Every file of `src/http` but this one.
    const SOURCES: &[(&str, &str)] = &[
        ("access_log.rs", include_str!("access_log.rs")),
        ("assets.rs", include_str!("assets.rs")),
        ("clients.rs", include_str!("clients.rs")),
        ("drafts.rs", include_str!("drafts.rs")),
        ("error.rs", include_str!("error.rs")),
        ("extract.rs", include_str!("extract.rs")),
        ("flags.rs", include_str!("flags.rs")),
        ("health.rs", include_str!("health.rs")),
        ("jobs.rs", include_str!("jobs.rs")),
        ("measures.rs", include_str!("measures.rs")),
        ("mod.rs", include_str!("mod.rs")),
        ("notes.rs", include_str!("notes.rs")),
        ("plans.rs", include_str!("plans.rs")),
        ("proxy.rs", include_str!("proxy.rs")),
        ("recordings.rs", include_str!("recordings.rs")),
        ("redirect.rs", include_str!("redirect.rs")),
        ("sessions.rs", include_str!("sessions.rs")),
        ("signin.rs", include_str!("signin.rs")),
        ("streams.rs", include_str!("streams.rs")),
        ("templates.rs", include_str!("templates.rs")),
        ("transcripts.rs", include_str!("transcripts.rs")),
        ("users.rs", include_str!("users.rs")),
    ];

    /// Calls that load client-owned rows without an access check (as they read with
    /// whitespace and comments removed, so a call split over lines is found too).
    const UNCHECKED: &[&str] = &[
        ".accessible_client(",
        ".client_unchecked(",
        ".store.session(",
        ".store.recording(",
        ".store.recording_row(",
        ".store.transcript(",
        ".store.draft(",
        ".store.note(",
        ".store.safety_flag(",
        ".jobs.find(",
        // rows of a chart, by the client's, note's, transcript's or recording's id
        ".store.list_sessions(",
        ".store.list_recordings(",
        ".store.list_flags(",
        ".store.list_measures(",
        ".store.drafts_for_client(",
        ".store.note_timeline(",
        ".store.current_plan(",
        ".store.plan_version(",
        ".store.plan_versions(",
        ".store.signatures(",
        ".store.addenda(",
        ".store.signed_versions(",
        ".store.process_note(",
        ".store.segments(",
        ".store.recording_job_active(",
    ];

    #[test]
    fn handlers_load_client_owned_rows_only_through_chart() {
        let listed: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
        for e in std::fs::read_dir(&dir).expect("src/http") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            assert!(
                name == "access.rs" || listed.contains(&name.as_str()),
                "src/http/{name} is not checked here: add it to SOURCES"
            );
        }
        for (name, src) in SOURCES {
            let code: String = src
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .flat_map(|l| l.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            for call in UNCHECKED {
                if let Some(at) = code.find(call) {
                    let from = code[..at]
                        .char_indices()
                        .rev()
                        .nth(40)
                        .map_or(0, |(i, _)| i);
                    let to = (at + call.len() + 20).min(code.len());
                    let to = (to..=code.len())
                        .find(|&i| code.is_char_boundary(i))
                        .unwrap_or(code.len());
                    panic!(
                        "src/http/{name}: `{}` loads a client-owned row without the access \
                         check: use `state.chart(&user)` or `state.within(&client)`",
                        &code[from..to]
                    );
                }
            }
        }
    }
}
