//! Signing in and out: the sign-in page, `POST /logout`, and the JSON equivalents
//! (`POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/me`).

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::extract::{cookie, set_cookie, FormData, SESSION_COOKIE};
use super::templates::render;
use super::{ApiJson, AppState, CurrentUser, Error, PageError, RemoteAddr, WebUser};
use crate::auth::{self, AuthError, Identity};

/// Pre-session cookie for the sign-in form's CSRF token (double submit).
const LOGIN_CSRF_COOKIE: &str = "noted_login_csrf";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/clients") }))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout_page))
        .route("/api/v1/auth/login", post(api_login))
        .route("/api/v1/auth/logout", post(api_logout))
        .route("/api/v1/me", get(api_me))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

fn safe_next(next: &str) -> &str {
    super::redirect::local_or(next, "/clients")
}

fn login_form(
    state: &AppState,
    next: &str,
    email: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, Error> {
    let token = auth::token::random_token();
    let html = render(
        "login.html",
        minijinja::context! { csrf => &token, next => next, email => email, error => error },
    )?;
    let c = set_cookie(
        LOGIN_CSRF_COOKIE,
        &token,
        "/login",
        state.config.secure_cookies,
        false,
    );
    Ok((status, [(header::SET_COOKIE, c)], html).into_response())
}

async fn login_page(
    State(state): State<AppState>,
    id: Option<CurrentUser>,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    let next = safe_next(q.next.as_deref().unwrap_or("/clients")).to_string();
    if id.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    Ok(login_form(&state, &next, "", None, StatusCode::OK)?)
}

async fn login_submit(
    State(state): State<AppState>,
    RemoteAddr(addr): RemoteAddr,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, PageError> {
    let next = safe_next(&form.get("next")).to_string();
    let email = form.get("email");
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !auth::token::constant_time_eq(expected, &form.get("csrf_token")) {
        let msg = "Your sign-in form expired. Please try again.".to_string();
        return Ok(login_form(
            &state,
            &next,
            &email,
            Some(msg),
            StatusCode::FORBIDDEN,
        )?);
    }
    match auth::sign_in(
        &state.store,
        &state.config.auth,
        &email,
        &form.text("password"),
        &addr,
    )
    .await
    {
        Ok(s) => {
            let secure = state.config.secure_cookies;
            let mut resp = Redirect::to(&next).into_response();
            let h = resp.headers_mut();
            if let Ok(v) = set_cookie(SESSION_COOKIE, &s.token, "/", secure, false).parse() {
                h.append(header::SET_COOKIE, v);
            }
            if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, "", "/login", secure, true).parse() {
                h.append(header::SET_COOKIE, v);
            }
            Ok(resp)
        }
        Err(AuthError::Store(e)) => Err(e.into()),
        Err(e) => {
            let status = match e {
                AuthError::RateLimited { .. } | AuthError::Busy => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            Ok(login_form(
                &state,
                &next,
                &email,
                Some(e.to_string()),
                status,
            )?)
        }
    }
}

async fn logout_page(State(state): State<AppState>, user: WebUser) -> Result<Response, PageError> {
    auth::sign_out(&state.store, &user.identity(), &user.remote_addr).await?;
    let c = set_cookie(SESSION_COOKIE, "", "/", state.config.secure_cookies, true);
    Ok(([(header::SET_COOKIE, c)], Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    email: String,
    password: String,
}

async fn api_login(
    State(state): State<AppState>,
    RemoteAddr(addr): RemoteAddr,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, Error> {
    let s = auth::sign_in(
        &state.store,
        &state.config.auth,
        &body.email,
        &body.password,
        &addr,
    )
    .await?;
    let c = set_cookie(
        SESSION_COOKIE,
        &s.token,
        "/",
        state.config.secure_cookies,
        false,
    );
    Ok((
        [(header::SET_COOKIE, c)],
        Json(serde_json::json!({"user": s.user, "csrf_token": s.csrf_token})),
    )
        .into_response())
}

async fn api_logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, Error> {
    auth::sign_out(&state.store, &user.identity(), &user.remote_addr).await?;
    let c = set_cookie(SESSION_COOKIE, "", "/", state.config.secure_cookies, true);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, c)]).into_response())
}

async fn api_me(user: CurrentUser) -> Json<serde_json::Value> {
    let csrf = match &user.identity() {
        Identity {
            via: auth::AuthVia::Session { csrf_token, .. },
            ..
        } => Some(csrf_token.clone()),
        _ => None,
    };
    Json(serde_json::json!({"user": user.user, "csrf_token": csrf}))
}
