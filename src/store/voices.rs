//! Enrolled clinician voices (`voice_enrollments`): one speaker embedding per user, used to
//! tell the therapist from the client in session recordings (see [`crate::diarize`]).

use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};
use crate::diarize::VoiceEmbedding;

impl Store {
    /// Stores (or replaces) a user's enrolled voice; audited as `user.voice_enroll`.
    pub async fn set_voice_enrollment(
        &self,
        actor: &Actor,
        user_id: i64,
        voice: &VoiceEmbedding,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        exec!(&mut tx, sqlx::query(
            "INSERT INTO voice_enrollments (user_id, model, embedding, speech_seconds, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id) DO UPDATE SET model = excluded.model,
                 embedding = excluded.embedding, speech_seconds = excluded.speech_seconds,
                 created_at = excluded.created_at",
        )
        .bind(user_id)
        .bind(&voice.model)
        .bind(voice.vector_bytes())
        .bind(voice.speech_seconds)
        .bind(super::now()))?;
        let event = Event::new("user.voice_enroll", "user", user_id).detail(serde_json::json!({
            "model": voice.model, "speech_seconds": voice.speech_seconds
        }));
        audit::append(&mut tx, actor, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's enrolled voice, if any (a row with a malformed vector reads as none).
    pub async fn voice_enrollment(
        &self,
        user_id: i64,
    ) -> Result<Option<VoiceEmbedding>, StoreError> {
        let row: Option<(String, Vec<u8>, f64)> = db!(self, |x| sqlx::query_as(
            "SELECT model, embedding, speech_seconds FROM voice_enrollments WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(x)
        .await)?;
        Ok(row.and_then(|(model, bytes, speech_seconds)| {
            Some(VoiceEmbedding {
                model,
                vector: VoiceEmbedding::vector_from_bytes(&bytes)?,
                speech_seconds,
            })
        }))
    }
}
