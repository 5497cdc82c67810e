//! Noted: local-first therapy-note drafting. Session audio is transcribed by whisper on the
//! clinic's machine, a local language model drafts a cited progress note, and the therapist
//! reviews, edits and signs it.

pub mod audio;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod chart;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod diarize;
pub mod draft;
pub mod embed;
pub mod export;
pub mod http;
pub mod jobs;
pub mod llm;
pub mod measures;
pub mod models;
pub mod notes;
pub mod pipeline;
pub mod store;
pub mod transcribe;
