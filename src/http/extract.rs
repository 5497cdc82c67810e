//! Request plumbing shared by every router: the authentication + CSRF middleware, and the typed
//! extractors handlers use (`CurrentUser`, `WebUser`, `RemoteAddr`, `ApiJson`).

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

use super::error::{Error, PageError};
use super::AppState;
use crate::audit::Actor;
use crate::auth::{self, AuthVia, Identity, User, Viewer};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "noted_session";
/// Header carrying the CSRF token on cookie-authenticated JSON calls.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Form field carrying the CSRF token (the first field of multipart forms).
pub const CSRF_FIELD: &str = "csrf_token";

/// The caller's address (`ip:port` minus the port; behind a trusted proxy, the client's address
/// it forwards), or `unknown` when not served over TCP.
#[derive(Debug, Clone)]
pub struct RemoteAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RemoteAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<RemoteAddr, Self::Rejection> {
        Ok(remote_addr(parts))
    }
}

fn remote_addr(parts: &Parts) -> RemoteAddr {
    if let Some(r) = parts.extensions.get::<RemoteAddr>() {
        return r.clone();
    }
    RemoteAddr(
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into()),
    )
}

/// The signed-in user. Rejects with a JSON 401 when nobody is signed in.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub via: AuthVia,
    pub remote_addr: String,
}

impl CurrentUser {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// For chart-scoped queries.
    pub fn viewer(&self) -> Viewer {
        self.user.viewer()
    }

    /// For audit rows.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, self.remote_addr.clone())
    }

    /// The CSRF token to embed in forms (cookie sessions only).
    pub fn csrf_token(&self) -> &str {
        match &self.via {
            AuthVia::Session { csrf_token, .. } => csrf_token,
            AuthVia::ApiToken => "",
        }
    }

    pub fn identity(&self) -> Identity {
        Identity {
            user: self.user.clone(),
            via: self.via.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<CurrentUser, Error> {
        let id = parts
            .extensions
            .get::<Identity>()
            .cloned()
            .ok_or(Error::Unauthorized)?;
        Ok(CurrentUser {
            user: id.user,
            via: id.via,
            remote_addr: remote_addr(parts).0,
        })
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        s: &S,
    ) -> Result<Option<CurrentUser>, Self::Rejection> {
        Ok(
            <CurrentUser as FromRequestParts<S>>::from_request_parts(parts, s)
                .await
                .ok(),
        )
    }
}

/// The signed-in user for browser pages: redirects to the sign-in page when nobody is.
#[derive(Debug, Clone)]
pub struct WebUser(pub CurrentUser);

impl std::ops::Deref for WebUser {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for WebUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<WebUser, Response> {
        match CurrentUser::from_request_parts(parts, s).await {
            Ok(u) => Ok(WebUser(u)),
            Err(_) => {
                let target = match super::redirect::local_path(parts.uri.path()) {
                    Some(next) => format!("/login?next={}", url_encode(next)),
                    None => "/login".into(),
                };
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// JSON body extractor whose rejections are clear [`Error`]s: 400 malformed, 422 wrong shape
/// (unknown field, wrong type, with the field named), 413 too large, 415 not JSON.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;
    async fn from_request(req: Request, s: &S) -> Result<ApiJson<T>, Error> {
        match axum::Json::<T>::from_request(req, s).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(json_rejection(rej)),
        }
    }
}

fn json_rejection(rej: JsonRejection) -> Error {
    match rej {
        JsonRejection::JsonDataError(e) => {
            let msg = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| e.body_text());
            Error::field(&field_of(&msg), msg)
        }
        JsonRejection::JsonSyntaxError(e) => Error::BadRequest(format!(
            "malformed JSON: {}",
            std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| e.body_text())
        )),
        JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType(
            "expected a body with Content-Type: application/json".into(),
        ),
        JsonRejection::BytesRejection(e) => {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge("request body is too large".into())
            } else {
                Error::BadRequest(format!("cannot read the request body: {}", e.body_text()))
            }
        }
        other => Error::BadRequest(other.body_text()),
    }
}

/// Best effort: the field a serde message is about (`unknown field `x``, `missing field `x``,
/// or the path before `:`).
fn field_of(msg: &str) -> String {
    if let Some(rest) = msg.split("field `").nth(1) {
        if let Some(name) = rest.split('`').next() {
            return name.to_string();
        }
    }
    match msg.split_once(": ") {
        Some((path, _)) if !path.contains(' ') => path.to_string(),
        _ => "body".into(),
    }
}

/// Reads one cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for a session-scoped, HttpOnly, SameSite=Strict cookie.
pub fn set_cookie(name: &str, value: &str, path: &str, secure: bool, clear: bool) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if clear {
        c.push_str("; Max-Age=0");
    }
    c
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn wants_html(req: &Request) -> bool {
    !req.uri().path().starts_with("/api/")
}

/// Middleware: resolves the caller (API token, else session cookie), stores the [`Identity`] and
/// [`RemoteAddr`] in the request extensions, and refuses state-changing cookie-authenticated
/// requests whose CSRF token (header, form field, or the first field of a multipart form) does
/// not match the session's. A token in the URL is not accepted.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let addr = match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(c) => RemoteAddr(
            state
                .config
                .trusted_proxies
                .client_addr(c.0.ip(), &parts.headers)
                .to_string(),
        ),
        None => remote_addr(&parts),
    };
    parts.extensions.insert(addr);
    let cfg = &state.config.auth;
    let identity = if let Some(token) = bearer(&parts.headers) {
        match auth::resolve_bearer(&state.store, token).await {
            Ok(Some(id)) => Some(id),
            Ok(None) => return Error::Unauthorized.into_response(),
            Err(e) => return Error::from(e).into_response(),
        }
    } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
        match auth::resolve_session(&state.store, cfg, token).await {
            Ok(id) => id,
            Err(e) => return Error::from(e).into_response(),
        }
    } else {
        None
    };
    let mut req = Request::from_parts(parts, body);
    if let Some(id) = identity {
        if let AuthVia::Session { csrf_token, .. } = &id.via {
            if !is_safe(req.method()) {
                let html = wants_html(&req);
                match check_csrf(req, csrf_token, state.config.max_body_bytes).await {
                    Ok(r) => req = r,
                    Err(e) if html => return PageError(e).into_response(),
                    Err(e) => return e.into_response(),
                }
            }
        }
        req.extensions_mut().insert(id);
    }
    next.run(req).await
}

async fn check_csrf(req: Request, expected: &str, limit: usize) -> Result<Request, Error> {
    let refuse = || {
        Error::Forbidden(
            "missing or wrong CSRF token: reload the page and try again (API clients: send the \
             X-CSRF-Token header from GET /api/v1/me, or use an API token)"
                .into(),
        )
    };
    if let Some(h) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if auth::token::constant_time_eq(h, expected) {
            Ok(req)
        } else {
            Err(refuse())
        };
    }
    // Never from the URL: URLs end up in logs, history and Referer headers.
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let (req, token) = multipart_csrf(req).await?;
        return match token {
            Some(v) if auth::token::constant_time_eq(&v, expected) => Ok(req),
            _ => Err(refuse()),
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(refuse());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Error::PayloadTooLarge("form is too large".into()))?;
    match form_value(&bytes, CSRF_FIELD) {
        Some(v) if auth::token::constant_time_eq(&v, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(refuse()),
    }
}

/// How much of a multipart body is read to find its leading CSRF field.
const MULTIPART_CSRF_PEEK: usize = 16 * 1024;

/// The CSRF token of a multipart form (uploads: the body can be a gigabyte, so it is not
/// buffered): it must be the first field, `csrf_token`, within the first
/// [`MULTIPART_CSRF_PEEK`] bytes. Returns the request with its body intact.
async fn multipart_csrf(req: Request) -> Result<(Request, Option<String>), Error> {
    use futures_util::StreamExt;
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut head: Vec<axum::body::Bytes> = Vec::new();
    let mut len = 0usize;
    while len < MULTIPART_CSRF_PEEK {
        match stream.next().await {
            Some(Ok(chunk)) => {
                len += chunk.len();
                head.push(chunk);
            }
            Some(Err(e)) => {
                return Err(Error::BadRequest(format!(
                    "the upload was interrupted: {e}"
                )))
            }
            None => break,
        }
    }
    let mut prefix: Vec<u8> = head.iter().flat_map(|c| c.iter().copied()).collect();
    prefix.truncate(MULTIPART_CSRF_PEEK);
    let mut peek = Request::new(Body::from(prefix));
    if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
        peek.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
    }
    let token = match axum::extract::Multipart::from_request(peek, &()).await {
        Ok(mut mp) => match mp.next_field().await {
            Ok(Some(f)) if f.name() == Some(CSRF_FIELD) => f.text().await.ok(),
            _ => None,
        },
        Err(_) => None,
    };
    let replay = futures_util::stream::iter(head.into_iter().map(Ok::<_, axum::Error>));
    let body = Body::from_stream(replay.chain(stream));
    Ok((Request::from_parts(parts, body), token))
}

fn form_value(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Percent-encodes a path for a query parameter.
pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .map(|e| e[2..].to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_fields_parse() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; noted_session=xyz; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
        assert_eq!(field_of("unknown field `nme`, expected one of ..."), "nme");
        assert_eq!(
            form_value(b"a=1&csrf_token=t%2Bx", "csrf_token").as_deref(),
            Some("t+x")
        );
        assert_eq!(url_encode("/clients/1"), "%2Fclients%2F1");
        let c = set_cookie("n", "v", "/", true, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
    }
}

/// A submitted HTML form as name → values (repeated names keep every value).
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The first value of a field, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    /// The first value, untrimmed (multi-line text).
    pub fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.replace("\r\n", "\n"))
            .unwrap_or_default()
    }

    /// Every value of a repeated field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = PageError;
    async fn from_request(req: Request, s: &S) -> Result<FormData, PageError> {
        match axum::Form::<Vec<(String, String)>>::from_request(req, s).await {
            Ok(axum::Form(v)) => Ok(FormData(v)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => Err(PageError(
                Error::PayloadTooLarge("the form is too large".into()),
            )),
            Err(e) => Err(PageError(Error::BadRequest(format!(
                "cannot read the form: {}",
                e.body_text()
            )))),
        }
    }
}
