//! The one HTTP error type: every handler returns `Result<_, Error>`. JSON handlers render it as
//! `{"error": message, "code": ..., "fields": [...]}`; page handlers wrap it in [`PageError`],
//! which renders an HTML page (or redirects to sign-in on 401). Internal errors are logged with
//! an id and answered with that id only.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::auth::AuthError;
use crate::chart::{FieldError, Invalid};
use crate::measures::MeasureError;
use crate::store::StoreError;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request could not be read (malformed JSON, bad query).
    #[error("{0}")]
    BadRequest(String),
    /// 422: readable but invalid; each field with its reason.
    #[error("{}", Invalid(.0.clone()))]
    Validation(Vec<FieldError>),
    /// 401: not signed in (or the session expired).
    #[error("sign in required")]
    Unauthorized,
    /// 401: a sign-in attempt with a wrong email or password.
    #[error("email or password is incorrect")]
    BadCredentials,
    /// 403: signed in, but this action is not allowed (e.g. a missing CSRF token).
    #[error("{0}")]
    Forbidden(String),
    /// 404: not found, or not yours (the same answer on purpose).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: conflicts with the current state (stale version, already signed...).
    #[error("{0}")]
    Conflict(String),
    /// 413: body too large.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: wrong content type.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429: rate limited.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: i64,
    },
    /// 507: the data directory's disk is too full to take this.
    #[error("{0}")]
    InsufficientStorage(String),
    /// 503: a service the request needs (the practice's audio store) failed; try again.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or an environment problem. The message is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// 422 for a single field.
    pub fn field(field: &str, reason: impl Into<String>) -> Error {
        Error::Validation(vec![FieldError::new(field, reason)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unauthorized | Error::BadCredentials => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Validation(_) => "validation",
            Error::Unauthorized => "unauthorized",
            Error::BadCredentials => "bad_credentials",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::PayloadTooLarge(_) => "payload_too_large",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::TooManyRequests { .. } => "too_many_requests",
            Error::InsufficientStorage(_) => "insufficient_storage",
            Error::Unavailable(_) => "unavailable",
            Error::Internal(_) => "internal",
        }
    }

    /// The message safe to show: for 500s, only a reference id (and the log gets the details).
    pub fn public_message(&self) -> (String, Option<String>) {
        match self {
            Error::Internal(detail) => {
                let id = crate::auth::token::random_token()[..12].to_string();
                tracing::error!(error_id = %id, "internal error: {detail}");
                (
                    format!("internal error (reference {id}); the details are in the server log"),
                    Some(id),
                )
            }
            other => (other.to_string(), None),
        }
    }

    /// The field errors of a 422, else empty.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation(f) => f,
            _ => &[],
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: String,
    code: &'static str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    fields: &'a [FieldError],
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let (message, id) = self.public_message();
        let body = Body {
            error: message,
            code: self.code(),
            fields: self.fields(),
            id,
        };
        let mut resp = (status, axum::Json(body)).into_response();
        if let Error::TooManyRequests {
            retry_after_secs, ..
        } = &self
        {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"noted\""),
            );
        }
        resp
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::NotFound(what) => Error::NotFound(what),
            StoreError::Conflict(m) => Error::Conflict(m),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Error {
        Error::Validation(e.0)
    }
}

impl From<MeasureError> for Error {
    fn from(e: MeasureError) -> Error {
        Error::field("answers", e.to_string())
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Error {
        match e {
            AuthError::BadCredentials => Error::BadCredentials,
            AuthError::RateLimited {
                retry_after_secs, ..
            } => Error::TooManyRequests {
                message: e.to_string(),
                retry_after_secs,
            },
            AuthError::Busy => Error::TooManyRequests {
                message: e.to_string(),
                retry_after_secs: 5,
            },
            AuthError::Store(s) => s.into(),
        }
    }
}

impl From<minijinja::Error> for Error {
    fn from(e: minijinja::Error) -> Error {
        Error::Internal(format!("template: {e:#}"))
    }
}

/// An [`Error`] rendered as an HTML page for the browser UI; 401 redirects to sign-in.
#[derive(Debug)]
pub struct PageError(pub Error);

impl<E: Into<Error>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, Error::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        let status = self.0.status();
        let (message, _) = self.0.public_message();
        let ctx = minijinja::context! {
            status => status.as_u16(),
            reason => status.canonical_reason().unwrap_or(""),
            message => message,
            fields => self.0.fields(),
        };
        match super::templates::render_raw("error.html", ctx) {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(_) => (status, message).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_details() {
        let (msg, id) = Error::Internal("disk /secret failed".into()).public_message();
        assert!(!msg.contains("secret"));
        assert!(id.is_some());
        assert_eq!(Error::NotFound("client").to_string(), "client not found");
    }
}
