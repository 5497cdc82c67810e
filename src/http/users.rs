//! User administration (admins only): `GET/POST /api/v1/users` and the `/admin/users` page.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::auth::password;
use crate::chart::FieldError;
use crate::store::users::NewUser;
use crate::store::{Role, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users", get(api_list).post(api_create))
        .route("/admin/users", get(list_page).post(create_submit))
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
    let errors: BTreeMap<String, String> = errors
        .iter()
        .map(|e| (e.field.clone(), e.reason.clone()))
        .collect();
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
