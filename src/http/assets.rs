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

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(style))
        .route("/static/copy.js", get(|| script(COPY_JS)))
        .route("/static/transcript.js", get(|| script(TRANSCRIPT_JS)))
}

/// A script of the app, cached for an hour.
pub(super) async fn script(body: &'static str) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE_CSS,
    )
}
