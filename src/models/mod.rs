//! Models: the catalog, installation from package registries, conversion, the installed set.

pub mod add;
pub mod catalog;
pub mod ct2;
pub mod gguf;
pub mod install;
pub mod mel;
pub mod registry;
pub mod whisper_ggml;

pub use registry::{InstalledModel, ModelError, Role};
