//! The process-wide inference engines (whisper and the language model), loaded lazily from the
//! active models on first use and then shared by every job, so the weights are mapped once.
//!
//! ```no_run
//! # async fn demo() -> Result<(), noted::pipeline::engines::EngineError> {
//! use std::sync::Arc;
//! use noted::pipeline::engines::Engines;
//! let engines = Arc::new(Engines::new("/srv/noted/models".into(), None));
//! let whisper = engines.asr().await?; // Arc<transcribe::Engine>, loaded on the first call
//! let llm = engines.llm().await?;     // Arc<llm::Llm>
//! # let _ = (whisper, llm); Ok(()) }
//! ```
//!
//! The server starts (and the chart works) without any model installed: only the jobs that
//! need a model fail, with an error naming `noted models install --tier test`. A failed load is
//! not cached, so installing a model and retrying the job works without a restart.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::diarize::{DiarizeError, SpeakerModel};
use crate::llm::{Llm, LlmError};
use crate::models::registry::{self, ModelError, Role};
use crate::transcribe::{Engine, EngineOptions, TranscribeError};

/// The command that installs the models the tests and a first run need.
pub const INSTALL_HINT: &str = "noted models install --tier test";

/// Why an engine could not be loaded. Messages name the model and the command that fixes it.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Model(#[from] ModelError),
    #[error("cannot load the speech model: {0}{hint}", hint = hint(.0))]
    Speech(TranscribeError),
    #[error("cannot load the language model: {0}{hint}", hint = hint(.0))]
    Language(LlmError),
    #[error("cannot load the speaker model: {0}")]
    Speaker(DiarizeError),
    #[error("loading a model crashed: {0}")]
    Crashed(String),
}

/// Appends the install command unless the message already names one.
fn hint(e: &dyn std::fmt::Display) -> String {
    if e.to_string().contains("noted models") {
        String::new()
    } else {
        format!(" (reinstall with `{INSTALL_HINT}` or pick another with `noted models use NAME`)")
    }
}

/// Lazily loaded, shared engines. Cheap to share in an `Arc`; each getter loads at most once
/// (concurrent first calls wait for the same load).
pub struct Engines {
    models_dir: PathBuf,
    threads: Option<usize>,
    asr: OnceCell<Arc<Engine>>,
    llm: OnceCell<Arc<Llm>>,
    speaker: OnceCell<Arc<SpeakerModel>>,
    /// Whether the speaker model marks overlapped speech ([`Engines::with_overlaps`]).
    overlaps: bool,
}

impl std::fmt::Debug for Engines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engines")
            .field("models_dir", &self.models_dir)
            .field("threads", &self.threads)
            .field("asr_loaded", &self.asr.initialized())
            .field("llm_loaded", &self.llm.initialized())
            .finish()
    }
}

impl Engines {
    /// Engines reading the active models of `models_dir`; `threads` per inference job
    /// (`None` = every core).
    pub fn new(models_dir: PathBuf, threads: Option<usize>) -> Engines {
        Engines {
            models_dir,
            threads: threads.filter(|&t| t > 0),
            asr: OnceCell::new(),
            llm: OnceCell::new(),
            speaker: OnceCell::new(),
            overlaps: true,
        }
    }

    /// Whether session diarization marks overlapped speech (default true; false skips the
    /// segmentation model and its cost).
    pub fn with_overlaps(mut self, overlaps: bool) -> Engines {
        self.overlaps = overlaps;
        self
    }

    pub fn models_dir(&self) -> &Path {
        &self.models_dir
    }

    /// Threads per inference job, if configured.
    pub fn threads(&self) -> Option<usize> {
        self.threads
    }

    /// The whisper engine of the active speech model, loaded on first use (off the runtime).
    pub async fn asr(&self) -> Result<Arc<Engine>, EngineError> {
        self.asr
            .get_or_try_init(|| async {
                let dir = self.models_dir.clone();
                let threads = self.threads;
                let engine = blocking(move || {
                    let model = registry::active(&dir, Role::Asr)?;
                    tracing::info!(model = %model.name, "loading speech model");
                    let opts = EngineOptions {
                        threads,
                        ..EngineOptions::default()
                    };
                    Engine::load(&model, opts).map_err(|e| match e {
                        TranscribeError::Model(m) => EngineError::Model(m),
                        other => EngineError::Speech(other),
                    })
                })
                .await?;
                Ok(Arc::new(engine))
            })
            .await
            .cloned()
    }

    /// The language model of the active `llm` model, loaded on first use (off the runtime).
    pub async fn llm(&self) -> Result<Arc<Llm>, EngineError> {
        self.llm
            .get_or_try_init(|| async {
                let dir = self.models_dir.clone();
                let llm = blocking(move || {
                    let model = registry::active(&dir, Role::Llm)?;
                    tracing::info!(model = %model.name, "loading language model");
                    Llm::load(&model).map_err(EngineError::Language)
                })
                .await?;
                Ok(Arc::new(llm))
            })
            .await
            .cloned()
    }

    /// The speaker model (diarization) of the active `speaker` model, loaded on first use;
    /// `Ok(None)` when none is installed (sessions are then transcribed without speakers).
    pub async fn speaker(&self) -> Result<Option<Arc<SpeakerModel>>, EngineError> {
        let r = self
            .speaker
            .get_or_try_init(|| async {
                let dir = self.models_dir.clone();
                let overlaps = self.overlaps;
                let m = blocking(move || {
                    let model = registry::active(&dir, Role::Speaker)?;
                    tracing::info!(model = %model.name, overlaps, "loading speaker model");
                    SpeakerModel::load(&model)
                        .map(|m| m.with_overlaps(overlaps))
                        .map_err(EngineError::Speaker)
                })
                .await?;
                Ok(Arc::new(m))
            })
            .await;
        match r {
            Ok(m) => Ok(Some(m.clone())),
            Err(EngineError::Model(ModelError::NotInstalled { .. })) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The speech engine if it is already loaded (never loads).
    pub fn asr_if_loaded(&self) -> Option<Arc<Engine>> {
        self.asr.get().cloned()
    }

    /// The language model if it is already loaded (never loads).
    pub fn llm_if_loaded(&self) -> Option<Arc<Llm>> {
        self.llm.get().cloned()
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, EngineError> + Send + 'static,
) -> Result<T, EngineError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(EngineError::Crashed(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn missing_models_name_the_install_command() {
        let dir = std::env::temp_dir().join(format!("noted-engines-{}", std::process::id()));
        let engines = Engines::new(dir.clone(), Some(1));
        let e = engines.asr().await.expect_err("no model").to_string();
        assert!(e.contains(INSTALL_HINT), "{e}");
        let e = engines.llm().await.err().expect("no model").to_string();
        assert!(e.contains("noted models install"), "{e}");
        assert!(engines.asr_if_loaded().is_none());
        let _ = std::fs::remove_dir_all(dir);
    }
}
