//! Static assets embedded in the binary: the stylesheet and the small page scripts.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::AppState;

const STYLE_CSS: &str = include_str!("../../static/style.css");
/// "Copy note" on the note and review pages.
const COPY_JS: &str = include_str!("../../static/copy.js");
/// The transcript page as one editable document (keyboard, saving in the background).
const TRANSCRIPT_JS: &str = include_str!("../../static/transcript.js");
/// The review page: statements, flags, plan updates.
const REVIEW_JS: &str = include_str!("../../static/review.js");
const REVIEW_CSS: &str = include_str!("../../static/review.css");
/// The recording page (microphone capture, chunked upload) and live job progress.
const RECORDER_JS: &str = include_str!("../../static/recorder.js");
const JOBS_JS: &str = include_str!("../../static/jobs.js");

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(|| cached(CSS, STYLE_CSS)))
        .route("/static/copy.js", get(|| cached(JS, COPY_JS)))
        .route("/static/transcript.js", get(|| cached(JS, TRANSCRIPT_JS)))
        .route("/static/review.js", get(|| cached(JS, REVIEW_JS)))
        .route("/static/review.css", get(|| cached(CSS, REVIEW_CSS)))
        .route("/static/recorder.js", get(|| cached(JS, RECORDER_JS)))
        .route("/static/jobs.js", get(|| cached(JS, JOBS_JS)))
}

/// An asset of the app, cached for an hour.
async fn cached(content_type: &'static str, body: &'static str) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
