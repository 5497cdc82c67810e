//! `noted voice`: enrol a clinician's voice (about 30 s of their speech), so that session
//! recordings label the speaker nearest it as the therapist.

use std::path::PathBuf;

use anyhow::{bail, Context};

use crate::audio::{self, DecodeLimits};
use crate::audit::Actor;
use crate::config::GlobalOpts;
use crate::diarize::{SpeakerModel, VoiceEmbedding};
use crate::models::registry::{self, Role};

/// `noted voice` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum VoiceCommand {
    /// Enrol a clinician's voice from a recording of them alone (about 30 s of speech; at
    /// least 10 s). Replaces an earlier enrolment.
    Enroll {
        /// Audio of the clinician speaking (any format `noted transcribe` reads).
        file: PathBuf,
        /// The clinician's account.
        #[arg(long)]
        email: String,
        /// Speaker model (default: the active one).
        #[arg(long)]
        model: Option<String>,
    },
    /// Show whether a clinician has an enrolled voice.
    Show {
        #[arg(long)]
        email: String,
    },
}

/// The speaker model named by `--model`, or the active one, loaded.
pub fn load_speaker_model(g: &GlobalOpts, name: Option<&str>) -> anyhow::Result<SpeakerModel> {
    let dir = g.models_dir();
    let m = match name {
        Some(n) => registry::find_role(&dir, n, Role::Speaker)?,
        None => registry::active(&dir, Role::Speaker)?,
    };
    Ok(SpeakerModel::load(&m)?.with_overlaps(g.overlaps))
}

/// The enrolment embedding of a recording of one voice.
pub fn embed_voice_file(
    model: &SpeakerModel,
    file: &std::path::Path,
) -> anyhow::Result<VoiceEmbedding> {
    let audio = audio::decode_file(file, &DecodeLimits::default())
        .with_context(|| format!("{}", file.display()))?;
    Ok(model.voice_embedding(&audio.samples)?)
}

pub async fn run(g: &GlobalOpts, cmd: VoiceCommand) -> anyhow::Result<()> {
    let store = super::open_store(g).await?;
    match cmd {
        VoiceCommand::Enroll { file, email, model } => {
            let Some(user) = store.user_by_email(&email).await? else {
                bail!("no user with email {email} (see `noted user list`)");
            };
            audio::probe(&file).with_context(|| format!("{}", file.display()))?;
            let model = load_speaker_model(g, model.as_deref())?;
            let voice = tokio::task::spawn_blocking(move || embed_voice_file(&model, &file))
                .await
                .context("enrolment task failed")??;
            let actor = Actor::cli();
            store.set_voice_enrollment(&actor, user.id, &voice).await?;
            println!(
                "enrolled the voice of {} from {:.1} s of speech (model {})",
                user.email, voice.speech_seconds, voice.model
            );
        }
        VoiceCommand::Show { email } => {
            let Some(user) = store.user_by_email(&email).await? else {
                bail!("no user with email {email} (see `noted user list`)");
            };
            match store.voice_enrollment(user.id).await? {
                Some(v) => println!(
                    "{}: enrolled from {:.1} s of speech (model {})",
                    user.email, v.speech_seconds, v.model
                ),
                None => println!("{}: no enrolled voice", user.email),
            }
        }
    }
    Ok(())
}
