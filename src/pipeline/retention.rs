//! What the server deletes on its own, on a timer: the audio of recordings that reached an end
//! state without being kept, typed summaries left in finished draft jobs, and sign-in records
//! (emails, addresses) past their use for rate limiting.

use crate::store::audio::AudioStore;
use crate::store::{format_ts, Store};

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Draft jobs whose typed summary was removed from the payload.
    pub job_summaries: u64,
    /// Sign-in attempt and refusal rows deleted.
    pub login_records: u64,
}

/// Runs every retention rule as of `now` (see [`super::transcription::sweep_audio_at`],
/// [`Store::purge_job_summaries`], [`Store::purge_login_records`]). Failures are logged and
/// retried at the next sweep.
pub async fn sweep_at(store: &Store, audio: &AudioStore, now: time::OffsetDateTime) -> Swept {
    super::transcription::sweep_audio_at(store, audio, now).await;
    let ended_before = format_ts(now - super::transcription::ENDED_AUDIO_GRACE);
    let job_summaries = store
        .purge_job_summaries(&ended_before)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!("purging typed summaries from jobs failed: {e}");
            0
        });
    let login_records = store
        .purge_login_records(now.unix_timestamp() - crate::auth::KNOWN_ADDRESS_SECS)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!("purging sign-in records failed: {e}");
            0
        });
    Swept {
        job_summaries,
        login_records,
    }
}
