//! User administration (admins only): `GET/POST /api/v1/users`, disabling and enabling
//! accounts, password resets, listing and revoking API tokens, the `/admin/users` list and one
//! page per user (`/admin/users/{id}`: access, a new password, the user's tokens).
//! Every user: changing their own password (`/account/password`,
//! `POST /api/v1/me/password`) and revoking their own tokens.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;

use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::auth::{self, password, AuthError, ChangePasswordError};
use crate::chart::FieldError;
use crate::store::users::NewUser;
use crate::store::{Role, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users", get(api_list).post(api_create))
        .route("/admin/users", get(list_page).post(create_submit))
        .route("/api/v1/users/{id}/disable", post(api_disable))
        .route("/api/v1/users/{id}/enable", post(api_enable))
        .route("/api/v1/users/{id}/password", put(api_reset_password))
        .route("/api/v1/users/{id}/tokens", get(api_tokens))
        .route("/api/v1/tokens/{id}/revoke", post(api_revoke_token))
        .route("/admin/users/{id}", get(user_page))
        .route("/admin/users/{id}/password", post(reset_submit))
        .route(
            "/admin/users/{id}/tokens/{token}/revoke",
            post(revoke_submit),
        )
        .route("/admin/users/{id}/disable", post(disable_submit))
        .route("/admin/users/{id}/enable", post(enable_submit))
        .route("/api/v1/me/password", post(api_change_password))
        .route(
            "/account/password",
            get(password_page).post(password_submit),
        )
}

/// Body of `POST /api/v1/users`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    pub role: String,
    /// Email of the supervisor, for a clinician under supervision.
    #[serde(default)]
    pub supervisor_email: Option<String>,
    pub password: String,
}

fn require_admin(user: &CurrentUser) -> Result<(), Error> {
    if user.user.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("only admins manage users".into()))
    }
}

/// Validates and creates a user account.
pub async fn create(state: &AppState, user: &CurrentUser, input: UserInput) -> Result<User, Error> {
    let mut errors = Vec::new();
    let email = input.email.trim().to_string();
    if email.is_empty() || !email.contains('@') || email.len() > 200 {
        errors.push(FieldError::new("email", "must be an email address"));
    }
    let role = input
        .role
        .parse::<Role>()
        .map_err(|e| errors.push(FieldError::new("role", e)))
        .ok();
    let mut supervisor_id = None;
    if let Some(s) = input
        .supervisor_email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match state.store.user_by_email(s).await? {
            Some(u) if u.role == Role::Supervisor => supervisor_id = Some(u.id),
            Some(_) => errors.push(FieldError::new(
                "supervisor_email",
                "that user is not a supervisor",
            )),
            None => errors.push(FieldError::new(
                "supervisor_email",
                "no user with that email",
            )),
        }
    }
    if let Err(e) = password::check_policy(&input.password) {
        errors.push(FieldError::new("password", e.to_string()));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let hash = password::hash(state.config.auth.password, input.password)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let new = NewUser {
        email,
        display_name: input.display_name.trim().to_string(),
        role: role.unwrap_or(Role::Clinician),
        supervisor_id,
        password_hash: hash,
    };
    Ok(state.store.create_user(&user.actor(), &new).await?)
}

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<serde_json::Value>, Error> {
    require_admin(&user)?;
    Ok(Json(
        serde_json::json!({ "users": state.store.list_users().await? }),
    ))
}

async fn api_create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<UserInput>,
) -> Result<Response, Error> {
    require_admin(&user)?;
    Ok((
        StatusCode::CREATED,
        Json(create(&state, &user, input).await?),
    )
        .into_response())
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    values: BTreeMap<String, String>,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, Error> {
    let errors = super::templates::errors_by_field(errors);
    let html = render(
        "users.html",
        minijinja::context! {
            title => "Users", users => state.store.list_users().await?, values => values, errors => errors, ..page_base(user)
        },
    )?;
    Ok((status, html).into_response())
}

async fn list_page(State(state): State<AppState>, user: WebUser) -> Result<Response, PageError> {
    require_admin(&user)?;
    Ok(users_page(&state, &user, BTreeMap::new(), &[], StatusCode::OK).await?)
}

async fn create_submit(
    State(state): State<AppState>,
    user: WebUser,
    form: FormData,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let input = UserInput {
        email: form.get("email"),
        display_name: form.get("display_name"),
        role: form.get("role"),
        supervisor_email: Some(form.get("supervisor_email")),
        password: form.text("password"),
    };
    let mut values: BTreeMap<String, String> = form.0.iter().cloned().collect();
    values.remove("password");
    match create(&state, &user, input).await {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(Error::Validation(errs)) => Ok(users_page(
            &state,
            &user,
            values,
            &errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?),
        Err(Error::Conflict(m)) => Ok(users_page(
            &state,
            &user,
            values,
            &[FieldError::new("email", m)],
            StatusCode::CONFLICT,
        )
        .await?),
        Err(e) => Err(e.into()),
    }
}

// ----- Taking access away ---------------------------------------------------------------------

/// Disables (ending every session and revoking every token at once) or enables an account.
async fn set_disabled(
    state: &AppState,
    admin: &CurrentUser,
    id: i64,
    disabled: bool,
) -> Result<crate::store::users::AccessChange, Error> {
    require_admin(admin)?;
    if disabled && id == admin.id() {
        return Err(Error::Conflict(
            "you cannot disable your own account: ask another admin".into(),
        ));
    }
    Ok(state
        .store
        .set_user_disabled(&admin.actor(), id, disabled)
        .await?)
}

async fn api_disable(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let change = set_disabled(&state, &user, id, true).await?;
    Ok(Json(
        serde_json::json!({ "user_id": id, "disabled": true, "ended": change }),
    ))
}

async fn api_enable(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    set_disabled(&state, &user, id, false).await?;
    Ok(Json(
        serde_json::json!({ "user_id": id, "disabled": false }),
    ))
}

async fn disable_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(&state, &user, id, true).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn enable_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(&state, &user, id, false).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// Body of `PUT /api/v1/users/{id}/password`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetBody {
    password: String,
}

/// An admin sets a new password for user `id`; every sign-in session of that user ends.
/// Returns how many ended.
async fn reset_password(
    state: &AppState,
    admin: &CurrentUser,
    id: i64,
    new: String,
) -> Result<u64, Error> {
    require_admin(admin)?;
    state.store.user(id).await?.ok_or(Error::NotFound("user"))?;
    password::check_policy(&new).map_err(|e| Error::field("password", e.to_string()))?;
    let hash = password::hash(state.config.auth.password, new)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(state
        .store
        .set_password_hash(&admin.actor(), id, &hash, None)
        .await?)
}

/// An admin sets a new password for a user; every session of that user ends.
async fn api_reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ResetBody>,
) -> Result<Json<serde_json::Value>, Error> {
    let ended = reset_password(&state, &user, id, b.password).await?;
    Ok(Json(
        serde_json::json!({ "user_id": id, "sessions_ended": ended }),
    ))
}

/// A user's API tokens, each with whether it is still accepted now.
#[derive(Debug, serde::Serialize)]
struct TokenView {
    #[serde(flatten)]
    token: crate::store::auth::ApiToken,
    active: bool,
}

async fn tokens_of(state: &AppState, id: i64) -> Result<Vec<TokenView>, Error> {
    let now = crate::store::now();
    Ok(state
        .store
        .list_api_tokens(id)
        .await?
        .into_iter()
        .map(|token| TokenView {
            active: token.is_active(&now),
            token,
        })
        .collect())
}

/// Tokens of a user: admins see anyone's, others only their own (else 404).
async fn api_tokens(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    if user.user.role != Role::Admin && user.id() != id {
        return Err(Error::NotFound("user"));
    }
    let tokens = tokens_of(&state, id).await?;
    Ok(Json(serde_json::json!({ "tokens": tokens })))
}

/// Revokes token `id`: admins any, others their own (else 404).
async fn revoke_token(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<crate::store::auth::ApiToken, Error> {
    let t = state
        .store
        .api_token(id)
        .await?
        .ok_or(Error::NotFound("api token"))?;
    if user.user.role != Role::Admin && t.user_id != user.id() {
        return Err(Error::NotFound("api token"));
    }
    Ok(state.store.revoke_api_token(&user.actor(), id).await?)
}

async fn api_revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<crate::store::auth::ApiToken>, Error> {
    Ok(Json(revoke_token(&state, &user, id).await?))
}

/// `/admin/users/{id}`: one user's access, a new password, and their tokens.
async fn admin_user_page(
    state: &AppState,
    admin: &CurrentUser,
    id: i64,
    notice: Option<&str>,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, Error> {
    require_admin(admin)?;
    let who = state.store.user(id).await?.ok_or(Error::NotFound("user"))?;
    let errors = super::templates::errors_by_field(errors);
    let html = render(
        "user.html",
        minijinja::context! {
            title => format!("User {}", who.email),
            who => who,
            tokens => tokens_of(state, id).await?,
            notice => notice,
            errors => errors,
            ..page_base(admin)
        },
    )?;
    Ok((status, html).into_response())
}

async fn user_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(admin_user_page(&state, &user, id, None, &[], StatusCode::OK).await?)
}

async fn reset_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let new = form.text("password");
    if new != form.text("confirm_password") {
        let e = [FieldError::new(
            "confirm_password",
            "the two passwords differ",
        )];
        return Ok(admin_user_page(
            &state,
            &user,
            id,
            None,
            &e,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?);
    }
    match reset_password(&state, &user, id, new).await {
        Ok(ended) => {
            let notice = format!("Password set; {ended} sign-in session(s) ended.");
            Ok(admin_user_page(&state, &user, id, Some(&notice), &[], StatusCode::OK).await?)
        }
        Err(Error::Validation(errs)) => Ok(admin_user_page(
            &state,
            &user,
            id,
            None,
            &errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?),
        Err(e) => Err(e.into()),
    }
}

async fn revoke_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, token)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let t = state
        .store
        .api_token(token)
        .await?
        .filter(|t| t.user_id == id)
        .ok_or(Error::NotFound("api token"))?;
    revoke_token(&state, &user, t.id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

// ----- Changing one's own password ------------------------------------------------------------

impl From<ChangePasswordError> for Error {
    fn from(e: ChangePasswordError) -> Error {
        match e {
            ChangePasswordError::Auth(AuthError::BadCredentials) => {
                Error::Forbidden("the current password is incorrect".into())
            }
            ChangePasswordError::Auth(a) => a.into(),
            ChangePasswordError::Policy(m) => Error::field("new_password", m),
            ChangePasswordError::Hash(m) => Error::Internal(m),
        }
    }
}

/// Body of `POST /api/v1/me/password`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeBody {
    current_password: String,
    new_password: String,
}

async fn api_change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Result<StatusCode, Error> {
    auth::change_password(
        &state.store,
        &state.config.auth,
        &user.identity(),
        &b.current_password,
        &b.new_password,
        &user.remote_addr,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn password_form(
    user: &CurrentUser,
    errors: &[FieldError],
    done: bool,
    status: StatusCode,
) -> Result<Response, Error> {
    let errors = super::templates::errors_by_field(errors);
    let html = render(
        "account_password.html",
        minijinja::context! { title => "Change password", errors => errors, done => done, ..page_base(user) },
    )?;
    Ok((status, html).into_response())
}

async fn password_page(user: WebUser) -> Result<Response, PageError> {
    Ok(password_form(&user, &[], false, StatusCode::OK)?)
}

async fn password_submit(
    State(state): State<AppState>,
    user: WebUser,
    form: FormData,
) -> Result<Response, PageError> {
    let new = form.text("new_password");
    if new != form.text("confirm_password") {
        let e = [FieldError::new(
            "confirm_password",
            "the two new passwords differ",
        )];
        return Ok(password_form(
            &user,
            &e,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        )?);
    }
    let result = auth::change_password(
        &state.store,
        &state.config.auth,
        &user.identity(),
        &form.text("current_password"),
        &new,
        &user.remote_addr,
    )
    .await;
    match result.map_err(Error::from) {
        Ok(()) => Ok(password_form(&user, &[], true, StatusCode::OK)?),
        Err(Error::Validation(errs)) => Ok(password_form(
            &user,
            &errs,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        )?),
        Err(Error::Forbidden(m)) => Ok(password_form(
            &user,
            &[FieldError::new("current_password", m)],
            false,
            StatusCode::FORBIDDEN,
        )?),
        Err(e) => Err(e.into()),
    }
}
