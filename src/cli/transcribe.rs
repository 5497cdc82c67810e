//! `noted transcribe`: transcribes an audio file.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::audio::{self, DecodeLimits};
use crate::cli::voice;
use crate::config::GlobalOpts;
use crate::diarize::{self, DiarizeOptions, SpeakerModel, VoiceEmbedding};
use crate::models::registry::{self, InstalledModel, Role};
use crate::transcribe::output::Format;
use crate::transcribe::{Engine, EngineOptions, Mode, Progress, Stage, TranscribeOptions};

/// Options of `noted transcribe`.
#[derive(Debug, clap::Args)]
pub struct TranscribeArgs {
    /// Audio file: WAV, MP3, FLAC, Ogg Vorbis, M4A/AAC (others through ffmpeg when installed).
    pub file: PathBuf,
    /// Speech model to use (default: the active one, see `noted models list`).
    #[arg(long)]
    pub model: Option<String>,
    /// Spoken language (ISO code; "auto" to detect). English-only models always use "en".
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Threads (default: all cores).
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// The recording is the clinician's dictation (one speaker: therapist).
    #[arg(long)]
    pub dictation: bool,
    /// Initial prompt for whisper (default: none).
    #[arg(long, conflicts_with = "clinical_prompt")]
    pub prompt: Option<String>,
    /// Prompt whisper with clinical vocabulary (PHQ-9, GAD-7, CBT, EMDR, SI, ...).
    #[arg(long)]
    pub clinical_prompt: bool,
    /// Turn off voice activity detection (decode silence too).
    #[arg(long)]
    pub no_vad: bool,
    /// Longest accepted audio, in minutes.
    #[arg(long, env = "NOTED_MAX_AUDIO_MINUTES", default_value_t = 240.0)]
    pub max_minutes: f64,
    /// Tell the speakers of a session apart (on by default for sessions; dictations are one
    /// speaker, the therapist). Needs the speaker model (`noted models install
    /// campplus-sv-zh-en`); without it speakers stay `unknown`, with a warning.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub diarize: bool,
    /// Speakers in the recording (1-4).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub speakers: u8,
    /// The therapist's enrolled voice (`noted voice enroll`): the speaker nearest it is the
    /// therapist; without one, roles are inferred from the words.
    #[arg(long, conflicts_with = "therapist_voice")]
    pub therapist: Option<String>,
    /// A recording of the therapist alone (about 30 s), enrolled on the fly.
    #[arg(long)]
    pub therapist_voice: Option<PathBuf>,
}

/// What diarizing a session needs: the speaker model, the therapist's voice if known, options.
type Diarizer = (SpeakerModel, Option<VoiceEmbedding>, DiarizeOptions);

/// Loads the speaker model and the therapist's voice for `noted transcribe`. A missing model
/// is a warning (speakers stay unknown); a bad enrolment or file is an error.
async fn prepare_diarization(
    g: &GlobalOpts,
    a: &TranscribeArgs,
) -> anyhow::Result<Option<Diarizer>> {
    let dopts = DiarizeOptions::with_speakers(a.speakers as usize)?;
    let model = match voice::load_speaker_model(g, None) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("warning: speakers not told apart: {e:#}");
            return Ok(None);
        }
    };
    let voice = if let Some(email) = &a.therapist {
        let store = super::open_store(g).await?;
        let Some(user) = store.user_by_email(email).await? else {
            anyhow::bail!("no user with email {email} (see `noted user list`)");
        };
        match store.voice_enrollment(user.id).await? {
            Some(v) if v.model == model.name() => Some(v),
            Some(v) => anyhow::bail!(
                "{email}'s voice was enrolled with model {}, not {}: enrol again (`noted voice enroll FILE --email {email}`)",
                v.model,
                model.name()
            ),
            None => anyhow::bail!(
                "{email} has no enrolled voice: run `noted voice enroll FILE --email {email}`"
            ),
        }
    } else if let Some(file) = &a.therapist_voice {
        Some(voice::embed_voice_file(&model, file)?)
    } else {
        None
    };
    Ok(Some((model, voice, dopts)))
}

/// The speech model named by `--model`, or the active one.
pub fn resolve_model(g: &GlobalOpts, name: Option<&str>) -> anyhow::Result<InstalledModel> {
    let dir = g.models_dir();
    Ok(match name {
        Some(n) => registry::find_role(&dir, n, Role::Asr)?,
        None => registry::active(&dir, Role::Asr)?,
    })
}

pub async fn run(g: &GlobalOpts, a: TranscribeArgs) -> anyhow::Result<()> {
    let limits = DecodeLimits {
        max_duration_seconds: a.max_minutes * 60.0,
        ..DecodeLimits::default()
    };
    // Cheap checks first: a bad file is reported before any model is loaded.
    audio::probe(&a.file).with_context(|| format!("{}", a.file.display()))?;
    let model = resolve_model(g, a.model.as_deref())?;
    let mut opts = TranscribeOptions {
        language: a.language.clone(),
        threads: a.threads,
        mode: if a.dictation {
            Mode::Dictation
        } else {
            Mode::Session
        },
        ..TranscribeOptions::default()
    };
    if a.clinical_prompt {
        opts = opts.with_clinical_prompt();
    }
    if let Some(p) = &a.prompt {
        opts.initial_prompt = Some(p.clone()).filter(|p| !p.is_empty());
    }
    opts.vad.enabled = !a.no_vad;
    let file = a.file.clone();
    let format = a.format;
    let threads = a.threads;
    let speakers = if a.diarize && !a.dictation {
        prepare_diarization(g, &a).await?
    } else {
        None
    };

    let bar = ProgressBar::new(1000);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:12} [{bar:30}] {percent:>3}% {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("decoding");
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let bar2 = bar.clone();
    let transcript = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let audio =
            audio::decode_file(&file, &limits).with_context(|| format!("{}", file.display()))?;
        bar2.set_message("loading");
        let engine = Arc::new(Engine::load(
            &model,
            EngineOptions {
                threads,
                ..EngineOptions::default()
            },
        )?);
        let t = engine.transcribe(&audio, &opts, &|p: Progress| {
            bar2.set_message(match p.stage {
                Stage::Detecting => "detecting",
                Stage::Transcribing => "transcribing",
                Stage::Done => "done",
            });
            bar2.set_position((p.fraction * 1000.0) as u64);
            true
        })?;
        let mut t = t;
        if let Some((model, voice, dopts)) = speakers {
            bar2.set_message("speakers");
            bar2.set_position(0);
            let d = model.diarize(&audio.samples, &dopts, &|f| {
                bar2.set_position((f * 1000.0) as u64);
                true
            })?;
            diarize::attribute(
                &mut t,
                &d,
                voice.as_ref().map(|v| v.vector.as_slice()),
                model.name(),
            );
        }
        Ok(t)
    })
    .await
    .context("transcription task failed")??;
    bar.finish_and_clear();
    print!("{}", transcript.render(format));
    Ok(())
}
