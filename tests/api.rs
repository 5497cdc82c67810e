//! Router-level tests: build the app over a fresh database and call it with
//! `tower::ServiceExt::oneshot`, one group per resource, plus the database triggers.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

use noted::audit::{self, Actor, Verification};
use noted::auth::{self, password, PasswordParams};
use noted::chart::sample;
use noted::http::HttpConfig;
use noted::store::{Location, Role, Store};

#[path = "common/app.rs"]
mod app;
#[macro_use]
#[path = "common/db.rs"]
mod db;
use app::{TestApp, PW};
use db::{another_like, each_db, is_postgres};

/// The app over a fresh database at `at` with this file's HTTP settings (no free-space floor,
/// 64 KiB bodies), which `f` then adjusts.
async fn api_app(at: &Location, f: impl FnOnce(&mut HttpConfig)) -> TestApp {
    TestApp::with_config(at, |config| {
        // Tests must not depend on the free space of the machine running them.
        config.min_free_disk_bytes = 0;
        config.max_body_bytes = 64 * 1024;
        f(config);
    })
    .await
}

#[tokio::test]
async fn healthz_needs_no_sign_in_and_api_does() {
    each_db(healthz_needs_no_sign_in_and_api_does_on).await;
}

async fn healthz_needs_no_sign_in_and_api_does_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (s, v) = env
        .call_json(Method::GET, "/healthz", None::<&str>, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    let (s, v) = env
        .call_json(Method::GET, "/api/v1/clients", None::<&str>, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["code"], "unauthorized");
    let (s, _) = env
        .call_json(
            Method::GET,
            "/api/v1/clients",
            Some("noted_not-a-token"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn clients_create_get_patch_search_and_validation() {
    each_db(clients_create_get_patch_search_and_validation_on).await;
}

async fn clients_create_get_patch_search_and_validation_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;

    let (s, v) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{id}"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["full_name"], "Alex Demo");
    assert_eq!(v["insurance_provider"], "Example Health");

    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/clients/{id}"),
            Some(&t),
            Some(json!({"phone": "555-0199"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["phone"], "555-0199");
    assert_eq!(v["full_name"], "Alex Demo");

    let (s, v) = env
        .call_json(Method::GET, "/api/v1/clients?q=alex", Some(&t), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["clients"].as_array().unwrap().len(), 1);
    let (_, v) = env
        .call_json(Method::GET, "/api/v1/clients?q=zzz", Some(&t), None)
        .await;
    assert_eq!(v["clients"].as_array().unwrap().len(), 0);

    // Bad input: every problem named, nothing written.
    let before = env.count("SELECT COUNT(*) FROM clients").await;
    let (s, v) = env
        .call_json(
            Method::POST,
            "/api/v1/clients",
            Some(&t),
            Some(json!({"full_name": "", "date_of_birth": "31/12/1990"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["full_name", "date_of_birth"]);
    let (s, v) = env
        .call_json(
            Method::POST,
            "/api/v1/clients",
            Some(&t),
            Some(json!({"full_name": "X", "date_of_birth": "1990-01-01", "nmae": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "nmae");
    let req = Request::post("/api/v1/clients")
        .header(header::AUTHORIZATION, format!("Bearer {t}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"full_name\": "))
        .unwrap();
    let (s, _, body) = env.send_text(req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("malformed JSON"), "{body}");
    let huge = json!({"full_name": "X", "date_of_birth": "1990-01-01", "medical_history": "x".repeat(100_000)});
    let (s, _) = env
        .call_json(Method::POST, "/api/v1/clients", Some(&t), Some(huge))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let req = Request::post("/api/v1/clients")
        .header(header::AUTHORIZATION, format!("Bearer {t}"))
        .body(Body::from("full_name=x"))
        .unwrap();
    let (s, _, _) = env.send_text(req).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(env.count("SELECT COUNT(*) FROM clients").await, before);
}

#[tokio::test]
async fn other_clinicians_clients_are_404_and_supervisors_see_supervisees() {
    each_db(other_clinicians_clients_are_404_and_supervisors_see_supervisees_on).await;
}

async fn other_clinicians_clients_are_404_and_supervisors_see_supervisees_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (_, alice) = env
        .api_user("alice@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (_, bob) = env
        .api_user("bob@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (carol_u, carol) = env
        .api_user("carol@example.org", Role::Supervisor, None)
        .await
        .user_token();
    let (_, dave) = env
        .api_user("dave@example.org", Role::Clinician, Some(carol_u.id))
        .await
        .user_token();
    let (_, admin) = env
        .api_user("root@example.org", Role::Admin, None)
        .await
        .user_token();
    let a = env.client(&alice).await;
    let d = env.client(&dave).await;

    for path in [
        format!("/api/v1/clients/{a}"),
        format!("/api/v1/clients/{a}/plan/versions"),
        format!("/api/v1/clients/{a}/measures"),
        format!("/api/v1/clients/{a}/sessions"),
        format!("/api/v1/clients/{a}/flags"),
    ] {
        let (s, v) = env.call_json(Method::GET, &path, Some(&bob), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {v}");
        let (s, _) = env.call_json(Method::GET, &path, Some(&admin), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "admin {path}");
    }
    let (s, _) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/clients/{a}"),
            Some(&bob),
            Some(json!({"phone": "1"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/clients/{a}/measures"),
            Some(&bob),
            Some(json!({"instrument": "gad7", "answers": [0,0,0,0,0,0,0]})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, v) = env
        .call_json(Method::GET, "/api/v1/clients", Some(&bob), None)
        .await;
    assert!(v["clients"].as_array().unwrap().is_empty());

    // The supervisor sees the supervisee's client, not others'.
    let (s, _) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{d}"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{a}"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, v) = env
        .call_json(Method::GET, "/api/v1/clients", Some(&carol), None)
        .await;
    assert_eq!(v["clients"].as_array().unwrap().len(), 1);
    // The supervisee does not see the supervisor's clients either way round.
    let (s, _) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{d}"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A clinician cannot assign a client to someone else.
    let mut c = serde_json::to_value(sample::sample_client()).unwrap();
    c["clinician_id"] = json!(carol_u.id);
    let (s, v) = env
        .call_json(Method::POST, "/api/v1/clients", Some(&alice), Some(c))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "clinician_id");
    // Admins manage users; clinicians cannot.
    let (s, _) = env
        .call_json(Method::GET, "/api/v1/users", Some(&alice), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = env
        .call_json(Method::GET, "/api/v1/users", Some(&admin), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["users"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn plan_versions_keep_history_and_refuse_stale_or_invalid_edits() {
    each_db(plan_versions_keep_history_and_refuse_stale_or_invalid_edits_on).await;
}

async fn plan_versions_keep_history_and_refuse_stale_or_invalid_edits_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    let path = format!("/api/v1/clients/{id}/plan");
    let (s, _) = env.call_json(Method::GET, &path, Some(&t), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let plan = serde_json::to_value(sample::burnout_plan()).unwrap();
    let (s, v) = env
        .call_json(
            Method::PUT,
            &path,
            Some(&t),
            Some(json!({"reason": "intake", "plan": plan})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["version"], 1);

    let mut plan2 = plan.clone();
    plan2["goals"][1]["status"] = json!("met");
    plan2["goals"]
        .as_array_mut()
        .unwrap()
        .push(json!({"description": "Return to weekly exercise", "term": "long"}));
    let (s, v) = env
        .call_json(
            Method::PUT,
            &path,
            Some(&t),
            Some(json!({"reason": "review", "base_version": 1, "plan": plan2})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["version"], 2);
    let new_id = v["plan"]["goals"][3]["id"].as_str().unwrap();
    assert!(new_id.starts_with("g-"), "new goals get a stable id");

    // Stale base version: 409, nothing written.
    let (s, v) = env
        .call_json(
            Method::PUT,
            &path,
            Some(&t),
            Some(json!({"base_version": 1, "plan": plan})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // Invalid plans: field named.
    let mut bad = plan.clone();
    bad["goals"][0]["target_date"] = json!("next week");
    let (s, v) = env
        .call_json(Method::PUT, &path, Some(&t), Some(json!({"plan": bad})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "goals[0].target_date");
    let mut bad = plan.clone();
    bad["goals"][0]["status"] = json!("finished");
    let (s, _) = env
        .call_json(Method::PUT, &path, Some(&t), Some(json!({"plan": bad})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, v) = env
        .call_json(Method::GET, &format!("{path}/versions"), Some(&t), None)
        .await;
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["reason"], "review");
    let (_, v1) = env
        .call_json(Method::GET, &format!("{path}/versions/1"), Some(&t), None)
        .await;
    assert_eq!(v1["plan"]["goals"][1]["status"], "active");
    assert_eq!(v1["plan"]["goals"].as_array().unwrap().len(), 3);
    let (_, cur) = env.call_json(Method::GET, &path, Some(&t), None).await;
    assert_eq!(cur["version"], 2);
    assert_eq!(cur["plan"]["goals"][1]["status"], "met");

    // The table itself refuses rewriting history.
    let err = env
        .exec(
            "UPDATE plan_versions SET reason = 'x' WHERE version = 1",
            &[],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("immutable"), "{err}");
    assert!(env.exec("DELETE FROM plan_versions", &[]).await.is_err());
}

#[tokio::test]
async fn measures_are_scored_flagged_linked_and_bad_answers_refused() {
    each_db(measures_are_scored_flagged_linked_and_bad_answers_refused_on).await;
}

async fn measures_are_scored_flagged_linked_and_bad_answers_refused_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    let plan = serde_json::to_value(sample::burnout_plan()).unwrap();
    env.call_json(
        Method::PUT,
        &format!("/api/v1/clients/{id}/plan"),
        Some(&t),
        Some(json!({"plan": plan})),
    )
    .await;
    let path = format!("/api/v1/clients/{id}/measures");

    let (s, v) = env
        .call_json(Method::POST, &path, Some(&t), Some(json!({"instrument": "phq9", "answers": [2,2,2,2,1,1,1,1,0], "measured_on": "2025-11-01"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["total"], 12.0);
    assert_eq!(v["band"], "moderate");
    assert_eq!(v["goal_id"], "g-mood", "linked to the active PHQ-9 goal");
    assert!(v["safety_flags"].as_array().unwrap().is_empty());

    let (s, v) = env
        .call_json(
            Method::POST,
            &path,
            Some(&t),
            Some(json!({"instrument": "phq9", "answers": [1,1,1,1,1,0,0,0,1]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["total"], 6.0);
    assert_eq!(v["band"], "mild");
    assert_eq!(v["flags"], json!(["phq9_item9"]));
    let flag_id = v["safety_flags"][0]["id"].as_i64().unwrap();

    let (s, v) = env
        .call_json(
            Method::POST,
            &path,
            Some(&t),
            Some(json!({"instrument": "gad7", "answers": [3,3,3,3,3,0,0]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(
        (v["total"].as_f64(), v["band"].as_str()),
        (Some(15.0), Some("severe"))
    );

    // CBI: "often" (3) everywhere: items 75, the reverse item 25 => work (6*75+25)/7 = 67.86.
    let (s, v) = env
        .call_json(
            Method::POST,
            &path,
            Some(&t),
            Some(json!({"instrument": "cbi", "answers": vec![3; 19]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["subscales"]["personal"]["score"], 75.0);
    assert_eq!(v["subscales"]["personal"]["band"], "high");
    assert_eq!(v["subscales"]["work"]["score"], 67.86);
    assert_eq!(v["subscales"]["work"]["band"], "moderate");
    assert_eq!(v["subscales"]["client"]["score"], 75.0);
    assert!(v["total"].is_null());
    assert_eq!(v["goal_id"], "g-burnout");

    // Bad answers: clear 422, nothing written.
    let before = env.count("SELECT COUNT(*) FROM measures").await;
    for (body, field) in [
        (
            json!({"instrument": "phq9", "answers": [0,0,0,4,0,0,0,0,0]}),
            "answers[3]",
        ),
        (json!({"instrument": "phq9", "answers": [0,0,0]}), "answers"),
        (
            json!({"instrument": "gad7", "answers": [0,0,0,0,0,0,"1"]}),
            "answers[6]",
        ),
        (
            json!({"instrument": "gad7", "answers": [0,0,0,0,0,0,0], "measured_on": "01/02/2025"}),
            "measured_on",
        ),
        (json!({"instrument": "bdi", "answers": []}), "instrument"),
        (
            json!({"instrument": "gad7", "answers": [0,0,0,0,0,0,0], "goal_id": "nope"}),
            "goal_id",
        ),
        (
            json!({"instrument": "gad7", "answers": [0,0,0,0,0,0,0], "extra": 1}),
            "extra",
        ),
    ] {
        let (s, v) = env
            .call_json(Method::POST, &path, Some(&t), Some(body.clone()))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert_eq!(v["fields"][0]["field"], field, "{body}: {v}");
    }
    assert_eq!(env.count("SELECT COUNT(*) FROM measures").await, before);

    let (_, v) = env
        .call_json(
            Method::GET,
            &format!("{path}?instrument=phq9"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(v["measures"].as_array().unwrap().len(), 2);

    // The flag is on the chart until acknowledged, once.
    let (_, v) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{id}/flags"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(v["flags"][0]["kind"], "phq9_item9");
    assert!(v["flags"][0]["acknowledged_at"].is_null());
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/flags/{flag_id}/acknowledge"),
            Some(&t),
            Some(json!({"comment": "safety plan reviewed"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["acknowledged_by"].is_i64());
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/flags/{flag_id}/acknowledge"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, other) = env
        .api_user("b@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/flags/{flag_id}/acknowledge"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sessions_create_list_patch() {
    each_db(sessions_create_list_patch_on).await;
}

async fn sessions_create_list_patch_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (_, other) = env
        .api_user("b@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    let path = format!("/api/v1/clients/{id}/sessions");
    let (s, v) = env
        .call_json(Method::POST, &path, Some(&t), Some(json!({"session_date": "2025-11-03", "start_time": "10:00", "duration_minutes": 50, "modality": "video"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let sid = v["id"].as_i64().unwrap();
    assert_eq!(v["status"], "completed");
    let (s, v) = env
        .call_json(Method::POST, &path, Some(&t), Some(json!({"session_date": "2025-13-03", "duration_minutes": 0, "modality": "carrier pigeon"})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"].as_array().unwrap().len(), 3);
    let (_, v) = env.call_json(Method::GET, &path, Some(&t), None).await;
    assert_eq!(v["sessions"].as_array().unwrap().len(), 1);
    assert!(v["sessions"][0]["note_state"].is_null());
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/sessions/{sid}"),
            Some(&t),
            Some(json!({"duration_minutes": 80})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["duration_minutes"], 80);
    let (s, _) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/sessions/{sid}"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn views_and_changes_are_audited_and_the_chain_verifies() {
    each_db(views_and_changes_are_audited_and_the_chain_verifies_on).await;
}

async fn views_and_changes_are_audited_and_the_chain_verifies_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (u, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    env.call_json(
        Method::GET,
        &format!("/api/v1/clients/{id}"),
        Some(&t),
        None,
    )
    .await;
    let rows: Vec<(String, Option<i64>, Option<i64>)> = on_pool!(env.store(), |p| {
        sqlx::query_as("SELECT action, actor_id, client_id FROM audit_log ORDER BY id")
            .fetch_all(p)
            .await
    })
    .unwrap();
    assert!(rows.contains(&("client.create".into(), Some(u.id), Some(id))));
    assert!(rows.contains(&("client.view".into(), Some(u.id), Some(id))));
    assert_eq!(
        audit::verify(env.store()).await.unwrap(),
        Verification::Intact {
            rows: rows.len() as i64
        }
    );
    // The chart's access log is readable by those who may see the chart, and is audited too.
    let (s, v) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{id}/audit"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let actions: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions[0], "audit.view");
    assert!(actions.contains(&"client.view") && actions.contains(&"client.create"));
    assert_eq!(v["entries"][1]["actor"], "a@example.org");
    let (_, other) = env
        .api_user("b@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (s, _) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{id}/audit"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // No PHI in audit rows.
    let dump: Vec<(String,)> = on_pool!(env.store(), |p| {
        sqlx::query_as("SELECT detail FROM audit_log")
            .fetch_all(p)
            .await
    })
    .unwrap();
    assert!(dump.iter().all(|(d,)| !d.contains("Alex")));
    // Append-only.
    assert!(env
        .exec("UPDATE audit_log SET action = 'x'", &[])
        .await
        .is_err());
    assert!(env.exec("DELETE FROM audit_log", &[]).await.is_err());
}

#[tokio::test]
async fn signed_notes_are_immutable_except_for_amendment() {
    each_db(signed_notes_are_immutable_except_for_amendment_on).await;
}

async fn signed_notes_are_immutable_except_for_amendment_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (u, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    let ids = [id, u.id];
    env.exec("INSERT INTO notes (client_id, author_id, format, state, content, created_at, updated_at) VALUES ($1, $2, 'soap', 'signed', '{\"s\":1}', 't', 't')", &ids)
        .await
        .unwrap();
    let e = env
        .exec("UPDATE notes SET content = '{}'", &[])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("immutable"), "{e}");
    assert!(env
        .exec("UPDATE notes SET state = 'draft'", &[])
        .await
        .is_err());
    assert!(env
        .exec("UPDATE notes SET state = 'amended', content = '{}'", &[])
        .await
        .is_err());
    assert!(env.exec("DELETE FROM notes", &[]).await.is_err());
    env.exec("UPDATE notes SET state = 'amended'", &[])
        .await
        .unwrap();
    assert!(env
        .exec("UPDATE notes SET state = 'signed'", &[])
        .await
        .is_err());
    // A note awaiting co-signature is locked but can be co-signed or returned.
    env.exec("INSERT INTO notes (client_id, author_id, format, state, content, created_at, updated_at) VALUES ($1, $2, 'soap', 'awaiting_cosign', '{}', 't', 't')", &ids)
        .await
        .unwrap();
    assert!(env
        .exec(
            "UPDATE notes SET content = '{\"x\":1}' WHERE state = 'awaiting_cosign'",
            &[]
        )
        .await
        .is_err());
    env.exec("UPDATE notes SET state = 'in_review', review_comment = 'add plan' WHERE state = 'awaiting_cosign'", &[])
        .await
        .unwrap();
}

// SQLite only: an empty database file, sqlite_master, and PRAGMA journal_mode/foreign_keys.
// (The PostgreSQL migrations are tested in tests/migrations.rs.)
#[tokio::test]
async fn migrations_apply_to_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).await.unwrap();
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(store.sqlite_pool())
            .await
            .unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.0.as_str()).collect();
    for t in [
        "users",
        "clients",
        "plan_versions",
        "measures",
        "safety_flags",
        "therapy_sessions",
        "recordings",
        "transcripts",
        "transcript_segments",
        "drafts",
        "notes",
        "signatures",
        "addenda",
        "audit_log",
    ] {
        assert!(names.contains(&t), "missing table {t}: {names:?}");
    }
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.sqlite_pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.sqlite_pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
    store.close().await;
    // Opening again is a no-op.
    Store::open(&path).await.unwrap();
}

// ----- Browser pages --------------------------------------------------------------------------

fn cookie_of(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix(&format!("{name}="))
                .map(|r| r.split(';').next().unwrap().to_string())
        })
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn pages_sign_in_render_the_chart_and_refuse_forms_without_csrf() {
    each_db(pages_sign_in_render_the_chart_and_refuse_forms_without_csrf_on).await;
}

async fn pages_sign_in_render_the_chart_and_refuse_forms_without_csrf_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    let plan = serde_json::to_value(sample::burnout_plan()).unwrap();
    env.call_json(
        Method::PUT,
        &format!("/api/v1/clients/{id}/plan"),
        Some(&t),
        Some(json!({"plan": plan})),
    )
    .await;
    env.call_json(
        Method::POST,
        &format!("/api/v1/clients/{id}/measures"),
        Some(&t),
        Some(json!({"instrument": "phq9", "answers": [1,1,1,1,1,1,1,1,1]})),
    )
    .await;

    let (s, h, _) = env
        .send_text(Request::get("/clients").body(Body::empty()).unwrap())
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h[header::LOCATION].to_str().unwrap().starts_with("/login"));

    let (s, h, html) = env
        .send_text(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert_eq!(s, StatusCode::OK);
    let login_csrf = cookie_of(&h, "noted_login_csrf").unwrap();
    assert_eq!(hidden(&html, "csrf_token"), login_csrf);
    // Without the pre-session token the form is refused.
    let form = format!(
        "email=a%40example.org&password={}&csrf_token=wrong",
        PW.replace(' ', "+")
    );
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("noted_login_csrf={login_csrf}"))
        .body(Body::from(form))
        .unwrap();
    assert_eq!(env.send_text(req).await.0, StatusCode::FORBIDDEN);
    let form = format!(
        "email=a%40example.org&password={}&csrf_token={login_csrf}&next=%2Fclients%2F{id}",
        PW.replace(' ', "+")
    );
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("noted_login_csrf={login_csrf}"))
        .body(Body::from(form))
        .unwrap();
    let (s, h, _) = env.send_text(req).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], format!("/clients/{id}"));
    let set = h
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(set.iter().any(|c| c.starts_with("noted_session=")
        && c.contains("HttpOnly")
        && c.contains("SameSite=Strict")));
    let session = cookie_of(&h, "noted_session").unwrap();
    let cookie = format!("noted_session={session}");

    let (s, _, html) = env
        .send_text(
            Request::get(format!("/clients/{id}"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    for needle in [
        "Alex Demo",
        "Cognitive behavioural therapy",
        "Safety flags",
        "phq9 item9",
        "<svg class=\"trend\"",
        "Plan history",
    ] {
        assert!(html.contains(needle), "chart lacks {needle}");
    }
    let csrf = hidden(&html, "csrf_token");

    let (s, _, html) = env
        .send_text(
            Request::get(format!("/clients/{id}/measures/new?instrument=cbi"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(html.matches("type=\"radio\"").count(), 19 * 5);
    let (s, _, html) = env
        .send_text(
            Request::get(format!("/clients/{id}/plan/edit"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("goal_0_description"));

    // A form without the CSRF token is refused and writes nothing; with it, it works.
    let before = env.count("SELECT COUNT(*) FROM therapy_sessions").await;
    let body = "session_date=2025-11-05&duration_minutes=50&modality=in_person&status=completed";
    let req = Request::post(format!("/clients/{id}/sessions"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(env.send_text(req).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        env.count("SELECT COUNT(*) FROM therapy_sessions").await,
        before
    );
    let req = Request::post(format!("/clients/{id}/sessions"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(format!("{body}&csrf_token={csrf}")))
        .unwrap();
    assert_eq!(env.send_text(req).await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        env.count("SELECT COUNT(*) FROM therapy_sessions").await,
        before + 1
    );

    // Validation errors are shown next to the field.
    let req = Request::post("/clients")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(format!(
            "full_name=&date_of_birth=yesterday&csrf_token={csrf}"
        )))
        .unwrap();
    let (s, _, html) = env.send_text(req).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"e-full_name\""), "{html}");
    assert!(html.contains("id=\"e-date_of_birth\""));

    // A measure through the form.
    let answers: String = (0..9).map(|i| format!("&item_{i}=1")).collect();
    let req = Request::post(format!("/clients/{id}/measures"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(format!(
            "instrument=phq9&measured_on=2025-11-06&csrf_token={csrf}{answers}"
        )))
        .unwrap();
    assert_eq!(env.send_text(req).await.0, StatusCode::SEE_OTHER);

    // Sign out deletes the session server-side.
    let req = Request::post("/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(format!("csrf_token={csrf}")))
        .unwrap();
    assert_eq!(env.send_text(req).await.0, StatusCode::SEE_OTHER);
    assert_eq!(env.count("SELECT COUNT(*) FROM auth_sessions").await, 0);
    let req = Request::get("/api/v1/me")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(env.send_text(req).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_sessions_are_refused() {
    each_db(expired_sessions_are_refused_on).await;
}

async fn expired_sessions_are_refused_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (u, _) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let now = noted::store::unix_now();
    let token = auth::token::random_token();
    env.store()
        .create_auth_session(
            &auth::token::hash_token(&token),
            u.id,
            "csrf",
            now - 31 * 60,
            "test",
        )
        .await
        .unwrap();
    let req = Request::get("/api/v1/me")
        .header(header::COOKIE, format!("noted_session={token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        env.send_text(req).await.0,
        StatusCode::UNAUTHORIZED,
        "idle timeout"
    );
    assert_eq!(env.count("SELECT COUNT(*) FROM auth_sessions").await, 0);
    // Active but older than 12 hours.
    let token = auth::token::random_token();
    let th = auth::token::hash_token(&token);
    env.store()
        .create_auth_session(&th, u.id, "csrf", now - 13 * 3600, "test")
        .await
        .unwrap();
    env.store().touch_auth_session(&th, now).await.unwrap();
    let req = Request::get("/api/v1/me")
        .header(header::COOKIE, format!("noted_session={token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        env.send_text(req).await.0,
        StatusCode::UNAUTHORIZED,
        "absolute timeout"
    );
}

// ----- Security review (issue 14) ---------------------------------------------------------------

/// Signs in through the form with `next`; returns the redirect target.
async fn sign_in_with_next(env: &TestApp, next: &str) -> String {
    let (_, h, _) = env
        .send_text(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    let login_csrf = cookie_of(&h, "noted_login_csrf").unwrap();
    let form = serde_urlencoded::to_string([
        ("email", "a@example.org"),
        ("password", PW),
        ("csrf_token", login_csrf.as_str()),
        ("next", next),
    ])
    .unwrap();
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("noted_login_csrf={login_csrf}"))
        .body(Body::from(form))
        .unwrap();
    let (s, h, _) = env.send_text(req).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    h[header::LOCATION].to_str().unwrap().to_string()
}

#[tokio::test]
async fn sign_in_redirects_only_to_paths_on_this_server() {
    each_db(sign_in_redirects_only_to_paths_on_this_server_on).await;
}

async fn sign_in_redirects_only_to_paths_on_this_server_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    env.api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    // Browsers drop the tab (and newlines) and read `\` as `/`: each of these would leave.
    for next in [
        "/\t/evil.com",
        "/\n/evil.com",
        "//evil.com",
        "/\\evil.com",
        "https://evil.com/",
        "javascript:alert(1)",
    ] {
        assert_eq!(sign_in_with_next(&env, next).await, "/clients", "{next:?}");
    }
    assert_eq!(sign_in_with_next(&env, "/clients/7").await, "/clients/7");
    // Signed in, the sign-in page redirects at once, with the same check.
    let (_, t) = env
        .api_user("b@example.org", Role::Clinician, None)
        .await
        .user_token();
    let req = Request::get("/login?next=%2F%09%2Fevil.com")
        .header(header::AUTHORIZATION, format!("Bearer {t}"))
        .body(Body::empty())
        .unwrap();
    let (s, h, _) = env.send_text(req).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], "/clients");
}

#[tokio::test]
async fn form_pages_and_refused_chart_accesses_are_audited() {
    each_db(form_pages_and_refused_chart_accesses_are_audited_on).await;
}

async fn form_pages_and_refused_chart_accesses_are_audited_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (u, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (other, ot) = env
        .api_user("b@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    let pages: Vec<(String, &str)> = vec![
        (format!("/clients/{id}/record"), "record"),
        (
            format!("/clients/{id}/measures/new?instrument=phq9"),
            "measure.new",
        ),
        (format!("/clients/{id}/sessions/new"), "session.new"),
    ];
    for (path, page) in &pages {
        let req = Request::get(path.as_str())
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap();
        let (s, _, _) = env.send_text(req).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        let sql = if is_postgres(env.store()) {
            "SELECT COUNT(*) FROM audit_log WHERE action = 'client.view' AND actor_id = $1
               AND client_id = $2 AND detail::jsonb ->> 'page' = $3"
        } else {
            "SELECT COUNT(*) FROM audit_log WHERE action = 'client.view' AND actor_id = $1
               AND client_id = $2 AND json_extract(detail, '$.page') = $3"
        };
        let n: i64 = on_pool!(env.store(), |p| {
            sqlx::query_scalar(sql)
                .bind(u.id)
                .bind(id)
                .bind(*page)
                .fetch_one(p)
                .await
        })
        .unwrap();
        assert_eq!(n, 1, "no audit row for the {page} page");
    }
    // Another clinician is refused with 404, and the attempt is on record.
    for path in [
        format!("/api/v1/clients/{id}"),
        format!("/clients/{id}/record"),
        format!("/api/v1/clients/{id}/sessions"),
    ] {
        let req = Request::get(path.as_str())
            .header(header::AUTHORIZATION, format!("Bearer {ot}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(env.send_text(req).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let refused: i64 = on_pool!(env.store(), |p| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused' AND actor_id = $1
               AND client_id = $2",
        )
        .bind(other.id)
        .bind(id)
        .fetch_one(p)
        .await
    })
    .unwrap();
    assert_eq!(refused, 3);
    assert_eq!(
        audit::verify(env.store()).await.unwrap(),
        Verification::Intact {
            rows: env.count("SELECT COUNT(*) FROM audit_log").await
        }
    );
}

#[tokio::test]
async fn a_note_awaiting_cosignature_keeps_what_was_signed() {
    each_db(a_note_awaiting_cosignature_keeps_what_was_signed_on).await;
}

async fn a_note_awaiting_cosignature_keeps_what_was_signed_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (u, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let id = env.client(&t).await;
    env.exec("INSERT INTO notes (client_id, author_id, format, state, content, created_at, updated_at, signed_at) VALUES ($1, $2, 'soap', 'awaiting_cosign', '{}', 't', 't', '2025-11-05T10:00:00Z')", &[id, u.id])
        .await
        .unwrap();
    for change in [
        "signed_at = '2020-01-01T00:00:00Z'",
        "signed_at = NULL",
        "format = 'dap'",
        "draft_id = 1",
        "created_at = 'x'",
    ] {
        let sql = format!("UPDATE notes SET {change} WHERE state = 'awaiting_cosign'");
        let e = on_pool!(env.store(), |p| {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })
        .expect_err(change);
        assert!(e.to_string().contains("locked"), "{change}: {e}");
    }
    // Co-signing or returning it still works.
    env.exec("UPDATE notes SET state = 'in_review', review_comment = 'add plan', updated_at = 'u' WHERE state = 'awaiting_cosign'", &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn demo_accounts_are_served_on_loopback_only() {
    each_db(demo_accounts_are_served_on_loopback_only_on).await;
}

async fn demo_accounts_are_served_on_loopback_only_on(at: Location) {
    use noted::cli::serve::refuse_demo_on_network;
    let env = api_app(&at, |_| {}).await;
    let (u, _) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let public: std::net::SocketAddr = "0.0.0.0:8080".parse().unwrap();
    let lan: std::net::SocketAddr = "192.168.1.20:8080".parse().unwrap();
    let local: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
    refuse_demo_on_network(env.store(), public).await.unwrap();
    env.store().mark_demo_user(u.id).await.unwrap();
    refuse_demo_on_network(env.store(), local).await.unwrap();
    refuse_demo_on_network(env.store(), "[::1]:8080".parse().unwrap())
        .await
        .unwrap();
    for addr in [public, lan] {
        let e = refuse_demo_on_network(env.store(), addr)
            .await
            .expect_err("a demo account on the network");
        assert!(e.to_string().contains("a@example.org"), "{e}");
    }
    env.exec("UPDATE users SET disabled = TRUE WHERE id = $1", &[u.id])
        .await
        .unwrap();
    refuse_demo_on_network(env.store(), public).await.unwrap();
}

/// Signs in through the JSON API; returns the session cookie and its CSRF token.
async fn api_session(env: &TestApp, email: &str, password: &str) -> Option<(String, String)> {
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    let (s, h, body) = env.send_text(req).await;
    if s != StatusCode::OK {
        return None;
    }
    let v: Value = serde_json::from_str(&body).unwrap();
    let cookie = format!("noted_session={}", cookie_of(&h, "noted_session").unwrap());
    Some((cookie, v["csrf_token"].as_str().unwrap().to_string()))
}

async fn me_with_cookie(env: &TestApp, cookie: &str) -> StatusCode {
    let req = Request::get("/api/v1/me")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    env.send_text(req).await.0
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_tokens_at_once() {
    each_db(disabling_a_user_ends_their_sessions_and_tokens_at_once_on).await;
}

async fn disabling_a_user_ends_their_sessions_and_tokens_at_once_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (admin, at) = env
        .api_user("admin@example.org", Role::Admin, None)
        .await
        .user_token();
    let (c, ct) = env
        .api_user("c@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (cookie, _) = api_session(&env, "c@example.org", PW).await.unwrap();
    assert_eq!(me_with_cookie(&env, &cookie).await, StatusCode::OK);

    // Only admins, and not themselves.
    let path = format!("/api/v1/users/{}/disable", c.id);
    assert_eq!(
        env.call_json(Method::POST, &path, Some(&ct), None).await.0,
        StatusCode::FORBIDDEN
    );
    let own = format!("/api/v1/users/{}/disable", admin.id);
    assert_eq!(
        env.call_json(Method::POST, &own, Some(&at), None).await.0,
        StatusCode::CONFLICT
    );
    let (s, v) = env.call_json(Method::POST, &path, Some(&at), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["ended"],
        json!({"sessions_ended": 1, "tokens_revoked": 1})
    );
    assert_eq!(
        env.count("SELECT COUNT(*) FROM auth_sessions").await,
        0,
        "sessions deleted"
    );
    assert_eq!(
        me_with_cookie(&env, &cookie).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        env.call_json(Method::GET, "/api/v1/me", Some(&ct), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert!(api_session(&env, "c@example.org", PW).await.is_none());

    // Enabled again: signing in works, the revoked token stays revoked.
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/users/{}/enable", c.id),
            Some(&at),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(api_session(&env, "c@example.org", PW).await.is_some());
    assert_eq!(
        env.call_json(Method::GET, "/api/v1/me", Some(&ct), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // The admin page's form does the same.
    let req = Request::post(format!("/admin/users/{}/disable", c.id))
        .header(header::AUTHORIZATION, format!("Bearer {at}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(env.send_text(req).await.0, StatusCode::SEE_OTHER);
    assert!(api_session(&env, "c@example.org", PW).await.is_none());
    let (_, _, html) = env
        .send_text(
            Request::get("/admin/users")
                .header(header::AUTHORIZATION, format!("Bearer {at}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(html.contains(&format!("/admin/users/{}/enable", c.id)));
    for action in ["user.disable", "user.enable"] {
        let n: i64 = on_pool!(env.store(), |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
                .bind(action)
                .fetch_one(p)
                .await
        })
        .unwrap();
        assert!(n >= 1, "{action}");
    }
}

#[tokio::test]
async fn admins_set_passwords_and_revoke_tokens_from_the_api_and_the_user_page() {
    each_db(admins_set_passwords_and_revoke_tokens_from_the_api_and_the_user_page_on).await;
}

async fn admins_set_passwords_and_revoke_tokens_from_the_api_and_the_user_page_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (_, at) = env
        .api_user("admin@example.org", Role::Admin, None)
        .await
        .user_token();
    let (c, ct) = env
        .api_user("c@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (d, other) = env
        .api_user("d@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (cookie, _) = api_session(&env, "c@example.org", PW).await.unwrap();
    let form = |path: String, body: String| {
        Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {at}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };

    // The API: admins only, the policy holds, the user's sign-in sessions end.
    let path = format!("/api/v1/users/{}/password", c.id);
    let new_pw = "a brand new passphrase";
    let body = json!({ "password": new_pw });
    let (s, _) = env
        .call_json(Method::PUT, &path, Some(&other), Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = env
        .call_json(
            Method::PUT,
            &path,
            Some(&at),
            Some(json!({"password": "short"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = env
        .call_json(
            Method::PUT,
            "/api/v1/users/9999/password",
            Some(&at),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = env
        .call_json(Method::PUT, &path, Some(&at), Some(body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["sessions_ended"], 1);
    assert_eq!(
        me_with_cookie(&env, &cookie).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(api_session(&env, "c@example.org", PW).await.is_none());
    assert!(api_session(&env, "c@example.org", new_pw).await.is_some());

    // The user's page: admins only; it lists the tokens with a revoke form each.
    let page = format!("/admin/users/{}", c.id);
    let get = |token: &str| {
        Request::get(&page)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(env.send_text(get(&ct)).await.0, StatusCode::FORBIDDEN);
    let (s, _, html) = env.send_text(get(&at)).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let tid = env
        .int("SELECT id FROM api_tokens WHERE user_id = $1", &[c.id])
        .await;
    let revoke = format!("/admin/users/{}/tokens/{tid}/revoke", c.id);
    assert!(html.contains(&revoke), "{html}");
    assert!(html.contains(&format!("/admin/users/{}/password", c.id)));

    // A new password from the page: both fields must agree.
    let set = format!("/admin/users/{}/password", c.id);
    let (s, _, html) = env
        .send_text(form(
            set.clone(),
            "password=another+long+passphrase&confirm_password=x".into(),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("the two passwords differ"));
    let (s, _, html) = env
        .send_text(form(
            set,
            "password=another+long+passphrase&confirm_password=another+long+passphrase".into(),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("Password set"));
    assert!(api_session(&env, "c@example.org", new_pw).await.is_none());
    assert!(
        api_session(&env, "c@example.org", "another long passphrase")
            .await
            .is_some()
    );

    // Revoking from the page: the token is refused at once; a token of another user cannot
    // be revoked through this user's page.
    let d_id = d.id;
    let d_tid = env
        .int("SELECT id FROM api_tokens WHERE user_id = $1", &[d_id])
        .await;
    let (s, _, _) = env
        .send_text(form(
            format!("/admin/users/{}/tokens/{d_tid}/revoke", c.id),
            String::new(),
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        env.call_json(Method::GET, "/api/v1/me", Some(&other), None)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        env.send_text(form(revoke, String::new())).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        env.call_json(Method::GET, "/api/v1/me", Some(&ct), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (_, _, html) = env.send_text(get(&at)).await;
    assert!(html.contains("Revoked "), "{html}");
    for (action, n) in [("user.password", 2), ("token.revoke", 1)] {
        let got = env
            .int_for("SELECT COUNT(*) FROM audit_log WHERE action = $1", action)
            .await;
        assert_eq!(got, n, "{action}");
    }
}

#[tokio::test]
async fn api_tokens_expire_record_their_last_use_and_can_be_revoked() {
    each_db(api_tokens_expire_record_their_last_use_and_can_be_revoked_on).await;
}

async fn api_tokens_expire_record_their_last_use_and_can_be_revoked_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    let (c, ct) = env
        .api_user("c@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (_, other) = env
        .api_user("d@example.org", Role::Clinician, None)
        .await
        .user_token();
    // The default lifetime is 90 days.
    let tokens_path = format!("/api/v1/users/{}/tokens", c.id);
    let (s, v) = env
        .call_json(Method::GET, &tokens_path, Some(&ct), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let t0 = &v["tokens"][0];
    assert_eq!(t0["active"], true);
    assert!(t0["last_used_at"].is_string(), "last use recorded: {t0}");
    let in_89_days =
        noted::store::format_ts(time::OffsetDateTime::now_utc() + time::Duration::days(89));
    assert!(t0["expires_at"].as_str().unwrap() > in_89_days.as_str());
    assert_eq!(
        env.call_json(Method::GET, &tokens_path, Some(&other), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // An expired token is refused.
    let short = auth::create_api_token_for_days(env.store(), &Actor::cli(), c.id, "short", 1)
        .await
        .unwrap();
    assert_eq!(
        env.call_json(Method::GET, "/api/v1/me", Some(&short), None)
            .await
            .0,
        StatusCode::OK
    );
    env.exec(
        "UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00Z' WHERE label = 'short'",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        env.call_json(Method::GET, "/api/v1/me", Some(&short), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    // Revoked by its owner (another user gets 404); refused at once.
    let third = auth::create_api_token(env.store(), &Actor::cli(), c.id, "third")
        .await
        .unwrap();
    let id = env
        .int("SELECT id FROM api_tokens WHERE label = 'third'", &[])
        .await;
    let revoke = format!("/api/v1/tokens/{id}/revoke");
    assert_eq!(
        env.call_json(Method::POST, &revoke, Some(&other), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (s, v) = env.call_json(Method::POST, &revoke, Some(&ct), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["revoked_at"].is_string());
    assert_eq!(
        env.call_json(Method::GET, "/api/v1/me", Some(&third), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (_, v) = env
        .call_json(Method::GET, &tokens_path, Some(&ct), None)
        .await;
    let states: Vec<bool> = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["active"].as_bool().unwrap())
        .collect();
    assert_eq!(states, vec![false, false, true], "third, short, test");
}

#[tokio::test]
async fn users_change_their_own_password_and_their_other_sessions_end() {
    each_db(users_change_their_own_password_and_their_other_sessions_end_on).await;
}

async fn users_change_their_own_password_and_their_other_sessions_end_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    env.api_user("c@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (this, csrf) = api_session(&env, "c@example.org", PW).await.unwrap();
    let (other, _) = api_session(&env, "c@example.org", PW).await.unwrap();
    let change = |current: &str, new: &str| {
        Request::post("/api/v1/me/password")
            .header(header::COOKIE, &this)
            .header("x-csrf-token", &csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"current_password": current, "new_password": new}).to_string(),
            ))
            .unwrap()
    };
    let new_pw = "a much longer new passphrase";
    assert_eq!(
        env.send_text(change("wrong password 123", new_pw)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        env.send_text(change(PW, "short")).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        env.send_text(change(PW, new_pw)).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(me_with_cookie(&env, &this).await, StatusCode::OK);
    assert_eq!(me_with_cookie(&env, &other).await, StatusCode::UNAUTHORIZED);
    assert!(api_session(&env, "c@example.org", PW).await.is_none());
    assert!(api_session(&env, "c@example.org", new_pw).await.is_some());
    // The page every user reaches from the header.
    let req = Request::get("/account/password")
        .header(header::COOKIE, &this)
        .body(Body::empty())
        .unwrap();
    let (s, _, html) = env.send_text(req).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"current_password\""));
    let form = serde_urlencoded::to_string([
        ("csrf_token", csrf.as_str()),
        ("current_password", new_pw),
        ("new_password", "yet another long passphrase"),
        ("confirm_password", "yet another long passphrase"),
    ])
    .unwrap();
    let req = Request::post("/account/password")
        .header(header::COOKIE, &this)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (s, _, html) = env.send_text(req).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("Your password is changed"));
    assert!(
        api_session(&env, "c@example.org", "yet another long passphrase")
            .await
            .is_some()
    );
}

#[tokio::test]
async fn the_user_command_disables_enables_and_revokes() {
    each_db(the_user_command_disables_enables_and_revokes_on).await;
}

async fn the_user_command_disables_enables_and_revokes_on(at: Location) {
    use noted::cli::user::{run, UserCommand};
    let dir = tempfile::tempdir().unwrap();
    let g = noted::config::GlobalOpts {
        data_dir: Some(dir.path().to_path_buf()),
        models_dir: None,
        config: None,
        key_file: None,
        database_url: match &at {
            Location::Postgres(url) => Some(url.clone()),
            Location::Sqlite(_) => None,
        },
        audio_store: None,
        overlaps: true,
    };
    let store = Store::open_at(&at, dir.path(), None)
        .await
        .unwrap_or_else(|e| panic!("open store on {at}: {e}"));
    let hash = password::hash_blocking(PasswordParams::insecure_fast(), PW).unwrap();
    let u = store
        .create_user(
            &Actor::cli(),
            &noted::store::users::NewUser {
                email: "c@example.org".into(),
                display_name: String::new(),
                role: Role::Clinician,
                supervisor_id: None,
                password_hash: hash,
            },
        )
        .await
        .unwrap();
    let t1 = auth::create_api_token(&store, &Actor::cli(), u.id, "one")
        .await
        .unwrap();
    let t2 = auth::create_api_token(&store, &Actor::cli(), u.id, "two")
        .await
        .unwrap();
    let hash_of = |t: &str| auth::token::hash_token(t);
    let email = "c@example.org".to_string();
    let id1: i64 = on_pool!(store, |p| {
        sqlx::query_scalar("SELECT id FROM api_tokens WHERE label = 'one'")
            .fetch_one(p)
            .await
    })
    .unwrap();
    run(&g, UserCommand::RevokeToken { id: id1 }).await.unwrap();
    assert!(store
        .user_by_api_token(&hash_of(&t1))
        .await
        .unwrap()
        .is_none());
    assert!(store
        .user_by_api_token(&hash_of(&t2))
        .await
        .unwrap()
        .is_some());
    run(
        &g,
        UserCommand::Tokens {
            email: email.clone(),
        },
    )
    .await
    .unwrap();
    run(
        &g,
        UserCommand::Disable {
            email: email.clone(),
        },
    )
    .await
    .unwrap();
    assert!(store.user(u.id).await.unwrap().unwrap().disabled);
    assert!(store
        .user_by_api_token(&hash_of(&t2))
        .await
        .unwrap()
        .is_none());
    run(
        &g,
        UserCommand::Enable {
            email: email.clone(),
        },
    )
    .await
    .unwrap();
    assert!(!store.user(u.id).await.unwrap().unwrap().disabled);
    assert!(
        store
            .user_by_api_token(&hash_of(&t2))
            .await
            .unwrap()
            .is_none(),
        "revoked tokens stay revoked"
    );
    assert!(run(
        &g,
        UserCommand::Disable {
            email: "nobody@example.org".into()
        }
    )
    .await
    .is_err());
}

// ----- Issue 14, #2 and #4: sign-in behind a proxy, atomic limits, bounded hashing and audit ---

/// Signs in through the JSON API over a connection from `peer`, with extra headers.
async fn login_from(
    env: &TestApp,
    peer: &str,
    headers: &[(&str, &str)],
    email: &str,
    password: &str,
) -> StatusCode {
    let mut b =
        Request::post("/api/v1/auth/login").header(header::CONTENT_TYPE, "application/json");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let mut req = b
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    let peer: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    env.send_text(req).await.0
}

async fn last_audit_addr(env: &TestApp, action: &str) -> String {
    on_pool!(env.store(), |p| {
        sqlx::query_scalar(
            "SELECT remote_addr FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(action)
        .fetch_one(p)
        .await
    })
    .unwrap()
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    each_db(forwarded_addresses_are_believed_only_from_trusted_proxies_on).await;
}

async fn forwarded_addresses_are_believed_only_from_trusted_proxies_on(at: Location) {
    let env = api_app(&at, |c| {
        c.trusted_proxies = "127.0.0.1,10.0.0.0/8".parse().unwrap()
    })
    .await;
    env.api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let xff = [("x-forwarded-for", "203.0.113.7")];
    // Through the proxy: the audit row names the client.
    let s = login_from(&env, "127.0.0.1", &xff, "a@example.org", PW).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(last_audit_addr(&env, "auth.login").await, "203.0.113.7");
    let fwd = [("forwarded", "for=198.51.100.9;proto=https")];
    let s = login_from(&env, "10.1.2.3", &fwd, "a@example.org", "wrong password!!").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        last_audit_addr(&env, "auth.login_failed").await,
        "198.51.100.9"
    );
    // Straight from anyone else: the header is theirs to invent, so it is ignored.
    let s = login_from(&env, "192.0.2.44", &xff, "a@example.org", PW).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(last_audit_addr(&env, "auth.login").await, "192.0.2.44");
    // Without --trusted-proxies nothing is believed.
    let (second, second_db) = another_like(&at).await;
    let plain = api_app(&second, |_| {}).await;
    plain.api_user("a@example.org", Role::Clinician, None).await;
    let s = login_from(&plain, "127.0.0.1", &xff, "a@example.org", PW).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(last_audit_addr(&plain, "auth.login").await, "127.0.0.1");
    drop(plain);
    if let Some(db) = second_db {
        db.drop().await;
    }
}

#[tokio::test]
async fn one_address_cannot_lock_out_the_clinicians_who_sign_in_from_it() {
    each_db(one_address_cannot_lock_out_the_clinicians_who_sign_in_from_it_on).await;
}

async fn one_address_cannot_lock_out_the_clinicians_who_sign_in_from_it_on(at: Location) {
    let env = api_app(&at, |c| {
        c.auth.max_failures = 3;
        c.auth.max_failures_per_addr = 5;
    })
    .await;
    env.api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    env.api_user("b@example.org", Role::Clinician, None)
        .await
        .user_token();
    let office = "192.0.2.10";
    // Successful sign-ins do not count against the address.
    for _ in 0..8 {
        assert_eq!(
            login_from(&env, office, &[], "a@example.org", PW).await,
            StatusCode::OK
        );
    }
    // Someone at the same address sprays guesses at many accounts.
    for i in 0..5 {
        let s = login_from(
            &env,
            office,
            &[],
            &format!("x{i}@example.org"),
            "guess guess guess",
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    // The address is now limited for accounts never signed in from it...
    let s = login_from(&env, office, &[], "y@example.org", "guess guess guess").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    // ...but the clinician who signs in from there keeps working.
    assert_eq!(
        login_from(&env, office, &[], "a@example.org", PW).await,
        StatusCode::OK
    );
    // The per-account limit is the main guard, from any address.
    for i in 0..3 {
        let peer = format!("198.51.100.{i}");
        let s = login_from(&env, &peer, &[], "b@example.org", "wrong password!!").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let s = login_from(&env, "198.51.100.200", &[], "b@example.org", PW).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn concurrent_sign_ins_cannot_all_pass_the_limit() {
    each_db(concurrent_sign_ins_cannot_all_pass_the_limit_on).await;
}

async fn concurrent_sign_ins_cannot_all_pass_the_limit_on(at: Location) {
    let env = api_app(&at, |c| c.auth.max_failures = 3).await;
    // A real-cost hash, so that the attempts overlap while passwords are checked.
    let (u, _) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let hash = password::hash_blocking(PasswordParams::default(), PW).unwrap();
    on_pool!(env.store(), |p| {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(&hash)
            .bind(u.id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    let attempts = (0..12).map(|i| {
        let env = &env;
        async move {
            let peer = format!("198.51.100.{i}");
            login_from(env, &peer, &[], "a@example.org", "wrong password!!").await
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!((wrong, refused), (3, 9), "{statuses:?}");
    assert_eq!(
        env.count("SELECT COUNT(*) FROM login_attempts WHERE success = FALSE")
            .await,
        3
    );
}

#[tokio::test]
async fn refused_sign_ins_add_one_audit_row_per_account_and_window() {
    each_db(refused_sign_ins_add_one_audit_row_per_account_and_window_on).await;
}

async fn refused_sign_ins_add_one_audit_row_per_account_and_window_on(at: Location) {
    let env = api_app(&at, |c| c.auth.max_failures = 2).await;
    env.api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    for _ in 0..2 {
        let s = login_from(&env, "192.0.2.1", &[], "a@example.org", "wrong password!!").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    for i in 0..20 {
        let peer = format!("192.0.2.{}", i + 2);
        let s = login_from(&env, &peer, &[], "a@example.org", "wrong password!!").await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(
        env.count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_refused'")
            .await,
        1
    );
    assert_eq!(
        env.count("SELECT CAST(SUM(count) AS BIGINT) FROM login_refusals")
            .await,
        20,
        "the refused attempts are still counted"
    );
    assert_eq!(
        audit::verify(env.store()).await.unwrap(),
        Verification::Intact {
            rows: env.count("SELECT COUNT(*) FROM audit_log").await
        }
    );
}

#[tokio::test]
async fn password_hashing_is_capped_and_a_saturated_server_says_busy() {
    each_db(password_hashing_is_capped_and_a_saturated_server_says_busy_on).await;
}

async fn password_hashing_is_capped_and_a_saturated_server_says_busy_on(at: Location) {
    let env = api_app(&at, |c| {
        c.auth.hashing = auth::HashGate::new(1, std::time::Duration::from_millis(50))
    })
    .await;
    env.api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let held = env.state.config.auth.hashing.saturate().await;
    let s = login_from(&env, "192.0.2.1", &[], "a@example.org", PW).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    // An attempt that was never checked is not held against the account.
    assert_eq!(env.count("SELECT COUNT(*) FROM login_attempts").await, 0);
    drop(held);
    assert_eq!(env.state.config.auth.hashing.available(), 1);
    let s = login_from(&env, "192.0.2.1", &[], "a@example.org", PW).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn serving_on_the_network_without_secure_cookies_warns() {
    use noted::cli::serve::network_warnings;
    let mut c = HttpConfig::default();
    let lan: std::net::SocketAddr = "0.0.0.0:8080".parse().unwrap();
    let local: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
    assert_eq!(network_warnings(lan, &c).len(), 1);
    assert!(network_warnings(lan, &c)[0].contains("--secure-cookies"));
    assert!(network_warnings(local, &c).is_empty());
    c.secure_cookies = true;
    assert!(network_warnings(lan, &c).is_empty());
}

// ----- Issue 14, #8: server timeouts, upload concurrency and free disk -------------------------

#[tokio::test]
async fn connections_that_send_headers_too_slowly_are_dropped() {
    each_db(connections_that_send_headers_too_slowly_are_dropped_on).await;
}

async fn connections_that_send_headers_too_slowly_are_dropped_on(at: Location) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let env = api_app(&at, |c| {
        c.header_read_timeout = std::time::Duration::from_millis(300)
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(noted::http::serve_until(
        env.state.clone(),
        listener,
        std::future::pending(),
    ));
    // A complete request is answered.
    let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    ok.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Headers that never finish: the server hangs up rather than wait forever.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        slow.read_to_end(&mut buf),
    )
    .await;
    assert!(read.is_ok(), "the connection was still open after 10 s");
    server.abort();
}

#[tokio::test]
async fn a_request_body_that_stalls_times_out() {
    each_db(a_request_body_that_stalls_times_out_on).await;
}

async fn a_request_body_that_stalls_times_out_on(at: Location) {
    let env = api_app(&at, |c| {
        c.body_read_timeout = std::time::Duration::from_millis(200)
    })
    .await;
    let head = futures_util::stream::iter([Ok::<_, std::io::Error>(
        axum::body::Bytes::from_static(b"{\"email\": "),
    )]);
    let body = Body::from_stream(futures_util::StreamExt::chain(
        head,
        futures_util::stream::pending(),
    ));
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .unwrap();
    let answered =
        tokio::time::timeout(std::time::Duration::from_secs(10), env.send_text(req)).await;
    let (status, _, _) = answered.expect("the request was still waiting for its body after 10 s");
    assert!(status.is_client_error(), "{status}");
}

async fn upload_wav(env: &TestApp, token: &str, client: i64) -> (StatusCode, Value) {
    upload_wav_with(env, token, client, "kind=dictation").await
}

async fn upload_wav_with(
    env: &TestApp,
    token: &str,
    client: i64,
    query: &str,
) -> (StatusCode, Value) {
    let wav = {
        let mut cursor = std::io::Cursor::new(Vec::new());
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::new(&mut cursor, spec).unwrap();
        for _ in 0..16_000 {
            w.write_sample(0i16).unwrap();
        }
        w.finalize().unwrap();
        cursor.into_inner()
    };
    let req = Request::post(format!("/api/v1/clients/{client}/recordings?{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "audio/wav")
        .header(header::CONTENT_LENGTH, wav.len())
        .body(Body::from(wav))
        .unwrap();
    let (s, _, body) = env.send_text(req).await;
    (
        s,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

fn audio_files(env: &TestApp) -> usize {
    std::fs::read_dir(env.state.data_dir.join("audio"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn uploads_are_refused_when_the_disk_is_nearly_full() {
    each_db(uploads_are_refused_when_the_disk_is_nearly_full_on).await;
}

async fn uploads_are_refused_when_the_disk_is_nearly_full_on(at: Location) {
    let env = api_app(&at, |c| c.min_free_disk_bytes = u64::MAX / 4).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let client = env.client(&t).await;
    let (s, v) = upload_wav(&env, &t, client).await;
    assert_eq!(s, StatusCode::INSUFFICIENT_STORAGE, "{v}");
    assert_eq!(v["code"], "insufficient_storage");
    assert_eq!(audio_files(&env), 0);
    assert_eq!(env.count("SELECT COUNT(*) FROM recordings").await, 0);
    // With room to spare the same upload is taken.
    let (second, second_db) = another_like(&at).await;
    let roomy = api_app(&second, |c| c.min_free_disk_bytes = 0).await;
    let (_, t) = roomy
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let client = roomy.client(&t).await;
    let (s, v) = upload_wav(&roomy, &t, client).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    drop(roomy);
    if let Some(db) = second_db {
        db.drop().await;
    }
}

#[tokio::test]
async fn uploads_beyond_the_concurrency_limit_are_refused() {
    each_db(uploads_beyond_the_concurrency_limit_are_refused_on).await;
}

async fn uploads_beyond_the_concurrency_limit_are_refused_on(at: Location) {
    let env = api_app(&at, |c| {
        c.max_concurrent_uploads = 1;
        c.min_free_disk_bytes = 0;
    })
    .await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let client = env.client(&t).await;
    let busy = env.state.uploads.clone().try_acquire_owned().unwrap();
    let (s, v) = upload_wav(&env, &t, client).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(env.count("SELECT COUNT(*) FROM recordings").await, 0);
    drop(busy);
    let (s, v) = upload_wav(&env, &t, client).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
}

// ----- Issue 14, #14: audio of every end state, an audited delete, purged summaries ------------

#[tokio::test]
async fn audio_of_failed_or_cancelled_recordings_is_deleted_and_kept_audio_can_be() {
    each_db(audio_of_failed_or_cancelled_recordings_is_deleted_and_kept_audio_can_be_on).await;
}

async fn audio_of_failed_or_cancelled_recordings_is_deleted_and_kept_audio_can_be_on(at: Location) {
    use noted::pipeline::retention;
    use noted::store::recordings::RecordingStatus;
    let env = api_app(&at, |_| {}).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let (_, other) = env
        .api_user("b@example.org", Role::Clinician, None)
        .await
        .user_token();
    let client = env.client(&t).await;
    let e = &env;
    let path_of = |id: i64| async move {
        let rel: String = on_pool!(e.store(), |p| {
            sqlx::query_scalar("SELECT path FROM recordings WHERE id = $1")
                .bind(id)
                .fetch_one(p)
                .await
        })
        .unwrap();
        e.state.data_dir.join(rel)
    };
    // Not kept, transcription failed for good: a worker (here by hand) takes it up and fails.
    let (s, up) = upload_wav_with(&env, &t, client, "kind=dictation&keep_audio=false").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{up}");
    let failed = up["recording"]["id"].as_i64().unwrap();
    let taken = env
        .state
        .jobs
        .claim(
            "w",
            &["transcribe".to_string()],
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap()
        .expect("the only job is claimable");
    assert_eq!(taken.job.id, up["job_id"].as_i64().unwrap());
    for (status, error) in [
        (RecordingStatus::Transcribing, None),
        (RecordingStatus::Failed, Some("the audio is unreadable")),
    ] {
        env.store()
            .set_recording_status(failed, status, error)
            .await
            .unwrap();
    }
    env.state
        .jobs
        .fail(&taken.lease, "the audio is unreadable", false)
        .await
        .unwrap();
    // Not kept, transcription cancelled.
    let (s, up) = upload_wav_with(&env, &t, client, "kind=dictation&keep_audio=false").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{up}");
    let (cancelled, job) = (
        up["recording"]["id"].as_i64().unwrap(),
        up["job_id"].as_i64().unwrap(),
    );
    // Kept, transcription cancelled.
    let (s, up) = upload_wav_with(&env, &t, client, "kind=dictation&keep_audio=true").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{up}");
    let (kept, kept_job) = (
        up["recording"]["id"].as_i64().unwrap(),
        up["job_id"].as_i64().unwrap(),
    );
    // Not kept, still queued.
    let (s, up) = upload_wav_with(&env, &t, client, "kind=dictation").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{up}");
    let queued = up["recording"]["id"].as_i64().unwrap();
    for j in [job, kept_job] {
        let (s, v) = env
            .call_json(
                Method::POST,
                &format!("/api/v1/jobs/{j}/cancel"),
                Some(&t),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    // Within the grace period (a retry is still possible) nothing goes.
    let now = time::OffsetDateTime::now_utc();
    retention::sweep_at(env.store(), &env.state.audio, now).await;
    assert!(path_of(cancelled).await.is_file());
    // After it, the cancelled recording's audio goes, audited; kept and queued audio stays.
    retention::sweep_at(env.store(), &env.state.audio, now + time::Duration::days(8)).await;
    assert!(!path_of(cancelled).await.is_file());
    assert!(!path_of(failed).await.is_file());
    assert!(path_of(kept).await.is_file());
    assert!(path_of(queued).await.is_file());
    for (id, why) in [(cancelled, "cancelled"), (failed, "failed")] {
        let sql = if is_postgres(env.store()) {
            "SELECT detail::jsonb ->> 'reason' FROM audit_log
              WHERE action = 'recording.audio_deleted' AND resource_id = $1"
        } else {
            "SELECT json_extract(detail, '$.reason') FROM audit_log
              WHERE action = 'recording.audio_deleted' AND resource_id = $1"
        };
        let reason: String = on_pool!(env.store(), |p| {
            sqlx::query_scalar(sql)
                .bind(id.to_string())
                .fetch_one(p)
                .await
        })
        .unwrap();
        assert_eq!(reason, why);
    }
    // Kept audio can be deleted by someone who may see the chart, audited with who did it.
    let url = format!("/api/v1/recordings/{kept}/audio");
    let (s, _) = env
        .call_json(Method::DELETE, &url, Some(&other), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(path_of(kept).await.is_file());
    let (s, v) = env.call_json(Method::DELETE, &url, Some(&t), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert!(!path_of(kept).await.is_file());
    let (s, _) = env.call_json(Method::GET, &url, Some(&t), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let sql = if is_postgres(env.store()) {
        "SELECT actor_id FROM audit_log WHERE action = 'recording.audio_deleted'
            AND resource_id = $1 AND detail::jsonb ->> 'reason' = 'deleted_by_user'"
    } else {
        "SELECT actor_id FROM audit_log WHERE action = 'recording.audio_deleted'
            AND resource_id = $1 AND json_extract(detail, '$.reason') = 'deleted_by_user'"
    };
    let actor: Option<i64> = on_pool!(env.store(), |p| {
        sqlx::query_scalar(sql)
            .bind(kept.to_string())
            .fetch_one(p)
            .await
    })
    .unwrap();
    assert!(actor.is_some());
    // Not while it is being transcribed.
    let (s, _) = env
        .call_json(
            Method::DELETE,
            &format!("/api/v1/recordings/{queued}/audio"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(path_of(queued).await.is_file());
    assert!(matches!(
        audit::verify(env.store()).await.unwrap(),
        Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn typed_summaries_leave_finished_jobs_and_old_sign_in_records_are_purged() {
    each_db(typed_summaries_leave_finished_jobs_and_old_sign_in_records_are_purged_on).await;
}

async fn typed_summaries_leave_finished_jobs_and_old_sign_in_records_are_purged_on(at: Location) {
    use noted::pipeline::retention;
    let env = api_app(&at, |_| {}).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let client = env.client(&t).await;
    let mut jobs = Vec::new();
    for _ in 0..3 {
        let (s, v) = env
            .call_json(
                Method::POST,
                &format!("/api/v1/clients/{client}/drafts"),
                Some(&t),
                Some(json!({"text": "Client reports better sleep this week."})),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        jobs.push(v["job_id"].as_i64().unwrap());
    }
    // One done, one failed, one still queued.
    for (id, state) in [(jobs[0], "done"), (jobs[1], "failed")] {
        // by hand, through running, as a worker would
        for state in ["running", state] {
            on_pool!(env.store(), |p| {
                sqlx::query("UPDATE jobs SET state = $1, finished_at = $2 WHERE id = $3")
                    .bind(state)
                    .bind(noted::store::now())
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())
            })
            .unwrap();
        }
    }
    let e = &env;
    let has_text = |id: i64| async move {
        let sql = if is_postgres(e.store()) {
            "SELECT CAST(CASE WHEN (payload::jsonb -> 'text') IS NOT NULL THEN 1 ELSE 0 END
                AS BIGINT) FROM jobs WHERE id = $1"
        } else {
            "SELECT json_type(payload, '$.text') IS NOT NULL FROM jobs WHERE id = $1"
        };
        on_pool!(e.store(), |p| {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(id)
                .fetch_one(p)
                .await
        })
        .unwrap()
            == 1
    };
    // Old and recent sign-in records.
    let now = time::OffsetDateTime::now_utc();
    for at in [now.unix_timestamp() - 40 * 24 * 3600, now.unix_timestamp()] {
        env.exec(
            "INSERT INTO login_attempts (email, remote_addr, at, success)
             VALUES ('someone@example.org', '192.0.2.1', $1, FALSE)",
            &[at],
        )
        .await
        .unwrap();
    }
    let swept = retention::sweep_at(env.store(), &env.state.audio, now).await;
    assert_eq!(swept.job_summaries, 1);
    assert!(
        !has_text(jobs[0]).await,
        "a done job keeps no typed summary"
    );
    assert!(
        has_text(jobs[1]).await,
        "a failed job keeps it while it can be retried"
    );
    assert!(has_text(jobs[2]).await, "a queued job needs it");
    assert_eq!(swept.login_records, 1);
    assert_eq!(env.count("SELECT COUNT(*) FROM login_attempts").await, 1);
    retention::sweep_at(env.store(), &env.state.audio, now + time::Duration::days(8)).await;
    assert!(!has_text(jobs[1]).await);
    assert!(has_text(jobs[2]).await);
}

// ----- Issue 14, #17: dates in the practice's time zone -----------------------------------------

#[tokio::test]
async fn sessions_and_measures_are_dated_in_the_practice_time_zone() {
    each_db(sessions_and_measures_are_dated_in_the_practice_time_zone_on).await;
}

async fn sessions_and_measures_are_dated_in_the_practice_time_zone_on(at: Location) {
    // A zone whose date differs from UTC's right now, whenever the test runs.
    let now = time::OffsetDateTime::now_utc();
    let (zone, expected) = if now.hour() >= 12 {
        ("Etc/GMT-14", (now + time::Duration::hours(14)).date())
    } else {
        ("Etc/GMT+12", (now - time::Duration::hours(12)).date())
    };
    assert_ne!(expected, now.date());
    let expected = expected.to_string();
    let env = api_app(&at, |c| c.time_zone = zone.parse().unwrap()).await;
    let (_, t) = env
        .api_user("a@example.org", Role::Clinician, None)
        .await
        .user_token();
    let client = env.client(&t).await;
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/clients/{client}/measures"),
            Some(&t),
            Some(json!({"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 0]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["measured_on"], expected.as_str());
    // A recording without a session creates one dated today, in the practice's zone.
    let (s, v) = upload_wav_with(&env, &t, client, "kind=session").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let rid = v["recording"]["id"].as_i64().unwrap();
    let date: String = on_pool!(env.store(), |p| {
        sqlx::query_scalar(
            "SELECT s.session_date FROM therapy_sessions s JOIN recordings r
                ON r.therapy_session_id = s.id WHERE r.id = $1",
        )
        .bind(rid)
        .fetch_one(p)
        .await
    })
    .unwrap();
    assert_eq!(date, expected);
    // So does a live recording (the chunk API) started without one.
    let (s, v) = env
        .call_json(
            Method::POST,
            "/api/v1/recordings",
            Some(&t),
            Some(json!({"client_id": client, "format": "pcm16", "sample_rate": 16000})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let sid = v["recording"]["therapy_session_id"].as_i64().unwrap();
    let date: String = on_pool!(env.store(), |p| {
        sqlx::query_scalar("SELECT session_date FROM therapy_sessions WHERE id = $1")
            .bind(sid)
            .fetch_one(p)
            .await
    })
    .unwrap();
    assert_eq!(date, expected, "a live recording's session");
}

// ----- Issue 14, #10: a keyed audit chain anchored outside the database -------------------------

async fn write_audit_rows(env: &TestApp, n: usize) {
    for i in 0..n {
        audit::record(
            env.store(),
            &Actor::cli(),
            &audit::Event::new("test.event", "test", i),
        )
        .await
        .unwrap();
    }
}

async fn unlock_audit_log(env: &TestApp) {
    // PostgreSQL names the table a trigger is on.
    let on = if is_postgres(env.store()) {
        " ON audit_log"
    } else {
        ""
    };
    for trigger in ["audit_log_no_update", "audit_log_no_delete"] {
        let sql = format!("DROP TRIGGER {trigger}{on}");
        on_pool!(env.store(), |p| {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })
        .unwrap();
    }
}

#[tokio::test]
async fn the_audit_chain_is_keyed_with_a_key_outside_the_database() {
    each_db(the_audit_chain_is_keyed_with_a_key_outside_the_database_on).await;
}

async fn the_audit_chain_is_keyed_with_a_key_outside_the_database_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    write_audit_rows(&env, 5).await;
    let key_path = env.state.data_dir.join(audit::keyed::KEY_FILE);
    let key = std::fs::read_to_string(&key_path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // SQLite only: the key is not in the database file (PostgreSQL's files are the server's).
    if !is_postgres(env.store()) {
        let db = std::fs::read(env.state.data_dir.join("noted.db")).unwrap();
        let wal = std::fs::read(env.state.data_dir.join("noted.db-wal")).unwrap_or_default();
        for bytes in [&db, &wal] {
            assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()));
        }
    }
    let hashes: Vec<String> = on_pool!(env.store(), |p| {
        sqlx::query_scalar("SELECT hash FROM audit_log")
            .fetch_all(p)
            .await
    })
    .unwrap();
    assert!(hashes.iter().all(|h| h.starts_with("hmac:")), "{hashes:?}");
    assert_eq!(
        audit::verify(env.store()).await.unwrap(),
        Verification::Intact { rows: 5 }
    );
    // Someone who can write the database but not read the key edits row 2 and recomputes every
    // hash after it, as the unkeyed chain allowed.
    unlock_audit_log(&env).await;
    let rows: Vec<audit::AuditRow> = on_pool!(env.store(), |p| {
        sqlx::query_as("SELECT * FROM audit_log ORDER BY id")
            .fetch_all(p)
            .await
    })
    .unwrap();
    let mut prev = rows[0].hash.clone();
    for r in &rows[1..] {
        let detail = if r.id == 2 {
            "{\"forged\":true}".to_string()
        } else {
            r.detail.clone()
        };
        let h = audit::row_hash(
            r.id,
            &r.at,
            r.actor_id,
            &r.action,
            &r.resource_type,
            &r.resource_id,
            r.client_id,
            &r.remote_addr,
            &detail,
            &prev,
        );
        on_pool!(env.store(), |p| {
            sqlx::query("UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE id = $4")
                .bind(&detail)
                .bind(&prev)
                .bind(&h)
                .bind(r.id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })
        .unwrap();
        prev = h;
    }
    match audit::verify(env.store()).await.unwrap() {
        Verification::Broken { row_id, .. } => assert_eq!(row_id, 2),
        other => panic!("a rewritten chain verified: {other:?}"),
    }
}

#[tokio::test]
async fn the_anchor_file_reveals_rows_removed_from_the_end_and_resists_edits() {
    each_db(the_anchor_file_reveals_rows_removed_from_the_end_and_resists_edits_on).await;
}

async fn the_anchor_file_reveals_rows_removed_from_the_end_and_resists_edits_on(at: Location) {
    let env = api_app(&at, |_| {}).await;
    write_audit_rows(&env, 6).await;
    assert_eq!(
        audit::keyed::checkpoint(env.store()).await.unwrap(),
        Some(6)
    );
    assert_eq!(
        audit::keyed::checkpoint(env.store()).await.unwrap(),
        None,
        "head unchanged"
    );
    assert_eq!(
        audit::verify(env.store()).await.unwrap(),
        Verification::Intact { rows: 6 }
    );
    // Truncation: the last rows deleted leave a chain that links, but the anchor names row 6.
    unlock_audit_log(&env).await;
    env.exec("DELETE FROM audit_log WHERE id > 4", &[])
        .await
        .unwrap();
    match audit::verify(env.store()).await.unwrap() {
        Verification::Broken { row_id, reason } => {
            assert_eq!(row_id, 6);
            assert!(reason.contains("removed from the end"), "{reason}");
        }
        other => panic!("a truncated log verified: {other:?}"),
    }
    // Editing the anchor to match is refused: its lines are MAC'd under the key.
    let anchor = env.state.data_dir.join(audit::keyed::ANCHOR_FILE);
    let text = std::fs::read_to_string(&anchor).unwrap();
    std::fs::write(&anchor, text.replace("\"row\":6", "\"row\":4")).unwrap();
    match audit::verify(env.store()).await.unwrap() {
        Verification::Broken { reason, .. } => assert!(reason.contains("anchor"), "{reason}"),
        other => panic!("an edited anchor verified: {other:?}"),
    }
}
