//! Authorization walk: every route of the router, enumerated from the router itself, called as
//! another clinician, as an admin not assigned to the client, and signed out, against a chart
//! that holds a row of every client-owned kind. Chart routes must answer 404/403 (401 or a
//! redirect to sign-in when signed out), reveal nothing of the chart and write nothing.

#[path = "common/app.rs"]
mod app;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

#[path = "common/db.rs"]
mod db;

use app::{OwnedChart, Reply, TestApp, Who, MARKER, PW};
use noted::store::Role;

/// Routes that belong to no chart and need no sign-in.
fn is_public(path: &str) -> bool {
    // `/` is a fixed redirect to `/clients`.
    path.starts_with("/static/")
        || matches!(path, "/" | "/healthz" | "/login" | "/api/v1/auth/login")
}

/// Routes about the signed-in user's own account or chart list (no chart id in them).
fn is_own(path: &str) -> bool {
    matches!(
        path,
        "/logout"
            | "/api/v1/auth/logout"
            | "/api/v1/me"
            | "/api/v1/me/password"
            | "/account/password"
            | "/api/v1/clients"
            | "/clients"
            | "/clients/new"
            | "/api/v1/instruments"
    )
}

/// Routes for administrators (users and their tokens).
fn is_admin(path: &str) -> bool {
    path.starts_with("/api/v1/users")
        || path.starts_with("/admin/")
        || path.starts_with("/api/v1/tokens")
}

/// The path templates the router holds, read from the router's own description of itself.
fn router_paths(t: &TestApp) -> Vec<String> {
    let dump = format!("{:?}", t.router());
    let re = regex::Regex::new(r#"RouteId\(\d+\): "([^"]+)""#).expect("regex");
    let mut paths: Vec<String> = re
        .captures_iter(&dump)
        .map(|c| c[1].to_string())
        .filter(|p| !p.contains("__private__axum"))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The methods the router answers on `path` (from the Allow header of a 405).
async fn router_methods(t: &TestApp, path: &str) -> Vec<Method> {
    let any_ids = regex::Regex::new(r"\{[^}]+\}").expect("regex");
    let req = Request::builder()
        .method(Method::TRACE)
        .uri(any_ids.replace_all(path, "1").as_ref())
        .body(Body::empty())
        .expect("request");
    let r = t.send(req).await;
    assert_eq!(
        r.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "{path}: a TRACE request should reach the router's method check"
    );
    let allow = r
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let methods: Vec<Method> = allow
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty() && *m != "HEAD")
        .map(|m| m.parse().expect("method"))
        .collect();
    assert!(
        !methods.is_empty(),
        "{path}: no methods in Allow: {allow:?}"
    );
    methods
}

/// `template` with each `{param}` replaced by the owner's row it names.
fn fill(template: &str, c: &OwnedChart) -> String {
    let segs: Vec<&str> = template.split('/').collect();
    let stream = template.contains("/chunks")
        || template.ends_with("/finish")
        || template.ends_with("/discard");
    let mut out = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        let Some(param) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            out.push(seg.to_string());
            continue;
        };
        let prev = if i > 0 { segs[i - 1] } else { "" };
        let v = match (param, prev) {
            ("id", "clients") => c.client.to_string(),
            ("id", "sessions") => c.session.to_string(),
            ("id", "transcripts") => c.transcript.to_string(),
            ("id", "drafts") => c.draft.to_string(),
            ("id", "notes") => c.note.to_string(),
            ("id", "recordings") if stream => c.stream.to_string(),
            ("id", "recordings") => c.recording.to_string(),
            ("id", "jobs") => c.job.to_string(),
            ("id", "flags") => c.flag.to_string(),
            ("id", "measures") => c.measure.to_string(),
            ("id", "users") => c.owner_id.to_string(),
            ("id", "tokens") | ("token", "tokens") => c.owner_token_id.to_string(),
            ("n", _) | ("segment_id", _) | ("seq", _) => "0".into(),
            ("version", _) => "1".into(),
            ("action", _) => "accept".into(),
            ("key", _) => "subjective".into(),
            _ => panic!(
                "{template}: parameter {{{param}}} after `{prev}` names no row this test knows; \
                 teach `fill` which of the owner's rows it names"
            ),
        };
        out.push(v);
    }
    out.join("/")
}

/// A body the owner could send on this route (so that a refusal comes from the access check,
/// not from a malformed body): (content type, bytes).
fn body_for(method: &Method, template: &str, c: &OwnedChart) -> Option<(String, Vec<u8>)> {
    if *method == Method::GET || *method == Method::DELETE {
        return None;
    }
    let json = |v: Value| Some(("application/json".to_string(), v.to_string().into_bytes()));
    if template.contains("/chunks/") {
        return Some(("application/octet-stream".into(), vec![0u8; 3200]));
    }
    if template.ends_with("/recordings") && *method == Method::POST && template.contains("clients")
    {
        let (ct, body) = app::multipart(&[("keep_audio", "true")], "s.wav", &app::tone_wav(0.5));
        return Some((ct, body));
    }
    if !template.starts_with("/api/") {
        let form = format!(
            "text=x&comment=x&password={}&attest=on&index=0&action=exclude&section=subjective&reason=x&status=met&duration_minutes=50&session_date=2025-11-04&instrument=phq9",
            PW.replace(' ', "+")
        );
        return Some((
            "application/x-www-form-urlencoded".into(),
            form.into_bytes(),
        ));
    }
    let plan = serde_json::to_value(noted::chart::sample::burnout_plan()).ok()?;
    match template {
        "/api/v1/transcripts/{id}/drafts" => json(json!({"format": "soap"})),
        "/api/v1/clients/{id}/drafts" => {
            json(json!({"text": "Client slept well.", "format": "soap"}))
        }
        "/api/v1/drafts/{id}" => json(json!({"risk": {"suicidal_ideation": "denied"}})),
        "/api/v1/drafts/{id}/redraft" => json(json!({"section": "subjective"})),
        "/api/v1/drafts/{id}/sign" => json(json!({"password": PW})),
        "/api/v1/flags/{id}/acknowledge" => json(json!({"comment": "seen"})),
        "/api/v1/clients/{id}/measures" => {
            json(json!({"instrument": "phq9", "answers": [0,0,0,0,0,0,0,0,0]}))
        }
        "/api/v1/notes/{id}/addenda" => json(json!({"text": "Addendum.", "password": PW})),
        "/api/v1/notes/{id}/cosign" => json(json!({"password": PW})),
        "/api/v1/notes/{id}/return" => json(json!({"comment": "Please revise."})),
        "/api/v1/notes/{id}/process-notes" => json(json!({"text": "Private."})),
        "/api/v1/notes/{id}" => json(json!({"content": {}})),
        "/api/v1/clients/{id}/plan" => json(json!({"plan": plan, "reason": "review"})),
        "/api/v1/clients/{id}/sessions" => {
            json(json!({"session_date": "2025-11-04", "duration_minutes": 50, "modality": "video"}))
        }
        "/api/v1/sessions/{id}" => json(json!({"duration_minutes": 80})),
        "/api/v1/clients/{id}" => json(json!({"phone": "555-0100"})),
        "/api/v1/recordings" => {
            json(json!({"client_id": c.client, "format": "pcm16", "sample_rate": 16000}))
        }
        "/api/v1/recordings/{id}/finish" => json(json!({"chunks": 0})),
        "/api/v1/transcripts/{id}/segments/{segment_id}" => json(json!({"text": "Edited."})),
        "/api/v1/drafts/{id}/plan-updates/{n}/{action}" => json(json!({"status": "met"})),
        "/api/v1/users" => json(
            json!({"email": "new@example.org", "role": "clinician", "password": "another long password"}),
        ),
        "/api/v1/users/{id}/password" => json(json!({"password": "another long password"})),
        _ => Some(("application/json".into(), Vec::new())),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    OtherToken,
    OtherCookie,
    AdminToken,
    AdminCookie,
    SignedOut,
}

fn request(
    method: &Method,
    path: &str,
    body: Option<(String, Vec<u8>)>,
    who: Option<&Who>,
    cookie: bool,
) -> Request<Body> {
    let mut b = Request::builder().method(method.clone()).uri(path);
    if let Some(w) = who {
        if cookie {
            b = b
                .header(header::COOKIE, &w.cookie)
                .header("x-csrf-token", &w.csrf);
        } else {
            b = b.header(header::AUTHORIZATION, format!("Bearer {}", w.token));
        }
    }
    match body {
        Some((ct, bytes)) => b.header(header::CONTENT_TYPE, ct).body(Body::from(bytes)),
        None => b.body(Body::empty()),
    }
    .expect("request")
}

/// The tables (or files) whose content changed between two snapshots.
fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect()
}

fn is_signin_redirect(r: &Reply) -> bool {
    r.status.is_redirection()
        && r.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.starts_with("/login"))
}

/// On SQLite and, with `NOTED_TEST_POSTGRES_URL`, on PostgreSQL.
#[tokio::test]
async fn every_route_refuses_callers_who_may_not_see_the_chart_and_writes_nothing() {
    for db in db::TestDb::each().await {
        eprintln!("on {}:", db.name());
        every_route_refuses_on(&db).await;
        db.drop().await;
    }
}

async fn every_route_refuses_on(db: &db::TestDb) {
    let t = TestApp::on(&db.location).await;
    let owner = t.user("owner@example.org", Role::Clinician, None).await;
    let other = t.user("other@example.org", Role::Clinician, None).await;
    let admin = t.user("admin@example.org", Role::Admin, None).await;
    let chart = OwnedChart::build(&t, &owner).await;

    let paths = router_paths(&t);
    assert!(
        paths.len() >= 80 && paths.iter().any(|p| p == "/api/v1/notes/{id}"),
        "the router's route table could not be read (axum's Debug output changed?): {paths:?}"
    );
    let mut routes = Vec::new();
    for p in &paths {
        for m in router_methods(&t, p).await {
            routes.push((m, p.clone()));
        }
    }

    // Positive control: the owner reads every chart page and API resource the walk refuses to
    // others, so a refusal below is the access check and not a wrong id.
    for (m, p) in &routes {
        if *m != Method::GET || is_public(p) || is_own(p) || is_admin(p) {
            continue;
        }
        let path = fill(p, &chart);
        let r = t
            .send(request(
                m,
                &path,
                None,
                Some(&owner),
                !p.starts_with("/api/"),
            ))
            .await;
        assert!(
            r.status.is_success(),
            "owner GET {path} answered {}: {}",
            r.status,
            r.body
        );
    }

    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (m, p) in &routes {
        if is_public(p) {
            continue;
        }
        let path = fill(p, &chart);
        for caller in [
            Caller::OtherToken,
            Caller::OtherCookie,
            Caller::AdminToken,
            Caller::AdminCookie,
            Caller::SignedOut,
        ] {
            let (who, cookie) = match caller {
                Caller::OtherToken => (Some(&other), false),
                Caller::OtherCookie => (Some(&other), true),
                Caller::AdminToken => (Some(&admin), false),
                Caller::AdminCookie => (Some(&admin), true),
                Caller::SignedOut => (None, false),
            };
            let is_admin_caller = matches!(caller, Caller::AdminToken | Caller::AdminCookie);
            // Own routes act on the caller's own account (sign out, change password, create a
            // client of their own): only that nothing of the chart leaks is checked.
            let own = who.is_some() && is_own(p);
            if own && *m != Method::GET {
                continue;
            }
            if is_admin_caller && is_admin(p) && *m != Method::GET {
                continue;
            }
            let before = t.snapshot().await;
            let r = t
                .send(request(m, &path, body_for(m, p, &chart), who, cookie))
                .await;
            let after = t.snapshot().await;
            checked += 1;
            let what = format!("{caller:?} {m} {path}");
            if r.body.contains(MARKER) {
                failures.push(format!(
                    "{what}: the answer ({}) holds the owner's chart",
                    r.status
                ));
            }
            if r.status.is_server_error() {
                failures.push(format!("{what}: {} {}", r.status, r.body));
            }
            let mut diff = changed(&before, &after);
            if own {
                // Listing one's own clients is audited as the caller's own view.
                diff.retain(|t| t != "audit_log");
            }
            if !diff.is_empty() {
                failures.push(format!(
                    "{what}: answered {} and changed {diff:?}",
                    r.status
                ));
            }
            if own || (is_admin_caller && is_admin(p)) {
                continue;
            }
            let ok = match caller {
                Caller::SignedOut if p.starts_with("/api/") => r.status == StatusCode::UNAUTHORIZED,
                Caller::SignedOut => r.status == StatusCode::UNAUTHORIZED || is_signin_redirect(&r),
                _ => r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
            };
            if !ok {
                failures.push(format!(
                    "{what}: answered {} {}",
                    r.status,
                    r.body
                        .replace(char::is_whitespace, " ")
                        .chars()
                        .rev()
                        .take(0)
                        .collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} refused calls went wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{} routes, {checked} calls checked", routes.len());
}

#[tokio::test]
async fn the_route_table_is_read_from_the_router() {
    let t = TestApp::new().await;
    let paths = router_paths(&t);
    for p in [
        "/healthz",
        "/api/v1/notes/{id}",
        "/recordings/{id}",
        "/api/v1/jobs/{id}/events",
    ] {
        assert!(paths.iter().any(|x| x == p), "{p} missing from {paths:?}");
    }
    let m = router_methods(&t, "/api/v1/notes/{id}").await;
    assert!(
        m.contains(&Method::GET) && m.contains(&Method::PATCH),
        "{m:?}"
    );
}
