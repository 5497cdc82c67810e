//! `noted demo`: a demo practice in one command. Installs the default-tier models when none is
//! installed (the test tier's SmolLM2 cannot write a note), creates a demo clinician and a demo client with a burnout treatment plan and
//! measures, records a sample session (espeak-ng when present, else the bundled recording),
//! transcribes and drafts it with the job workers while showing progress, then serves the app
//! with the draft ready for review.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::password::PasswordParams;
use crate::chart::sample;
use crate::chart::session::SessionInput;
use crate::cli::models::{InstallArgs, ModelsCommand};
use crate::cli::serve::{self, ServeArgs};
use crate::config::GlobalOpts;
use crate::http::AppState;
use crate::jobs::{JobId, JobState};
use crate::measures::{self, Instrument};
use crate::models::catalog::Tier;
use crate::models::registry::{self, Role};
use crate::store::recordings::RecordingKind;
use crate::store::{Location, NewRecording, PlanChange, SessionChoice, User};

/// The sample session: its script (rendered with espeak-ng when available) and a recording of
/// it that the project generated the same way, for machines without espeak-ng.
const SESSION_SCRIPT: &str = include_str!("../../static/demo/session.json");
const SESSION_FLAC: &[u8] = include_bytes!("../../static/demo/session.flac");

/// The demo client's name, used to find it again on a second run.
const DEMO_CLIENT: &str = "Alex Demo";

/// Options of `noted demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Set everything up, transcribe and draft the sample session, then exit instead of serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Do not record the sample session (an empty demo chart; used by the browser test).
    #[arg(long)]
    pub skip_sample: bool,
    /// Email of the demo clinician.
    #[arg(long, env = "NOTED_DEMO_EMAIL", default_value = "demo@noted.local")]
    pub email: String,
    /// Password of the demo clinician (only used when the account is created).
    #[arg(
        long,
        env = "NOTED_DEMO_PASSWORD",
        default_value = "demo-password-2026"
    )]
    pub password: String,
}

#[derive(Deserialize)]
struct Script {
    turns: Vec<Turn>,
}

#[derive(Deserialize)]
struct Turn {
    speaker: String,
    text: String,
}

pub async fn run(g: &GlobalOpts, a: DemoArgs) -> anyhow::Result<()> {
    let g = &g.for_demo();
    if let Location::Postgres(_) = super::database(g)? {
        anyhow::bail!(
            "noted demo keeps its practice in its own SQLite data directory, never in the \
             practice's database (its password is published): run it without --database-url \
             / NOTED_DATABASE_URL"
        );
    }
    eprintln!("demo data directory: {}", g.data_dir().display());
    ensure_models(g).await?;
    let state = serve::open_state(g, &a.serve).await?;
    let user = demo_user(&state, &a).await?;
    let actor = Actor::user(user.id, "cli");
    let client_id = demo_client(&state, &user, &actor).await?;

    let workers = serve::start_workers(&state, &a.serve).await?;
    let pending = state
        .store
        .list_recordings(client_id)
        .await?
        .into_iter()
        .next()
        .is_none();
    if a.skip_sample {
        eprintln!("skipping the sample session (--skip-sample)");
    } else if pending {
        let job = record_session(&state, &user, &actor, client_id).await?;
        eprintln!("transcribing and drafting the sample session (job {job}) ...");
        wait_for(&state, job, "transcribe").await?;
        if let Some(draft_job) = follow_up_draft_job(&state, client_id).await? {
            wait_for(&state, draft_job, "draft").await?;
        }
    } else {
        eprintln!("the demo client already has a recording; not recording another");
    }

    println!();
    println!("Demo clinician: {}  password: {}", a.email, a.password);
    println!("Demo client: {DEMO_CLIENT} (chart /clients/{client_id})");
    if a.no_serve {
        workers.shutdown(Duration::from_secs(5)).await;
        state.store.close().await;
        return Ok(());
    }
    serve::serve_with_workers(state, workers, &a.serve.bind).await
}

/// Installs the default tier when no speech or language model is active yet (or only the
/// embedding model when just that is missing).
async fn ensure_models(g: &GlobalOpts) -> anyhow::Result<()> {
    let dir = g.models_dir();
    let missing = |r: Role| registry::active(&dir, r).is_err();
    let (tier, names) = if missing(Role::Asr) || missing(Role::Llm) {
        eprintln!(
            "no models in {}: installing the default tier (whisper base, Qwen2.5-Coder-1.5B, all-MiniLM-L6-v2, CAM++; about 1.3 GB) ...",
            dir.display()
        );
        (vec![Tier::Default], vec![])
    } else if missing(Role::Embedding) {
        eprintln!(
            "no embedding model in {}: installing all-minilm-l6-v2 ...",
            dir.display()
        );
        (vec![], vec!["all-minilm-l6-v2".to_string()])
    } else {
        return Ok(());
    };
    let install = InstallArgs {
        names,
        tier,
        force: false,
        offline: false,
        clear_cache: false,
        catalog: None,
    };
    crate::cli::models::run(g, ModelsCommand::Install(install))
        .await
        .context("installing the default-tier models")
}

async fn demo_user(state: &AppState, a: &DemoArgs) -> anyhow::Result<User> {
    if let Some(u) = state.store.user_by_email(&a.email).await? {
        eprintln!(
            "using the existing account {} (its password is unchanged)",
            a.email
        );
        return Ok(u);
    }
    let user = crate::cli::user::add_user(
        &state.store,
        PasswordParams::default(),
        &a.email,
        "Demo Clinician",
        crate::store::Role::Clinician,
        None,
        a.password.clone(),
    )
    .await?;
    state.store.mark_demo_user(user.id).await?;
    Ok(user)
}

/// Finds or creates the demo client with its treatment plan and first measures.
async fn demo_client(state: &AppState, user: &User, actor: &Actor) -> anyhow::Result<i64> {
    let existing = state
        .store
        .list_clients(user.viewer(), Some(DEMO_CLIENT))
        .await?;
    if let Some(c) = existing.first() {
        return Ok(c.id);
    }
    let mut input = sample::sample_client();
    input.full_name = DEMO_CLIENT.into();
    let client = state.store.create_client(actor, user.id, &input).await?;
    let change = PlanChange {
        reason: "initial treatment plan".into(),
        source_note_id: None,
        base_version: None,
    };
    state
        .store
        .save_plan(actor, client.id, user.id, &sample::burnout_plan(), &change)
        .await?;
    let today = crate::store::today();
    // Intake scores: PHQ-9 10 (moderate), GAD-7 7 (mild), CBI with a high work-related score.
    let intake: [(Instrument, Vec<i64>); 3] = [
        (Instrument::Phq9, vec![2, 1, 2, 1, 1, 1, 1, 1, 0]),
        (Instrument::Gad7, vec![1, 1, 1, 1, 1, 1, 1]),
        (
            Instrument::Cbi,
            vec![3, 3, 2, 3, 2, 3, 3, 3, 3, 2, 3, 3, 1, 1, 1, 2, 1, 1, 1],
        ),
    ];
    for (instrument, answers) in intake {
        let scored = measures::score(instrument, &answers, &state.config.cbi_bands)?;
        state
            .store
            .create_measure(
                actor,
                &scored.to_store(client.id, &answers, &today, None, user.id),
            )
            .await?;
    }
    Ok(client.id)
}

/// Writes the sample session's audio under the data directory and queues its transcription.
async fn record_session(
    state: &AppState,
    user: &User,
    actor: &Actor,
    client_id: i64,
) -> anyhow::Result<JobId> {
    let audio_dir = crate::http::recordings::audio_dir(&state.data_dir).with_context(|| {
        format!(
            "creating the audio directory in {}",
            state.data_dir.display()
        )
    })?;
    let stamp = crate::store::unix_now();
    let (rel, mime) = match synthesize(&audio_dir, stamp) {
        Ok(rel) => (rel, "audio/wav"),
        Err(e) => {
            eprintln!("espeak-ng unavailable ({e:#}); using the bundled recording");
            let rel = format!("audio/demo-session-{stamp}.flac");
            std::fs::write(state.data_dir.join(&rel), SESSION_FLAC)
                .with_context(|| format!("writing {rel}"))?;
            (rel, "audio/flac")
        }
    };
    let path = state.data_dir.join(&rel);
    owner_only(&path)?;
    let size = std::fs::metadata(&path)?.len() as i64;
    crate::crypto::plain::seal_in_place(&path, state.store.data_key())
        .with_context(|| format!("encrypting {rel}"))?;
    let sha = state
        .audio
        .keep(&rel)
        .await
        .with_context(|| format!("storing {rel} in {}", state.audio.place()))?;
    let new = NewRecording {
        client_id,
        kind: RecordingKind::Session,
        path: rel,
        mime_type: mime.into(),
        size_bytes: size,
        duration_seconds: None,
        // Kept so that the review page can play from each segment.
        keep_audio: true,
        uploaded_by: user.id,
        audio_sha256: Some(sha),
    };
    let session = SessionChoice::Create(SessionInput {
        session_date: crate::store::today(),
        start_time: None,
        duration_minutes: 50,
        modality: "in_person".into(),
        status: "completed".into(),
    });
    let (_, job) = state
        .store
        .create_recording(actor, &new, session, state.jobs.defaults())
        .await?;
    state.jobs.announce(job).await;
    Ok(job)
}

/// Renders the session script with espeak-ng + sox; returns the path relative to the data dir.
fn synthesize(audio_dir: &Path, stamp: i64) -> anyhow::Result<String> {
    let script: Script = serde_json::from_str(SESSION_SCRIPT).context("demo session script")?;
    let turns: Vec<(&str, &str)> = script
        .turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect();
    let name = format!("demo-session-{stamp}.wav");
    crate::transcribe::bench::synthesize_session(&turns, &audio_dir.join(&name))?;
    Ok(format!("audio/{name}"))
}

/// The draft job the transcription queued for this client, if any.
async fn follow_up_draft_job(state: &AppState, client_id: i64) -> anyhow::Result<Option<JobId>> {
    let jobs = state.jobs.list_for_client(client_id, 20).await?;
    Ok(jobs.into_iter().find(|j| j.kind == "draft").map(|j| j.id))
}

/// Shows a progress bar until the job ends; an error if it failed or was cancelled.
async fn wait_for(state: &AppState, id: JobId, what: &str) -> anyhow::Result<()> {
    let bar = ProgressBar::new(1000);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:40}] {percent:>3}% {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_string());
    loop {
        let job = state.jobs.get(id).await?;
        bar.set_position((job.progress.clamp(0.0, 1.0) * 1000.0) as u64);
        bar.set_message(job.stage.clone().unwrap_or_default());
        match job.state {
            JobState::Done => {
                bar.finish_with_message("done");
                return Ok(());
            }
            JobState::Failed | JobState::Cancelled => {
                bar.abandon();
                anyhow::bail!(
                    "the {what} job {id} {}: {}",
                    job.state.as_str(),
                    job.error.unwrap_or_default()
                );
            }
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

/// Audio at rest is readable by the service's user only (mode 0600), like uploads.
fn owner_only(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("setting permissions of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
