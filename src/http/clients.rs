//! Clients: `GET/POST /api/v1/clients`, `GET/PATCH /api/v1/clients/{id}`, and the pages for the
//! client list (with search), the client chart, and the profile forms.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::chart::{ClientInput, ClientPatch, FieldError};
use crate::store::{Client, Role, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients", get(api_list).post(api_create))
        .route("/api/v1/clients/{id}", get(api_get).patch(api_patch))
        .route("/clients", get(list_page).post(create_submit))
        .route("/clients/new", get(new_page))
        .route("/clients/{id}", get(chart_page))
        .route("/clients/{id}/edit", get(edit_page).post(edit_submit))
}

#[derive(Deserialize)]
struct Search {
    q: Option<String>,
}

/// Creates a client for `user` (assigned to `input.clinician_id` or the user), checking the
/// assignment rule. Input must be normalized; it is validated here.
async fn create(state: &AppState, user: &CurrentUser, input: ClientInput) -> Result<Client, Error> {
    input.validate()?;
    let clinician_id = input.clinician_id.unwrap_or(user.id());
    if !state.store.may_assign(user.viewer(), clinician_id).await? {
        return Err(Error::field(
            "clinician_id",
            "you cannot assign clients to this user",
        ));
    }
    Ok(state
        .store
        .create_client(&user.actor(), clinician_id, &input)
        .await?)
}

async fn update(
    state: &AppState,
    user: &CurrentUser,
    current: &Client,
    input: ClientInput,
) -> Result<Client, Error> {
    input.validate()?;
    let clinician_id = input.clinician_id.unwrap_or(current.clinician_id);
    if clinician_id != current.clinician_id
        && !state.store.may_assign(user.viewer(), clinician_id).await?
    {
        return Err(Error::field(
            "clinician_id",
            "you cannot assign clients to this user",
        ));
    }
    Ok(state
        .store
        .update_client(&user.actor(), current.id, clinician_id, &input)
        .await?)
}

// ----- JSON API -------------------------------------------------------------------------------

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(s): Query<Search>,
) -> Result<Json<serde_json::Value>, Error> {
    let clients = state
        .store
        .list_clients(user.viewer(), s.q.as_deref())
        .await?;
    state
        .audit(
            &user,
            Event::new("client.list", "client", "")
                .detail(serde_json::json!({"count": clients.len(), "search": s.q.is_some()})),
        )
        .await?;
    Ok(Json(serde_json::json!({ "clients": clients })))
}

async fn api_create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ClientInput>,
) -> Result<Response, Error> {
    let client = create(&state, &user, input.normalized()).await?;
    Ok((StatusCode::CREATED, Json(client)).into_response())
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Client>, Error> {
    let client = state.client_for(&user, id).await?;
    state
        .audit(&user, Event::new("client.view", "client", id).client(id))
        .await?;
    Ok(Json(client))
}

async fn api_patch(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<ClientPatch>,
) -> Result<Json<Client>, Error> {
    let current = state.client_for(&user, id).await?;
    let input = patch.apply(current.to_input()).normalized();
    Ok(Json(update(&state, &user, &current, input).await?))
}

// ----- Pages ----------------------------------------------------------------------------------

async fn list_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(s): Query<Search>,
) -> Result<Html<String>, PageError> {
    let q = s.q.unwrap_or_default();
    let clients = state.store.list_clients(user.viewer(), Some(&q)).await?;
    state
        .audit(
            &user,
            Event::new("client.list", "client", "")
                .detail(serde_json::json!({"count": clients.len(), "search": !q.is_empty()})),
        )
        .await?;
    Ok(render(
        "clients.html",
        minijinja::context! { title => "Clients", clients => clients, q => q, ..page_base(&user)
        },
    )?)
}

/// Users a client may be assigned to by this user (for the form's select), `None` = only self.
async fn assignable(state: &AppState, user: &User) -> Result<Option<Vec<User>>, Error> {
    let list = match user.role {
        Role::Clinician => return Ok(None),
        Role::Supervisor => {
            let mut v = vec![user.clone()];
            v.extend(state.store.supervisees(user.id).await?);
            v
        }
        Role::Admin => state
            .store
            .list_users()
            .await?
            .into_iter()
            .filter(|u| !u.disabled && (u.role != Role::Admin || u.id == user.id))
            .collect(),
    };
    Ok(if list.len() > 1 { Some(list) } else { None })
}

async fn client_form(
    state: &AppState,
    user: &CurrentUser,
    title: &str,
    action: &str,
    values: &ClientInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, Error> {
    let html = render(
        "client_form.html",
        minijinja::context! {
            title => title, action => action, c => values,
            errors => super::templates::errors_by_field(errors),
            clinicians => assignable(state, &user.user).await?, ..page_base(user)
        },
    )?;
    Ok((status, html).into_response())
}

fn input_from_form(f: &FormData) -> Result<ClientInput, Vec<FieldError>> {
    let clinician_id = match f.get("clinician_id") {
        s if s.is_empty() => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| vec![FieldError::new("clinician_id", "must be a user id")])?,
        ),
    };
    Ok(ClientInput {
        full_name: f.get("full_name"),
        date_of_birth: f.get("date_of_birth"),
        phone: f.get("phone"),
        email: f.get("email"),
        address: f.text("address"),
        insurance_provider: f.get("insurance_provider"),
        insurance_member_id: f.get("insurance_member_id"),
        emergency_contact_name: f.get("emergency_contact_name"),
        emergency_contact_relationship: f.get("emergency_contact_relationship"),
        emergency_contact_phone: f.get("emergency_contact_phone"),
        medical_history: f.text("medical_history"),
        clinician_id,
    }
    .normalized())
}

async fn new_page(State(state): State<AppState>, user: WebUser) -> Result<Response, PageError> {
    let blank = ClientInput {
        clinician_id: Some(user.id()),
        ..Default::default()
    };
    Ok(client_form(
        &state,
        &user,
        "New client",
        "/clients",
        &blank,
        &[],
        StatusCode::OK,
    )
    .await?)
}

async fn create_submit(
    State(state): State<AppState>,
    user: WebUser,
    form: FormData,
) -> Result<Response, PageError> {
    let input = match input_from_form(&form) {
        Ok(i) => i,
        Err(errs) => {
            let blank = ClientInput::default();
            return Ok(client_form(
                &state,
                &user,
                "New client",
                "/clients",
                &blank,
                &errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await?);
        }
    };
    match create(&state, &user, input.clone()).await {
        Ok(c) => Ok(Redirect::to(&format!("/clients/{}", c.id)).into_response()),
        Err(Error::Validation(errs)) => Ok(client_form(
            &state,
            &user,
            "New client",
            "/clients",
            &input,
            &errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?),
        Err(e) => Err(e.into()),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    state
        .audit(&user, Event::new("client.view", "client", id).client(id))
        .await?;
    let action = format!("/clients/{id}/edit");
    Ok(client_form(
        &state,
        &user,
        "Edit client",
        &action,
        &client.to_input(),
        &[],
        StatusCode::OK,
    )
    .await?)
}

async fn edit_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let current = state.client_for(&user, id).await?;
    let action = format!("/clients/{id}/edit");
    let input = match input_from_form(&form) {
        Ok(i) => i,
        Err(errs) => {
            return Ok(client_form(
                &state,
                &user,
                "Edit client",
                &action,
                &current.to_input(),
                &errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await?)
        }
    };
    match update(&state, &user, &current, input.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/clients/{id}")).into_response()),
        Err(Error::Validation(errs)) => Ok(client_form(
            &state,
            &user,
            "Edit client",
            &action,
            &input,
            &errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?),
        Err(e) => Err(e.into()),
    }
}

/// The chart: profile, current plan, plan history, measures with trends, sessions, flags.
async fn chart_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let client = state.client_for(&user, id).await?;
    let chart = state.within(&client);
    let plan = chart.current_plan().await?;
    let versions = chart.plan_versions().await?;
    let measures = chart.measures(None).await?;
    let sessions = chart.sessions().await?;
    let flags = chart.flags().await?;
    let drafts = chart.drafts().await?;
    let clinician = state.store.user(client.clinician_id).await?;
    let trends = super::measures::trend_panels(&measures);
    state
        .audit(&user, Event::new("chart.view", "client", id).client(id))
        .await?;
    let goal_titles: BTreeMap<String, String> = plan
        .as_ref()
        .map(|p| {
            p.plan
                .goals
                .iter()
                .map(|g| (g.id.clone(), g.description.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(render(
        "chart.html",
        minijinja::context! {
            title => &client.full_name,
            client => &client,
            clinician => clinician.as_ref().map(|u| u.label().to_string()),
            plan => plan,
            goal_titles => goal_titles,
            versions => versions,
            measures => measures.iter().rev().collect::<Vec<_>>(),
            trends => trends,
            sessions => sessions,
            drafts => drafts,
            flags => flags,
            open_flags => flags.iter().filter(|f| f.acknowledged_at.is_none()).count(), ..page_base(&user)
        },
    )?)
}
