//! Measures: `GET/POST /api/v1/clients/{id}/measures`, `GET /api/v1/instruments`, the
//! item-level entry form, and the inline-SVG trend charts shown on the chart.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::chart::{parse_date, FieldError};
use crate::measures::{self, Instrument, CBI_SUBSCALES};
use crate::store::{Client, Measure, SafetyFlag};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/instruments", get(api_instruments))
        .route(
            "/api/v1/clients/{id}/measures",
            get(api_list).post(api_create),
        )
        .route("/clients/{id}/measures/new", get(new_page))
        .route("/clients/{id}/measures", axum::routing::post(create_submit))
}

/// Body of `POST /api/v1/clients/{id}/measures`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureInput {
    /// `phq9` | `gad7` | `cbi`.
    pub instrument: String,
    /// Option indices: 0-3 (PHQ-9, GAD-7), 0-4 (CBI; 0 = never / very low degree).
    pub answers: Vec<serde_json::Value>,
    /// `YYYY-MM-DD`; default today.
    #[serde(default)]
    pub measured_on: Option<String>,
    /// Plan goal this score is evidence for; default: the active goal targeting this instrument.
    #[serde(default)]
    pub goal_id: Option<String>,
}

/// A stored measure and the safety flags it raised.
#[derive(Debug, Serialize)]
pub struct MeasureCreated {
    #[serde(flatten)]
    pub measure: Measure,
    pub safety_flags: Vec<SafetyFlag>,
}

/// Validates, scores and stores a measure.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    client: &Client,
    input: MeasureInput,
) -> Result<MeasureCreated, Error> {
    let client_id = client.id;
    let mut errors = Vec::new();
    let instrument = Instrument::parse(&input.instrument);
    if instrument.is_none() {
        errors.push(FieldError::new(
            "instrument",
            "must be one of phq9, gad7, cbi",
        ));
    }
    let mut answers = Vec::with_capacity(input.answers.len());
    for (i, a) in input.answers.iter().enumerate() {
        match a.as_i64() {
            Some(v) => answers.push(v),
            None => errors.push(FieldError::new(
                format!("answers[{i}]"),
                "must be a whole number",
            )),
        }
    }
    let measured_on = match input.measured_on.as_deref().map(str::trim) {
        None | Some("") => state.today(),
        Some(d) => match parse_date(d) {
            Ok(_) => d.to_string(),
            Err(r) => {
                errors.push(FieldError::new("measured_on", r));
                String::new()
            }
        },
    };
    let scored = match instrument {
        Some(inst) if errors.is_empty() => {
            match measures::score(inst, &answers, &state.config.cbi_bands) {
                Ok(s) => Some(s),
                Err(e) => {
                    let field = match &e {
                        measures::MeasureError::Range { index, .. } => format!("answers[{index}]"),
                        _ => "answers".into(),
                    };
                    errors.push(FieldError::new(field, e.to_string()));
                    None
                }
            }
        }
        _ => None,
    };
    let plan = state.within(client).current_plan().await?;
    let goal_id = match input
        .goal_id
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        Some(g) => {
            if plan.as_ref().and_then(|p| p.plan.goal(g)).is_none() {
                errors.push(FieldError::new(
                    "goal_id",
                    format!("no goal `{g}` in the current treatment plan"),
                ));
            }
            Some(g.to_string())
        }
        None => instrument.and_then(|inst| {
            plan.as_ref()
                .and_then(|p| p.plan.active_goal_for(inst.as_str()))
                .map(|g| g.id.clone())
        }),
    };
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let scored = scored.ok_or_else(|| Error::Internal("measure scored without result".into()))?;
    let (measure, safety_flags) = state
        .store
        .create_measure(
            &user.actor(),
            &scored.to_store(
                client_id,
                &answers,
                &measured_on,
                goal_id.as_deref(),
                user.id(),
            ),
        )
        .await?;
    Ok(MeasureCreated {
        measure,
        safety_flags,
    })
}

#[derive(Deserialize)]
struct ListQuery {
    instrument: Option<String>,
}

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Json<serde_json::Value>, Error> {
    let client = state.client_for(&user, id).await?;
    if let Some(i) = &q.instrument {
        if Instrument::parse(i).is_none() {
            return Err(Error::field("instrument", "must be one of phq9, gad7, cbi"));
        }
    }
    let measures = state
        .within(&client)
        .measures(q.instrument.as_deref())
        .await?;
    state
        .audit(&user, Event::new("measure.list", "client", id).client(id))
        .await?;
    Ok(Json(serde_json::json!({ "measures": measures })))
}

async fn api_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MeasureInput>,
) -> Result<Response, Error> {
    let client = state.client_for(&user, id).await?;
    let created = create(&state, &user, &client, input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn api_instruments(_user: CurrentUser) -> Json<serde_json::Value> {
    let list: Vec<_> = Instrument::ALL
        .iter()
        .map(|i| {
            serde_json::json!({
                "id": i.as_str(), "title": i.title(), "stem": i.stem(),
                "items": i.items().iter().map(|it| serde_json::json!({
                    "text": it.text, "subscale": it.subscale, "reverse": it.reverse,
                    "options": it.scale.options(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(serde_json::json!({ "instruments": list }))
}

// ----- Pages ----------------------------------------------------------------------------------

#[derive(Deserialize)]
struct NewQuery {
    instrument: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn measure_form(
    state: &AppState,
    user: &CurrentUser,
    client_id: i64,
    client_name: &str,
    instrument: Instrument,
    values: &BTreeMap<String, String>,
    goals: Vec<(String, String)>,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, Error> {
    let items: Vec<_> = instrument
        .items()
        .into_iter()
        .map(|it| minijinja::context! { text => it.text, subscale => it.subscale, options => it.scale.options() })
        .collect();
    let errors = super::templates::errors_by_field(errors);
    let html = render(
        "measure_form.html",
        minijinja::context! {
            title => format!("{}: {client_name}", instrument.title()),
            client_id => client_id, client_name => client_name,
            instrument => instrument.as_str(), instrument_title => instrument.title(),
            stem => instrument.stem(), items => items, values => values, goals => goals,
            errors => errors, today => state.today(),
            subscales => CBI_SUBSCALES.iter().map(|(k, t)| (k.to_string(), t.to_string())).collect::<BTreeMap<_, _>>(), ..page_base(user)
        },
    )?;
    Ok((status, html).into_response())
}

async fn goal_choices(state: &AppState, client: &Client) -> Result<Vec<(String, String)>, Error> {
    Ok(state
        .within(client)
        .current_plan()
        .await?
        .map(|p| {
            p.plan
                .goals
                .into_iter()
                .map(|g| (g.id, g.description))
                .collect()
        })
        .unwrap_or_default())
}

async fn new_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let instrument = Instrument::parse(q.instrument.as_deref().unwrap_or("phq9"))
        .ok_or(Error::NotFound("instrument"))?;
    state
        .audit(
            &user,
            Event::new("client.view", "client", id)
                .client(id)
                .detail(serde_json::json!({"page": "measure.new"})),
        )
        .await?;
    let goals = goal_choices(&state, &client).await?;
    Ok(measure_form(
        &state,
        &user,
        id,
        &client.full_name,
        instrument,
        &BTreeMap::new(),
        goals,
        &[],
        StatusCode::OK,
    )?)
}

async fn create_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let instrument = Instrument::parse(&form.get("instrument"))
        .ok_or(Error::field("instrument", "must be one of phq9, gad7, cbi"))?;
    let n = instrument.items().len();
    let mut missing = Vec::new();
    let mut answers = Vec::new();
    for i in 0..n {
        match form.get(&format!("item_{i}")).parse::<i64>() {
            Ok(v) => answers.push(serde_json::Value::from(v)),
            Err(_) => missing.push(FieldError::new(
                format!("answers[{i}]"),
                "please choose an answer",
            )),
        }
    }
    let values: BTreeMap<String, String> = form.0.iter().cloned().collect();
    let goals = goal_choices(&state, &client).await?;
    if !missing.is_empty() {
        return Ok(measure_form(
            &state,
            &user,
            id,
            &client.full_name,
            instrument,
            &values,
            goals,
            &missing,
            StatusCode::UNPROCESSABLE_ENTITY,
        )?);
    }
    let input = MeasureInput {
        instrument: instrument.as_str().into(),
        answers,
        measured_on: Some(form.get("measured_on")),
        goal_id: Some(form.get("goal_id")),
    };
    match create(&state, &user, &client, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/clients/{id}#measures")).into_response()),
        Err(Error::Validation(errs)) => Ok(measure_form(
            &state,
            &user,
            id,
            &client.full_name,
            instrument,
            &values,
            goals,
            &errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )?),
        Err(e) => Err(e.into()),
    }
}

// ----- Trend charts ---------------------------------------------------------------------------

/// One instrument's trend panel for the chart page.
#[derive(Debug, Serialize)]
pub struct TrendPanel {
    pub instrument: &'static str,
    pub title: &'static str,
    /// Inline SVG markup (numbers and fixed labels only).
    pub svg: String,
    /// The newest result in words.
    pub latest: String,
    pub count: usize,
}

/// Trend panels for every instrument that has at least one measure.
pub fn trend_panels(measures: &[Measure]) -> Vec<TrendPanel> {
    let mut out = Vec::new();
    for inst in Instrument::ALL {
        let ms: Vec<&Measure> = measures
            .iter()
            .filter(|m| m.instrument == inst.as_str())
            .collect();
        let Some(last) = ms.last() else { continue };
        let (series, y_max, latest): (Vec<(&str, Vec<f64>)>, f64, String) = match inst {
            Instrument::Cbi => {
                let series = CBI_SUBSCALES
                    .iter()
                    .map(|(k, _)| {
                        (
                            *k,
                            ms.iter()
                                .map(|m| m.subscales.get(*k).map(|s| s.score).unwrap_or(0.0))
                                .collect(),
                        )
                    })
                    .collect();
                let latest = CBI_SUBSCALES
                    .iter()
                    .filter_map(|(k, t)| {
                        last.subscales
                            .get(*k)
                            .map(|s| format!("{t} {:.1} ({})", s.score, s.band))
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                (series, 100.0, latest)
            }
            _ => {
                let max = if inst == Instrument::Phq9 { 27.0 } else { 21.0 };
                let latest = format!(
                    "{} ({})",
                    last.total.unwrap_or(0.0),
                    last.band.clone().unwrap_or_default()
                );
                (
                    vec![("total", ms.iter().map(|m| m.total.unwrap_or(0.0)).collect())],
                    max,
                    latest,
                )
            }
        };
        let dates: Vec<&str> = ms.iter().map(|m| m.measured_on.as_str()).collect();
        out.push(TrendPanel {
            instrument: inst.as_str(),
            title: inst.title(),
            svg: trend_svg(&series, y_max, &dates),
            latest,
            count: ms.len(),
        });
    }
    out
}

/// A small line chart: one polyline per series, points evenly spaced, y from 0 to `y_max`.
pub fn trend_svg(series: &[(&str, Vec<f64>)], y_max: f64, dates: &[&str]) -> String {
    let (w, h, pad) = (320.0, 120.0, 24.0);
    let n = series.first().map(|s| s.1.len()).unwrap_or(0);
    let x = |i: usize| {
        if n <= 1 {
            w / 2.0
        } else {
            pad + (w - 2.0 * pad) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v.clamp(0.0, y_max) / y_max);
    let mut svg = format!(
        "<svg class=\"trend\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"score trend\">\
         <line class=\"axis\" x1=\"{pad}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/>\
         <line class=\"axis\" x1=\"{pad}\" y1=\"{pad}\" x2=\"{pad}\" y2=\"{b}\"/>\
         <text x=\"2\" y=\"{t}\">{y_max}</text><text x=\"2\" y=\"{b}\">0</text>",
        b = h - pad,
        r = w - pad,
        t = pad + 4.0,
    );
    for (k, (name, values)) in series.iter().enumerate() {
        let pts: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        svg.push_str(&format!(
            "<polyline class=\"series-{k}\" points=\"{}\"><title>{name}</title></polyline>",
            pts.join(" ")
        ));
        for (i, v) in values.iter().enumerate() {
            svg.push_str(&format!(
                "<circle class=\"series-{k}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"><title>{} {name}: {v}</title></circle>",
                x(i),
                y(*v),
                dates.get(i).copied().unwrap_or("")
            ));
        }
    }
    if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        svg.push_str(&format!(
            "<text x=\"{pad}\" y=\"{}\">{first}</text>",
            h - 4.0
        ));
        if n > 1 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{last}</text>",
                w - pad,
                h - 4.0
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}
