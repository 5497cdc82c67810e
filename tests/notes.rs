//! Review, sign, lock, amend and export: router-level tests (`oneshot`) over a real database.
//! Most tests insert a draft row directly (the model is not what they test); the drafting job
//! test runs the real test-tier model (skipped, or failed under NOTED_REQUIRE_MODELS=1, when it
//! is not installed). Each test runs on SQLite and, when `NOTED_TEST_POSTGRES_URL` names a
//! server, again on PostgreSQL in a fresh schema (`common/db.rs`); the backup test is SQLite-only.

#[path = "common/app.rs"]
mod app;
mod common;
#[macro_use]
#[path = "common/db.rs"]
mod db;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use app::{DraftRow, TestApp, Who, PW};
use db::{is_sqlite, TestDb};
use noted::audit::Actor;
use noted::auth::password;
use noted::export::fhir;
use noted::notes::canonical;
use noted::store::{Location, Role, Store};

const SECRET: &str = "PROCESS-NOTE-SECRET-7f3a";

/// A draft as `noted draft --json` prints it (summary segments 0-4).
fn draft_json(goal1: &str, goal2: &str) -> Value {
    json!({
        "format": "soap",
        "section_order": ["subjective", "objective", "assessment", "plan"],
        "sections": {
            "subjective": {"title": "Subjective", "text": "Client reports sleeping five hours a night.\nClient reports stress at work.",
                "statements": [
                    {"text": "Client reports sleeping five hours a night.", "citations": [0], "flags": [], "support": 0.9, "origin": "model", "included": true},
                    {"text": "Client reports stress at work.", "citations": [1], "flags": [], "support": 0.8, "origin": "model", "included": true},
                    {"text": "Client sleeps 9 hours.", "citations": [0], "flags": ["number_not_found:9"], "support": 0.3, "origin": "model", "included": false}
                ]},
            "objective": {"title": "Objective", "text": "PHQ-9 reviewed.", "statements": [
                {"text": "PHQ-9 reviewed.", "citations": [2], "flags": [], "support": 0.7, "origin": "model", "included": true}]},
            "assessment": {"title": "Assessment", "text": "Burnout symptoms persist.", "statements": [
                {"text": "Burnout symptoms persist.", "citations": [1], "flags": [], "support": 0.6, "origin": "model", "included": true}]},
            "plan": {"title": "Plan", "text": "Practice the wind-down routine.", "statements": [
                {"text": "Practice the wind-down routine.", "citations": [3], "flags": [], "support": 0.7, "origin": "model", "included": true}]}
        },
        "plan_updates": [
            {"goal_id": goal1, "status": "progressing", "evidence": "Client sleeps five hours.", "citations": [0], "flags": []},
            {"goal_id": goal2, "status": "not_addressed", "evidence": "", "citations": [], "flags": []}
        ],
        "proposals": [
            {"kind": "next_session", "text": "Meet again next week", "citations": [4]},
            {"kind": "referral", "text": "Sleep clinic", "citations": [3]}
        ],
        "risk": {"suicidal_ideation": {"status": "not_assessed", "citations": []}, "plan": {"status": "not_assessed", "citations": []},
                 "intent": {"status": "not_assessed", "citations": []}, "homicidal_ideation": {"status": "not_assessed", "citations": []},
                 "cues": [{"segment_id": 2, "topic": "suicidal_ideation", "cue": "better off dead"}], "flags": []},
        "flags": ["risk_cue:suicidal_ideation: segment 2 mentions \"better off dead\"; review", "statements_held_back:1: review them"],
        "provenance": {"model": "smollm2-135m-test", "model_sha256": "abab", "prompt_version": "p-test-1", "format_version": "1", "created_at": "2026-01-01T00:00:00Z"},
        "complete": true,
        "summary_segments": [
            {"id": 0, "text": "Client sleeps five hours a night."}, {"id": 1, "text": "Stress at work is high."},
            {"id": 2, "text": "PHQ-9 reviewed; client said sometimes better off dead."}, {"id": 3, "text": "We practiced a wind-down routine."},
            {"id": 4, "text": "We will meet again next week."}
        ]
    })
}

#[tokio::test]
async fn review_sign_lock_and_amend() {
    on_each_db!(review_sign_lock_and_amend_on);
}

async fn review_sign_lock_and_amend_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;

    // The draft as the model made it, with its state.
    let (s, v) = env
        .call_json(Method::GET, &format!("/api/v1/drafts/{draft}"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "ready");
    assert_eq!(v["note_state"], "draft");
    assert_eq!(v["section_order"][0], "subjective");
    assert_eq!(
        v["sections"]["subjective"]["statements"][0]["citations"],
        json!([0])
    );
    assert_eq!(v["edits"]["total_chars_changed"], 0);
    assert_eq!(env.audit_count("draft.view", &draft.to_string()).await, 1);

    // Edit a section, keep a flagged statement, delete another.
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"sections": {"assessment": {"text": "Burnout symptoms persist; sleep is improving slowly."}},
                        "statements": [{"section": "subjective", "index": 1, "action": "delete"}]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "in_review");
    assert_eq!(v["note_state"], "in_review");
    assert_eq!(
        v["sections"]["subjective"]["text"],
        "Client reports sleeping five hours a night."
    );
    assert!(
        v["edits"]["sections"]["assessment"]["chars_changed"]
            .as_u64()
            .unwrap()
            > 10
    );
    assert_eq!(
        v["original"]["sections"]["assessment"]["text"], "Burnout symptoms persist.",
        "the model's original is kept"
    );
    assert!(v["edits"]["diff"]["assessment"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["op"] == "added"));
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"sections": {"nope": {"text": "x"}}})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        env.audit_count("draft.edit", &draft.to_string()).await,
        1,
        "a refused edit writes nothing"
    );

    // The risk cue is also a safety flag on the chart until acknowledged in the draft.
    let (_, f) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{cid}/flags"),
            &doc,
            None,
        )
        .await;
    assert_eq!(f["flags"][0]["kind"], "draft_risk", "{f}");
    assert_eq!(f["flags"][0]["draft_id"], draft);
    assert_eq!(f["flags"][0]["acknowledged_at"], Value::Null);

    // Unacknowledged risk flag blocks signing.
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            &doc,
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["error"].as_str().unwrap().contains("risk flag"), "{v}");
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/flags/0/acknowledge"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unacknowledged_risk_flags"], json!([]));
    // a risk cue can be marked not a risk, with a reason (required), kept in the audit log
    let ack = format!("/api/v1/drafts/{draft}/flags/0/acknowledge");
    let (s, v) = env
        .call_json(
            Method::POST,
            &ack,
            &doc,
            Some(json!({"not_a_risk": true, "reason": " "})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = env
        .call_json(
            Method::POST,
            &ack,
            &doc,
            Some(json!({"not_a_risk": true, "reason": "quoting a film"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["acknowledged"]["not_a_risk"], true, "{v}");
    assert_eq!(v["acknowledged"]["reason"], "quoting a film", "{v}");
    let detail: String = on_pool!(env.store(), |p| sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'draft.flag.acknowledge' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(
        detail.contains("\"not_a_risk\":true")
            && detail.contains("reason_sha256")
            && !detail.contains("film"),
        "the audit records the decision, not the words: {detail}"
    );
    let (_, f) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{cid}/flags"),
            &doc,
            None,
        )
        .await;
    assert_eq!(f["flags"][0]["acknowledged_by"], doc.user.id, "{f}");
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/flags/9/acknowledge"),
            &doc,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    // Risk fields must be set explicitly.
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            &doc,
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["error"].as_str().unwrap().contains("risk fields"), "{v}");
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"risk": {"suicidal_ideation": "maybe"}})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    env.make_signable(&doc, draft).await;

    // Wrong password: refused and audited, nothing signed.
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            &doc,
            Some(json!({"password": "wrong password!!"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("password is incorrect"),
        "{v}"
    );
    // Three refusals so far: the unacknowledged flag, the unset risk fields, the password.
    assert_eq!(
        env.audit_count("note.sign_refused", &draft.to_string())
            .await,
        3
    );
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            &doc,
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Sign.
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            &doc,
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["id"], note);
    assert_eq!(v["state"], "signed");
    assert_eq!(v["hash_verified"], true);
    assert_eq!(
        v["signatures"][0]["attestation"],
        "I have reviewed this note and it accurately reflects the session"
    );
    assert_eq!(v["signatures"][0]["signer_id"], doc.user.id);
    assert_eq!(
        v["content"]["sections"]["assessment"]["text"],
        "Burnout symptoms persist; sleep is improving slowly."
    );
    assert_eq!(
        v["content"]["risk"]["suicidal_ideation"]["status"],
        "denied"
    );
    assert!(
        v["content"]["edit_measure"]["assessment"]["chars_changed"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(v["content"]["ai"]["prompt_version"], "p-test-1");
    assert_eq!(env.audit_count("note.sign", &note.to_string()).await, 1);

    // The hash is verifiable later from the stored canonical JSON.
    let (content, sha): (String, String) = on_pool!(env.store(), |p| sqlx::query_as(
        "SELECT content, content_sha256 FROM notes WHERE id = $1"
    )
    .bind(note)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(canonical::sha256_hex(&content), sha);
    assert_eq!(
        canonical::to_string(&serde_json::from_str(&content).unwrap()),
        content
    );
    let sig_sha: String = on_pool!(env.store(), |p| sqlx::query_scalar(
        "SELECT content_sha256 FROM signatures WHERE note_id = $1"
    )
    .bind(note)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(sig_sha, sha);

    // Locked: the API answers 409 to any change, the database refuses raw changes.
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"sections": {"plan": {"text": "x"}}})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            &doc,
            Some(json!({"password": PW}))
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/plan-updates/0/accept"),
            &doc,
            None
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    for m in [Method::PATCH, Method::PUT, Method::DELETE] {
        let (s, v) = env
            .call_json(
                m,
                &format!("/api/v1/notes/{note}"),
                &doc,
                Some(json!({"content": {}})),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
    }
    assert!(on_pool!(env.store(), |p| sqlx::query(
        "UPDATE notes SET content = '{}' WHERE id = $1"
    )
    .bind(note)
    .execute(p)
    .await
    .is_err()));
    assert!(on_pool!(env.store(), |p| sqlx::query(
        "UPDATE notes SET state = 'in_review' WHERE id = $1"
    )
    .bind(note)
    .execute(p)
    .await
    .is_err()));
    assert!(on_pool!(env.store(), |p| sqlx::query(
        "DELETE FROM notes WHERE id = $1"
    )
    .bind(note)
    .execute(p)
    .await
    .is_err()));
    assert!(on_pool!(env.store(), |p| sqlx::query(
        "DELETE FROM signatures WHERE note_id = $1"
    )
    .bind(note)
    .execute(p)
    .await
    .is_err()));

    // Addenda: signed with the password, appended, the original unchanged.
    let url = format!("/api/v1/notes/{note}/addenda");
    assert_eq!(
        env.call_json(
            Method::POST,
            &url,
            &doc,
            Some(json!({"text": "Late entry."}))
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (s, v) = env
        .call_json(
            Method::POST,
            &url,
            &doc,
            Some(json!({"text": "Late entry.", "password": "not my password"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(
        env.audit_count("note.addendum_refused", &note.to_string())
            .await,
        1
    );
    let (s, v) = env
        .call_json(
            Method::POST,
            &url,
            &doc,
            Some(json!({"text": "Client called the next day: sleep better.", "password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["content_sha256"].as_str().unwrap().len(), 64);
    let (s, v) = env
        .call_json(Method::GET, &format!("/api/v1/notes/{note}"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["state"], "amended");
    assert_eq!(v["content_sha256"], sha.as_str());
    assert_eq!(v["hash_verified"], true);
    assert_eq!(
        v["addenda"][0]["text"],
        "Client called the next day: sleep better."
    );
    let stored: String = on_pool!(env.store(), |p| sqlx::query_scalar(
        "SELECT content FROM notes WHERE id = $1"
    )
    .bind(note)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(
        stored, content,
        "an addendum leaves the signed content as it was"
    );
    assert!(on_pool!(env.store(), |p| sqlx::query(
        "UPDATE addenda SET text = 'x'"
    )
    .execute(p)
    .await
    .is_err()));
    assert_eq!(env.audit_count("note.addendum", &note.to_string()).await, 1);
    assert!(env.audit_count("note.view", &note.to_string()).await >= 1);

    // The chart lists the note with its state.
    let (s, v) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{cid}/notes"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["notes"][0]["state"], "amended");

    // Someone else's clinician sees nothing.
    let other = env
        .api_user("other@example.org", Role::Clinician, None)
        .await;
    assert_eq!(
        env.call_json(
            Method::GET,
            &format!("/api/v1/drafts/{draft}"),
            &other,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.call_json(Method::GET, &format!("/api/v1/notes/{note}"), &other, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.call_json(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=text"),
            &other,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn accepted_plan_updates_make_a_plan_version_from_the_note() {
    on_each_db!(accepted_plan_updates_make_a_plan_version_from_the_note_on);
}

async fn accepted_plan_updates_make_a_plan_version_from_the_note_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;

    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/plan-updates/0/accept"),
            &doc,
            Some(json!({"status": "met", "evidence": "Sleeps seven hours now."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["plan_version"], 2);
    assert_eq!(v["plan_update"]["decision"], "accepted");
    assert_eq!(v["plan_update"]["status"], "met");
    let (s, p) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{cid}/plan"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["version"], 2);
    assert_eq!(p["source_note_id"], note);
    assert!(
        p["reason"]
            .as_str()
            .unwrap()
            .contains(&format!("from note {note}")),
        "{p}"
    );
    let goal = p["plan"]["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == g1.as_str())
        .unwrap()
        .clone();
    assert_eq!(goal["status"], "met");
    assert!(p["plan"]["progress"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["goal_id"] == g1.as_str()
            && e["text"].as_str().unwrap().contains("Sleeps seven hours")));
    assert_eq!(
        env.audit_count("draft.plan_update.accept", &draft.to_string())
            .await,
        1
    );

    // Reject: no new version. Deciding twice: 409. Out of range: 404. Bad status: 422.
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/plan-updates/1/reject"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["plan_version"], Value::Null);
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/plan-updates/0/reject"),
            &doc,
            None
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/plan-updates/5/accept"),
            &doc,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    // Proposals: accept a next session with a date, reject a referral.
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/proposals/0/accept"),
            &doc,
            Some(json!({"date": "2031-01-07"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["plan_version"], 3);
    let (_, p) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/clients/{cid}/plan"),
            &doc,
            None,
        )
        .await;
    assert!(p["plan"]["follow_up"]["scheduled_sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["date"] == "2031-01-07"));
    assert_eq!(p["source_note_id"], note);
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/proposals/1/reject"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let versions: i64 = on_pool!(env.store(), |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM plan_versions WHERE client_id = $1 AND source_note_id = $2",
    )
    .bind(cid)
    .bind(note)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(versions, 2);

    // The decisions are part of the signed note.
    let (s, v) = env.sign_draft(&doc, draft).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["content"]["plan_updates"][0]["plan_version"], 2);
    assert_eq!(v["content"]["plan_updates"][1]["decision"], "rejected");
}

#[tokio::test]
async fn process_notes_stay_with_their_author() {
    on_each_db!(process_notes_stay_with_their_author_on);
}

async fn process_notes_stay_with_their_author_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let sup = env
        .api_user("sup@example.org", Role::Supervisor, None)
        .await;
    let doc = env
        .user("doc@example.org", Role::Clinician, Some(sup.user.id))
        .await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;

    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"process_notes": format!("Countertransference: {SECRET}")})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["process_notes"].as_str().unwrap().contains(SECRET));
    // The supervisor sees the draft, not the process notes, and cannot edit.
    let (s, v) = env
        .call_json(Method::GET, &format!("/api/v1/drafts/{draft}"), &sup, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.get("process_notes").is_none());
    assert!(!v.to_string().contains(SECRET));
    assert_eq!(
        env.call_json(
            Method::GET,
            &format!("/api/v1/notes/{note}/process-notes"),
            &sup,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (s, _) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &sup,
            Some(json!({"sections": {"plan": {"text": "x"}}})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // What the model sees for this client never includes them.
    let input = noted::pipeline::drafting::build_input(
        env.store(),
        &noted::pipeline::drafting::Source::Summary {
            client_id: cid,
            text: "Client slept badly. We practiced breathing.".into(),
        },
    )
    .await
    .unwrap()
    .1;
    assert!(!serde_json::to_string(&input).unwrap().contains(SECRET));
    assert!(
        !input.client.goals.is_empty(),
        "active goals with ids are in the chart context"
    );

    // Supervisee signs → awaiting co-signature; co-signed → exportable; no export has them.
    let (s, v) = env.sign_draft(&doc, draft).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["state"], "awaiting_cosign");
    assert!(!v["content"].to_string().contains(SECRET));
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/cosign"),
            &sup,
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    for f in ["text", "fhir", "pdf", "html"] {
        let (s, _, body) = env
            .call_text(
                Method::GET,
                &format!("/api/v1/notes/{note}/export?format={f}"),
                &doc,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{f}: {body}");
        assert!(
            !body.contains(SECRET),
            "process notes leaked into the {f} export"
        );
        if f == "fhir" {
            // FHIR carries the text export base64-encoded too: decode and check it.
            let v: Value = serde_json::from_str(&body).unwrap();
            for e in v["entry"].as_array().unwrap() {
                if let Some(data) = e["resource"]["content"][0]["attachment"]["data"].as_str() {
                    use base64::Engine as _;
                    let t = base64::engine::general_purpose::STANDARD
                        .decode(data)
                        .unwrap();
                    assert!(!String::from_utf8_lossy(&t).contains(SECRET));
                }
            }
        }
        assert_eq!(
            env.audit_count("note.export", &note.to_string()).await as usize,
            ["text", "fhir", "pdf", "html"]
                .iter()
                .position(|x| *x == f)
                .unwrap()
                + 1
        );
    }
    let (s, v) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/notes/{note}/process-notes"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["text"].as_str().unwrap().contains(SECRET));
}

#[tokio::test]
async fn cosignature_by_the_supervisor_only_and_return_with_comments() {
    on_each_db!(cosignature_by_the_supervisor_only_and_return_with_comments_on);
}

async fn cosignature_by_the_supervisor_only_and_return_with_comments_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let sup = env
        .api_user("sup@example.org", Role::Supervisor, None)
        .await;
    let other_sup = env
        .api_user("sup2@example.org", Role::Supervisor, None)
        .await;
    let doc = env
        .user("doc@example.org", Role::Clinician, Some(sup.user.id))
        .await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;
    let (s, v) = env.sign_draft(&doc, draft).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["state"], "awaiting_cosign");
    // Locked while awaiting co-signature; not exportable yet; no addenda yet.
    assert_eq!(
        env.call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"sections": {"plan": {"text": "x"}}}))
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        env.call_json(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=fhir"),
            &doc,
            None
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert!(on_pool!(env.store(), |p| sqlx::query(
        "UPDATE notes SET content = '{}' WHERE id = $1"
    )
    .bind(note)
    .execute(p)
    .await
    .is_err()));

    // Not the supervisor: 404 when the chart is not theirs, 403 when it is.
    let body = Some(json!({"password": PW}));
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/cosign"),
            &other_sup,
            body.clone()
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/cosign"),
            &doc,
            body.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/return"),
            &doc,
            Some(json!({"comment": "x"}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/cosign"),
            &sup,
            Some(json!({"password": "bad password!!"}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    // Returned with comments: editable again, then signed again.
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/return"),
            &sup,
            Some(json!({"comment": "Add the PHQ-9 score."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "in_review");
    assert_eq!(v["review_comment"], "Add the PHQ-9 score.");
    assert_eq!(env.audit_count("note.return", &note.to_string()).await, 1);
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"sections": {"objective": {"text": "PHQ-9 reviewed: 12."}}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            &doc,
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["state"], "awaiting_cosign");

    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/cosign"),
            &sup,
            body.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "signed");
    let kinds: Vec<&str> = v["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["sign", "sign", "cosign"]);
    // The cited text is frozen into what was signed (issue 14, #12).
    assert_eq!(
        v["content"]["cited"]["0"]["text"], "Client sleeps five hours a night.",
        "{}",
        v["content"]
    );
    assert_eq!(
        v["content"]["cited"]["3"]["text"],
        "We practiced a wind-down routine."
    );
    assert!(
        v["content"]["cited"].get("4").is_none(),
        "only what the signed content cites"
    );
    assert_eq!(v["signatures"][2]["content_sha256"], v["content_sha256"]);
    // Every signature still points at its content, exactly as signed (issue 14, #11): the
    // version returned for changes is kept beside the one co-signed.
    let (s, versions) = env
        .call_json(
            Method::GET,
            &format!("/api/v1/notes/{note}/versions"),
            &sup,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{versions}");
    let versions = versions["versions"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2, "{versions:?}");
    for sig in v["signatures"].as_array().unwrap() {
        let found = versions
            .iter()
            .find(|x| x["content_sha256"] == sig["content_sha256"])
            .unwrap_or_else(|| panic!("no signed version for {sig}"));
        assert_eq!(found["hash_verified"], true);
    }
    assert_ne!(versions[0]["content"], versions[1]["content"]);
    assert!(on_pool!(env.store(), |p| sqlx::query(
        "DELETE FROM signed_versions"
    )
    .execute(p)
    .await
    .is_err()));
    assert_eq!(env.audit_count("note.cosign", &note.to_string()).await, 1);
    assert_eq!(
        env.call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/cosign"),
            &sup,
            body
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    // The supervisor may add an addendum to a supervisee's note.
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/addenda"),
            &sup,
            Some(json!({"text": "Reviewed in supervision.", "password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // Signatures are keyed (issue 14, #10): each verifies, and one re-pointed at other content
    // or added without the key does not.
    use noted::audit::{keyed::verify_signatures, Verification};
    assert_eq!(
        verify_signatures(env.store()).await.unwrap(),
        Verification::Intact { rows: 3 }
    );
    // PostgreSQL names a trigger's table; SQLite does not accept it.
    let drops = if is_sqlite(env.store()) {
        [
            "DROP TRIGGER signatures_no_update",
            "DROP TRIGGER signatures_no_delete",
        ]
    } else {
        [
            "DROP TRIGGER signatures_no_update ON signatures",
            "DROP TRIGGER signatures_no_delete ON signatures",
        ]
    };
    for sql in drops {
        on_pool!(env.store(), |p| sqlx::query(sql)
            .execute(p)
            .await
            .map(|_| ()))
        .unwrap();
    }
    on_pool!(env.store(), |p| sqlx::query(
        "INSERT INTO signatures (note_id, signer_id, kind, signed_at, content_sha256)
         SELECT note_id, signer_id, 'cosign', signed_at, content_sha256 FROM signatures
          ORDER BY id DESC LIMIT 1",
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    assert!(matches!(
        verify_signatures(env.store()).await.unwrap(),
        Verification::Broken { row_id: 4, .. }
    ));
    on_pool!(env.store(), |p| sqlx::query(
        "DELETE FROM signatures WHERE id = 4"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    on_pool!(env.store(), |p| sqlx::query(
        "UPDATE signatures SET content_sha256 = $1 WHERE id = 3"
    )
    .bind("0".repeat(64))
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    assert!(matches!(
        verify_signatures(env.store()).await.unwrap(),
        Verification::Broken { row_id: 3, .. }
    ));
}

#[tokio::test]
async fn exports_fhir_pdf_text_and_print() {
    on_each_db!(exports_fhir_pdf_text_and_print_on);
}

async fn exports_fhir_pdf_text_and_print_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (s, v) = env
        .call_json(Method::POST, &format!("/api/v1/clients/{cid}/measures"), &doc, Some(json!({"instrument": "phq9", "answers": [1, 1, 2, 1, 0, 1, 1, 0, 0], "measured_on": "2020-01-05"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = env
        .call_json(Method::POST, &format!("/api/v1/clients/{cid}/measures"), &doc, Some(json!({"instrument": "gad7", "answers": [1, 1, 1, 1, 0, 0, 0], "measured_on": "2020-01-05"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;
    // Not signed yet: nothing to export.
    assert_eq!(
        env.call_json(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=fhir"),
            &doc,
            None
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    let (s, v) = env.sign_draft(&doc, draft).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    let (s, h, body) = env
        .call_text(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=fhir"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/fhir+json");
    let b: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(fhir::validate(&b), Vec::<String>::new());
    assert_eq!(b["type"], "document");
    let res = |rt: &str| -> Vec<Value> {
        b["entry"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["resource"]["resourceType"] == rt)
            .map(|e| e["resource"].clone())
            .collect()
    };
    for rt in [
        "Composition",
        "Patient",
        "Practitioner",
        "Encounter",
        "DocumentReference",
        "CarePlan",
        "Goal",
        "Observation",
        "Provenance",
        "Device",
    ] {
        assert!(!res(rt).is_empty(), "bundle has no {rt}");
    }
    let comp = &res("Composition")[0];
    assert_eq!(comp["status"], "final");
    assert_eq!(comp["type"]["coding"][0]["code"], "11506-3");
    assert_eq!(comp["attester"][0]["mode"], "legal");
    assert_eq!(comp["section"][0]["title"], "Subjective");
    assert_eq!(
        res("DocumentReference")[0]["type"]["coding"][0]["code"],
        "11506-3"
    );
    assert_eq!(
        res("DocumentReference")[0]["type"]["coding"][0]["system"],
        "http://loinc.org"
    );
    let codes: Vec<String> = res("Observation")
        .iter()
        .map(|o| o["code"]["coding"][0]["code"].as_str().unwrap().to_string())
        .collect();
    assert!(
        codes.contains(&"44261-6".to_string()) && codes.contains(&"70274-6".to_string()),
        "{codes:?}"
    );
    let phq = res("Observation")
        .into_iter()
        .find(|o| o["code"]["coding"][0]["code"] == "44261-6")
        .unwrap();
    assert_eq!(phq["valueInteger"], 7);
    assert_eq!(
        res("CarePlan")[0]["goal"].as_array().unwrap().len(),
        res("Goal").len()
    );
    let prov = &res("Provenance")[0];
    let agents = prov["agent"].to_string();
    assert!(
        agents.contains("assembler")
            && agents.contains("verifier")
            && agents.contains("smollm2-135m-test"),
        "{agents}"
    );
    assert!(prov["activity"]["text"]
        .as_str()
        .unwrap()
        .contains("p-test-1"));
    assert!(res("Device")[0].to_string().contains("p-test-1"));
    // A reference pointing outside the bundle is caught by the validator.
    let mut broken = b.clone();
    broken["entry"][0]["resource"]["subject"]["reference"] =
        json!("urn:uuid:00000000-0000-0000-0000-000000000000");
    assert!(!fhir::validate(&broken).is_empty());

    let (s, h, pdf) = env
        .call_bytes(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=pdf"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    // Embedded, subset DejaVu Sans with a text layer; a Latin-only note stays small.
    let raw = String::from_utf8_lossy(&pdf);
    for key in [
        "+DejaVuSans",
        "+DejaVuSans-Bold",
        "/CIDFontType2",
        "/Identity-H",
        "/FontFile2",
        "/ToUnicode",
        "/Type /Page",
    ] {
        assert!(raw.contains(key), "PDF lacks {key}");
    }
    eprintln!("Latin-only PDF: {} bytes", pdf.len());
    assert!(
        pdf.len() < 200_000,
        "a Latin-only PDF of {} bytes",
        pdf.len()
    );
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            text.contains("Client reports sleeping five hours a night."),
            "{text}"
        );
        assert!(text.contains("Alex Demo"), "{text}");
    }
    let (s, _, text) = env
        .call_text(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=text"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        text.contains("Subjective") && text.contains("Client reports sleeping five hours a night.")
    );
    assert!(text.contains("Suicidal ideation: denied"));
    assert!(text.contains("I have reviewed this note and it accurately reflects the session"));
    let (s, _, html) = env
        .call_text(Method::GET, &format!("/notes/{note}/print"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("/static/print.css") && html.contains("Client reports sleeping five hours")
    );
    assert_eq!(
        env.call_json(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=docx"),
            &doc,
            None
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Amended → Composition status amended.
    let (s, _) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/notes/{note}/addenda"),
            &doc,
            Some(json!({"text": "Correction: session was 50 minutes.", "password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, _, body) = env
        .call_text(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=fhir"),
            &doc,
            None,
        )
        .await;
    let b: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(fhir::validate(&b), Vec::<String>::new());
    assert_eq!(b["entry"][0]["resource"]["status"], "amended");
    assert!(b["entry"][0]["resource"]["section"]
        .to_string()
        .contains("Correction: session was 50 minutes."));
}

/// The text layer of a PDF by `pdftotext` (Debian's poppler-utils), or `None` (with a note)
/// where it is not installed; fails instead under `NOTED_REQUIRE_PDFTOTEXT=1` (CI).
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = match std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            let why = format!("pdftotext not runnable ({e}): the PDF text layer is not checked (apt install poppler-utils)");
            if std::env::var("NOTED_REQUIRE_PDFTOTEXT").is_ok_and(|v| v == "1") {
                panic!("{why}");
            }
            eprintln!("skipped: {why}");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("pdftotext writes UTF-8"))
}

/// Names and words in Polish, Vietnamese, Greek and Chinese print as typed: the PDF embeds
/// Unicode fonts, and its text layer gives every name back exactly.
#[tokio::test]
async fn exports_pdf_in_every_script() {
    on_each_db!(exports_pdf_in_every_script_on);
}

async fn exports_pdf_in_every_script_on(db: &TestDb) {
    const POLISH: &str = "Łukasz Żółć";
    const VIETNAMESE: &str = "Nguyễn Thị Minh Khai";
    const GREEK: &str = "Γιώργος Παπαδόπουλος";
    const CHINESE: &str = "王小明";
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/clients/{cid}"),
            &doc,
            Some(json!({"full_name": POLISH})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;
    // One name a line, so that no name is wrapped.
    let subjective = format!(
        "Client attended with her aunt and her neighbour.\nAunt: {VIETNAMESE}\n\
         Neighbour: {GREEK}\nBrother (could not come): {CHINESE}"
    );
    let (s, v) = env
        .call_json(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            &doc,
            Some(json!({"sections": {"subjective": {"text": subjective},
                                     "objective": {"text": "Ängstlich, café, Ελληνικά, Кириллица, 中文."}}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = env.sign_draft(&doc, draft).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, _, pdf) = env
        .call_bytes(
            Method::GET,
            &format!("/api/v1/notes/{note}/export?format=pdf"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    eprintln!("four-script PDF: {} bytes", pdf.len());
    assert!(pdf.len() < 400_000, "{} bytes", pdf.len());
    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    for name in [POLISH, VIETNAMESE, GREEK, CHINESE] {
        assert!(
            text.contains(name),
            "{name} is not in the PDF text:\n{text}"
        );
    }
    assert!(text.contains("Client: Łukasz Żółć (DOB"), "{text}");
    assert!(
        text.contains("Ängstlich, café, Ελληνικά, Кириллица, 中文."),
        "{text}"
    );
    assert!(!text.contains('?'), "a character was lost:\n{text}");
    // The footer, on every page, names the client too.
    assert!(text.contains("· Łukasz Żółć · page 1 of"), "{text}");
}

#[tokio::test]
async fn review_and_note_pages_render() {
    on_each_db!(review_and_note_pages_render_on);
}

async fn review_and_note_pages_render_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;
    let (s, _, html) = env
        .call_text(Method::GET, &format!("/drafts/{draft}"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    for needle in [
        "/static/review.js",
        "seg-2",
        "data-cites=\"0\"",
        "number not found",
        "Redraft this section",
        "Process notes",
        "accurately reflects the session",
        "better off dead",
    ] {
        assert!(html.contains(needle), "review page lacks {needle}");
    }
    assert!(!html.contains("<script>"), "no inline scripts (CSP)");
    let (s, _, chart) = env
        .call_text(Method::GET, &format!("/clients/{cid}"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{chart}");
    assert!(
        chart.contains(&format!("/drafts/{draft}")) && chart.contains("Review draft"),
        "chart lists the draft"
    );
    let (s, _, js) = env
        .call_text(Method::GET, "/static/review.js", &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(js.contains("X-CSRF-Token"));
    env.make_signable(&doc, draft).await;
    env.call_json(
        Method::POST,
        &format!("/api/v1/drafts/{draft}/sign"),
        &doc,
        Some(json!({"password": PW})),
    )
    .await;
    let (s, h, _) = env
        .call_text(Method::GET, &format!("/drafts/{draft}"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], format!("/notes/{note}").as_str());
    let (s, _, html) = env
        .call_text(Method::GET, &format!("/notes/{note}"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("hash verified")
            && html.contains("export?format=fhir")
            && html.contains("New addendum")
    );
    let (_, _, chart) = env
        .call_text(Method::GET, &format!("/clients/{cid}"), &doc, None)
        .await;
    assert!(
        chart.contains(&format!("/notes/{note}")) && chart.contains(">signed<"),
        "chart shows the signed note"
    );
}

/// The drafting job with the real test-tier model: a typed summary becomes a stored draft.
#[tokio::test]
async fn draft_job_stores_a_cited_draft_with_the_test_model() {
    on_each_db!(draft_job_stores_a_cited_draft_with_the_test_model_on);
}

async fn draft_job_stores_a_cited_draft_with_the_test_model_on(db: &TestDb) {
    use noted::models::registry::{self, Role as ModelRole};
    let models = std::env::var("NOTED_TEST_MODELS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/noted/models")
        });
    if let Err(e) = registry::active(&models, ModelRole::Llm) {
        let msg = format!(
            "no test-tier language model in {} ({e}): run `noted models install --tier test`",
            models.display()
        );
        if std::env::var("NOTED_REQUIRE_MODELS").as_deref() == Ok("1") {
            panic!("{msg}");
        }
        eprintln!("skipped: {msg}");
        return;
    }
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let engines = std::sync::Arc::new(noted::pipeline::engines::Engines::new(models, Some(2)));
    let state = env.state.clone().with_engines(engines.clone());
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, _, _) = env.client_with_plan(&doc).await;
    let note_text = "Client reports sleeping five hours a night. Client feels exhausted at work. We practiced a breathing exercise. Client will keep a sleep diary.";
    let env2 = TestApp::from_state(tempfile::tempdir().unwrap(), state.clone());
    let (s, v) = env2
        .call_json(
            Method::POST,
            &format!("/api/v1/clients/{cid}/drafts"),
            &doc,
            Some(json!({"text": note_text, "format": "dap"})),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let job_id = v["job_id"].as_i64().unwrap();
    let mut registry = noted::jobs::HandlerRegistry::new();
    noted::pipeline::drafting::register(
        &mut registry,
        state.store.clone(),
        state.jobs.clone(),
        engines,
        state.data_dir.clone(),
    );
    let pool = noted::jobs::WorkerPool::start(state.jobs.clone(), registry, 1)
        .await
        .unwrap();
    let wait = |id: i64| {
        let jobs = state.jobs.clone();
        async move {
            loop {
                let j = jobs.get(id).await.unwrap();
                if j.state.is_terminal() {
                    break j;
                }
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
        }
    };
    let job = wait(job_id).await;
    assert_eq!(job.state, noted::jobs::JobState::Done, "{:?}", job.error);
    let draft_id = job.result.as_ref().unwrap()["draft_id"].as_i64().unwrap();
    let (s, v) = env2
        .call_json(
            Method::GET,
            &format!("/api/v1/drafts/{draft_id}"),
            &doc,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["format"], "dap");
    assert_eq!(v["state"], "ready");
    assert_eq!(v["note_state"], "draft");
    let n_segments = v["summary_segments"]
        .as_array()
        .map(|a| a.len())
        .unwrap_or(0);
    assert!(
        v["sections"]["data"]["text"]
            .as_str()
            .unwrap()
            .contains("five hours"),
        "{v}"
    );
    assert!(n_segments >= 4, "{v}");
    for (_, sec) in v["sections"].as_object().unwrap() {
        for st in sec["statements"].as_array().unwrap() {
            for c in st["citations"].as_array().unwrap() {
                assert!(
                    (c.as_u64().unwrap() as usize) < n_segments,
                    "citation {c} does not resolve"
                );
            }
        }
    }
    assert_eq!(v["provenance"]["format"], "dap");
    assert!(!v["provenance"]["prompt_version"]
        .as_str()
        .unwrap()
        .is_empty());
    assert_eq!(
        env2.audit_count("draft.create", &draft_id.to_string())
            .await,
        1
    );

    // Redraft one section with an instruction: it replaces that section of the review copy.
    let (s, v) = env2
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft_id}/redraft"),
            &doc,
            Some(json!({"section": "data", "instruction": "shorter"})),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let job = wait(v["job_id"].as_i64().unwrap()).await;
    pool.shutdown(std::time::Duration::from_secs(5)).await;
    assert_eq!(job.state, noted::jobs::JobState::Done, "{:?}", job.error);
    let (_, v) = env2
        .call_json(
            Method::GET,
            &format!("/api/v1/drafts/{draft_id}"),
            &doc,
            None,
        )
        .await;
    assert_eq!(v["state"], "in_review");
    assert_eq!(v["redrafts"][0]["section"], "data");
    assert_eq!(v["redrafts"][0]["instruction"], "shorter");
    assert_eq!(
        env2.audit_count("draft.redraft", &draft_id.to_string())
            .await,
        1
    );
    let (s, _) = env2
        .call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft_id}/redraft"),
            &doc,
            Some(json!({"section": "nope"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn transcript_drafts_use_corrected_segments_and_show_them_for_review() {
    on_each_db!(transcript_drafts_use_corrected_segments_and_show_them_for_review_on);
}

async fn transcript_drafts_use_corrected_segments_and_show_them_for_review_on(db: &TestDb) {
    use noted::transcribe::{Segment, Speaker, Transcript};
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let other = env
        .api_user("other@example.org", Role::Clinician, None)
        .await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let seg = |id: u32, start: f64, speaker: Speaker, text: &str| Segment {
        id,
        start,
        end: start + 4.0,
        speaker,
        text: text.into(),
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
    };
    let t = Transcript {
        model: "tiny.en".into(),
        audio_seconds: 20.0,
        elapsed_seconds: 2.0,
        segments: vec![
            seg(0, 0.0, Speaker::Therapist, "How have you been sleeping?"),
            seg(1, 5.0, Speaker::Client, "About five hours a nite."),
            seg(2, 65.0, Speaker::Client, "Work has been very stressful."),
        ],
        text: String::new(),
        speakers: None,
    };
    let mut tx = env.store().begin_write().await.unwrap();
    let tid = noted::store::transcripts::insert_transcript_in(
        &mut tx,
        &Actor::cli(),
        cid,
        None,
        "en",
        &t,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let row: i64 = on_pool!(env.store(), |p| sqlx::query_scalar(
        "SELECT id FROM transcript_segments WHERE transcript_id = $1 AND seg_index = 1",
    )
    .bind(tid)
    .fetch_one(p)
    .await)
    .unwrap();
    on_pool!(env.store(), |p| sqlx::query("INSERT INTO transcript_segment_edits (segment_id, text, speaker, edited_by, edited_at) VALUES ($1, 'About five hours a night.', 'client', $2, '2026-01-01T00:00:00Z')")
        .bind(row)
        .bind(doc.user.id)
        .execute(p)
        .await
        .map(|_| ()))
    .unwrap();

    // The model reads the corrected text and the chart context.
    let (client_id, input) = noted::pipeline::drafting::build_input(
        env.store(),
        &noted::pipeline::drafting::Source::Transcript(tid),
    )
    .await
    .unwrap();
    assert_eq!(client_id, cid);
    assert_eq!(input.segments[1].text, "About five hours a night.");
    assert_eq!(input.client.goals.len(), 3);

    // The draft job is queued for the transcript's client; others get 404; a bad format 422.
    let url = format!("/api/v1/transcripts/{tid}/drafts");
    let (s, v) = env
        .call_json(Method::POST, &url, &doc, Some(json!({"format": "birp"})))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let job = env
        .state
        .jobs
        .get(v["job_id"].as_i64().unwrap())
        .await
        .unwrap();
    assert_eq!(job.kind, "draft");
    assert_eq!(job.payload, json!({"transcript_id": tid, "format": "birp"}));
    assert_eq!(job.client_id, Some(cid));
    assert_eq!(
        env.call_json(Method::POST, &url, &other, Some(json!({"format": "soap"})))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (s, v) = env
        .call_json(Method::POST, &url, &doc, Some(json!({"format": "nope"})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        env.call_json(
            Method::POST,
            "/api/v1/transcripts/999/drafts",
            &doc,
            Some(json!({}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (s, v) = env
        .call_json(
            Method::POST,
            &format!("/api/v1/clients/{cid}/drafts"),
            &doc,
            Some(json!({"text": "  ", "format": "soap"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // A draft of this transcript shows its segments with times and speakers beside the note.
    let (draft, _) = env
        .draft(DraftRow {
            transcript: Some(tid),
            ..DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2))
        })
        .await;
    let (s, _, html) = env
        .call_text(Method::GET, &format!("/drafts/{draft}"), &doc, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("About five hours a night.")
            && html.contains("1:05")
            && html.contains("Client"),
        "{html}"
    );
}

async fn post_form(
    env: &TestApp,
    cookie: &str,
    path: &str,
    body: &str,
) -> (StatusCode, String, String) {
    let req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = env.router().oneshot(req).await.unwrap();
    let status = resp.status();
    let loc = resp
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, loc, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn the_review_page_forms_edit_decide_sign_and_amend() {
    on_each_db!(the_review_page_forms_edit_decide_sign_and_amend_on);
}

async fn the_review_page_forms_edit_decide_sign_and_amend_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;
    let (cookie, csrf) = env.session_cookie(doc.user.id).await;
    let enc = |s: &str| serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string();

    // Without the CSRF token a form is refused.
    let (s, _, _) = post_form(
        &env,
        &cookie,
        &format!("/drafts/{draft}/risk"),
        "suicidal_ideation=denied",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let steps = [
        (format!("/drafts/{draft}/sections/plan"), format!("text={}", enc("Practice the wind-down routine nightly."))),
        (format!("/drafts/{draft}/statements"), "section=subjective&index=2&action=keep&text=".to_string()),
        (format!("/drafts/{draft}/statements"), format!("section=subjective&index=0&action=fix&text={}", enc("Client reports sleeping about five hours."))),
        (format!("/drafts/{draft}/risk"), "suicidal_ideation=denied&plan=not_assessed&intent=not_assessed&homicidal_ideation=denied".to_string()),
        (format!("/drafts/{draft}/flags/0/acknowledge"), String::new()),
        (format!("/drafts/{draft}/plan-updates/0/accept"), format!("status=progressing&evidence={}", enc("Sleeping five hours."))),
        (format!("/drafts/{draft}/proposals/1/reject"), String::new()),
        (format!("/drafts/{draft}/process-notes"), format!("process_notes={}", enc(SECRET))),
    ];
    for (path, body) in &steps {
        let body = if body.is_empty() {
            format!("csrf_token={csrf}")
        } else {
            format!("{body}&csrf_token={csrf}")
        };
        let (s, loc, html) = post_form(&env, &cookie, path, &body).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{path}: {html}");
        assert!(
            loc.starts_with(&format!("/drafts/{draft}#")),
            "{path} → {loc}"
        );
    }
    let (_, v) = env
        .call_json(Method::GET, &format!("/api/v1/drafts/{draft}"), &doc, None)
        .await;
    assert_eq!(
        v["sections"]["plan"]["text"],
        "Practice the wind-down routine nightly."
    );
    assert!(v["sections"]["subjective"]["text"]
        .as_str()
        .unwrap()
        .contains("Client sleeps 9 hours."));
    assert!(v["sections"]["subjective"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Client reports sleeping about five hours."));
    assert_eq!(v["risk"]["homicidal_ideation"]["status"], "denied");
    assert_eq!(v["plan_updates"][0]["plan_version"], 2);
    assert_eq!(v["proposals"][1]["decision"], "rejected");
    assert_eq!(v["process_notes"], SECRET);
    assert_eq!(v["sign_blockers"], json!([]));

    // Signing needs the attestation box and the right password.
    let (s, _, _) = post_form(
        &env,
        &cookie,
        &format!("/drafts/{draft}/sign"),
        &format!("password={}&csrf_token={csrf}", enc(PW)),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _, html) = post_form(
        &env,
        &cookie,
        &format!("/drafts/{draft}/sign"),
        &format!("attest=yes&password=wrong-password-1&csrf_token={csrf}"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(html.contains("password is incorrect"));
    let (s, loc, _) = post_form(
        &env,
        &cookie,
        &format!("/drafts/{draft}/sign"),
        &format!("attest=yes&password={}&csrf_token={csrf}", enc(PW)),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(loc, format!("/notes/{note}"));
    // Editing is refused once signed; an addendum is appended.
    let (s, _, html) = post_form(
        &env,
        &cookie,
        &format!("/drafts/{draft}/sections/plan"),
        &format!("text=x&csrf_token={csrf}"),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("addendum"));
    let (s, loc, _) = post_form(
        &env,
        &cookie,
        &format!("/notes/{note}/addenda"),
        &format!(
            "text={}&password={}&csrf_token={csrf}",
            enc("Phoned the client."),
            enc(PW)
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(loc, format!("/notes/{note}#addenda"));
    let (_, v) = env
        .call_json(Method::GET, &format!("/api/v1/notes/{note}"), &doc, None)
        .await;
    assert_eq!(v["state"], "amended");
    assert_eq!(v["hash_verified"], true);
    assert!(!v["content"].to_string().contains(SECRET));
}

#[tokio::test]
async fn signature_password_checks_are_rate_limited_like_sign_in() {
    on_each_db!(signature_password_checks_are_rate_limited_like_sign_in_on);
}

async fn signature_password_checks_are_rate_limited_like_sign_in_on(db: &TestDb) {
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let doc = env.api_user("doc@example.org", Role::Clinician, None).await;
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let (draft, note) = env
        .draft(DraftRow::soap(cid, doc.user.id, draft_json(&g1, &g2)))
        .await;
    env.make_signable(&doc, draft).await;
    let path = format!("/api/v1/drafts/{draft}/sign");
    let sign = |password: &'static str| {
        env.call_json(
            Method::POST,
            &path,
            &doc,
            Some(json!({ "password": password })),
        )
    };
    let limit = env.state.config.auth.max_failures;
    for i in 0..limit {
        let (s, v) = sign("wrong-password-123").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "attempt {i}: {v}");
    }
    // Past the limit even the right password is refused, before it is checked.
    let (s, v) = sign(PW).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(v["code"], "too_many_requests");
    let (state,): (String,) = on_pool!(env.store(), |p| sqlx::query_as(
        "SELECT state FROM notes WHERE id = $1"
    )
    .bind(note)
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(
        !["signed", "awaiting_cosign"].contains(&state.as_str()),
        "{state}"
    );
    // The JSON operators differ: SQLite's json_extract, PostgreSQL's ->> on jsonb.
    let sql = if is_sqlite(env.store()) {
        "SELECT COUNT(*) FROM audit_log WHERE action = 'note.sign_refused'
           AND json_extract(detail, '$.reason') = 'rate_limited'"
    } else {
        "SELECT COUNT(*) FROM audit_log WHERE action = 'note.sign_refused'
           AND detail::jsonb ->> 'reason' = 'rate_limited'"
    };
    let limited: i64 =
        on_pool!(env.store(), |p| sqlx::query_scalar(sql).fetch_one(p).await).unwrap();
    assert_eq!(limited, 1);
    // The same account's sign-in is limited too (one count for both).
    let (s, _) = env
        .call_json(
            Method::POST,
            "/api/v1/auth/login",
            &doc,
            Some(json!({"email": "doc@example.org", "password": PW})),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

// ----- Backups (issue 14) -----------------------------------------------------------------------

/// Runs the noted binary on the data directory `data`.
fn noted_bin(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    // An empty config file of its own, so that no operator's config applies.
    let config = data.with_extension("toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    std::process::Command::new(env!("CARGO_BIN_EXE_noted"))
        .args(args)
        .env("NOTED_DATA", data)
        .env("NOTED_CONFIG", data.with_extension("toml"))
        .env_remove("NOTED_KEY_FILE")
        .env_remove("NOTED_DATA_KEY")
        .env_remove("CREDENTIALS_DIRECTORY")
        .output()
        .expect("run the noted binary")
}

/// `noted` with `stdin` on its standard input, on the chart database at `database_url`.
fn noted_bin_stdin(
    data: &std::path::Path,
    database_url: &str,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    let config = data.with_extension("toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_noted"));
    cmd.args(args)
        .env("NOTED_DATA", data)
        .env("NOTED_CONFIG", &config)
        .env("NOTED_DATABASE_URL", database_url)
        .env_remove("NOTED_KEY_FILE")
        .env_remove("NOTED_DATA_KEY")
        .env_remove("CREDENTIALS_DIRECTORY");
    common::output_with_stdin(&mut cmd, stdin)
}

#[tokio::test]
async fn the_password_command_sets_a_new_password_that_meets_the_policy() {
    on_each_db!(the_password_command_sets_a_new_password_that_meets_the_policy_on);
}

async fn the_password_command_sets_a_new_password_that_meets_the_policy_on(db: &TestDb) {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let email = "pw@example.org";
    let url = db.url();
    let out = noted_bin_stdin(
        &data,
        &url,
        &["user", "add", "--email", email, "--password-stdin"],
        "the first long passphrase\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let change = |pw: &str| {
        noted_bin_stdin(
            &data,
            &url,
            &["user", "password", "--email", email, "--password-stdin"],
            &format!("{pw}\n"),
        )
    };
    let out = change("short");
    assert!(
        !out.status.success(),
        "a password under the policy is refused"
    );
    let out = change("the second long passphrase");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("password of pw@example.org set"));
    let out = noted_bin_stdin(
        &data,
        &url,
        &[
            "user",
            "password",
            "--email",
            "nobody@example.org",
            "--password-stdin",
        ],
        "the third long passphrase\n",
    );
    assert!(!out.status.success(), "no such user");
    let store = Store::open_at(&db.location, &data, None).await.unwrap();
    let user = store.user_by_email(email).await.unwrap().unwrap();
    let hash = store.password_hash(user.id).await.unwrap().unwrap();
    assert!(password::verify_blocking(
        &hash,
        "the second long passphrase"
    ));
    assert!(!password::verify_blocking(
        &hash,
        "the first long passphrase"
    ));
    store.close().await;
}

/// Drafts, readies and signs one note for `who`; returns the note id.
async fn sign_one(env: &TestApp, who: &Who, cid: i64, g1: &str, g2: &str) -> i64 {
    let draft = DraftRow::soap(cid, who.user.id, draft_json(g1, g2));
    env.signed_note(who, draft).await.1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_every_signed_note_and_the_audit_chain() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    // SQLite only: the backup is of the SQLCipher file `noted.db` (the test checks the file
    // and its encryption), which a PostgreSQL store does not have.
    let env = Arc::new(TestApp::with_config(&Location::Sqlite(None), |_| {}).await);
    let data = env.state.data_dir.clone();
    let doc = Arc::new(env.api_user("doc@example.org", Role::Clinician, None).await);
    let (cid, g1, g2) = env.client_with_plan(&doc).await;
    let mut before = Vec::new();
    for _ in 0..3 {
        before.push(sign_one(&env, &doc, cid, &g1, &g2).await);
    }
    // Kept audio, sealed as an upload is.
    let audio: Vec<u8> = (0..300_000u32).map(|i| (i % 241) as u8).collect();
    let plain_audio = data.join("plain.tmp");
    std::fs::write(&plain_audio, &audio).unwrap();
    std::fs::create_dir_all(data.join("audio")).unwrap();
    noted::crypto::sealed::seal_file(
        &plain_audio,
        &data.join("audio/rec-kept.wav"),
        &env.store().data_key().audio_key(),
        noted::crypto::sealed::AUDIO_MAGIC,
    )
    .unwrap();
    std::fs::remove_file(&plain_audio).unwrap();
    // A clinician keeps signing notes while the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (env, doc, stop) = (env.clone(), doc.clone(), stop.clone());
        let (g1, g2) = (g1.clone(), g2.clone());
        tokio::spawn(async move {
            let mut signed = Vec::new();
            while !stop.load(Ordering::SeqCst) || signed.len() < 2 {
                let note = sign_one(&env, &doc, cid, &g1, &g2).await;
                signed.push((note, std::time::Instant::now()));
            }
            signed
        })
    };
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("practice.noted-backup");
    let out = {
        let (data, file) = (data.clone(), file.clone());
        tokio::task::spawn_blocking(move || {
            // Start once the writer is under way.
            std::thread::sleep(std::time::Duration::from_millis(300));
            let start = std::time::Instant::now();
            let out = noted_bin(&data, &["backup", file.to_str().unwrap()]);
            (out, start, std::time::Instant::now())
        })
        .await
        .unwrap()
    };
    let (out, started, ended) = out;
    stop.store(true, Ordering::SeqCst);
    let during = writer.await.unwrap();
    let in_window = during
        .iter()
        .filter(|(_, at)| *at > started && *at < ended)
        .count();
    eprintln!(
        "backup took {:?}; {} notes signed meanwhile, {} in all by the writer",
        ended - started,
        in_window,
        during.len()
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!during.is_empty());
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"NOTED-BACKUP 1 key "));
    assert!(!bytes.windows(15).any(|w| w == b"SQLite format 3"));

    // Without the key: refused, naming what to do, and nothing is made.
    let keyless = work.path().join("keyless");
    let out = noted_bin(&keyless, &["restore", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data key"));
    assert!(!keyless.exists());

    // Restore into an empty directory, with the key file named.
    let key = data.join("data.key");
    let key_arg = key.to_str().unwrap();
    let target = work.path().join("restored");
    let out = noted_bin(
        &target,
        &["--key-file", key_arg, "restore", file.to_str().unwrap()],
    );
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("audit log intact"), "{said}");
    assert!(said.contains("1 audio files open"), "{said}");
    let view = noted::crypto::plain::PlainView::open(
        &target.join("audio/rec-kept.wav"),
        env.store().data_key(),
    )
    .unwrap();
    assert_eq!(std::fs::read(view.path()).unwrap(), audio);
    let restored_db = std::fs::read(target.join("noted.db")).unwrap();
    assert_ne!(
        &restored_db[..16],
        noted::store::SQLITE_HEADER,
        "the snapshot is encrypted"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".backup-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let out = noted_bin(&target, &["--key-file", key_arg, "audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every note signed before the backup began is there, its content hashing to its hash.
    let restored = Store::open_in_dir_with_key_file(&target, Some(&key))
        .await
        .unwrap();
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT n.id, v.content, v.content_sha256 FROM notes n
         JOIN signed_versions v ON v.note_id = n.id AND v.content_sha256 = n.content_sha256
         WHERE n.state = 'signed'",
    )
    .fetch_all(restored.sqlite_pool())
    .await
    .unwrap();
    for id in &before {
        assert!(rows.iter().any(|(n, _, _)| n == id), "note {id} missing");
    }
    for (id, content, sha) in &rows {
        assert!(canonical::verify(content, sha), "note {id}");
    }
    let signed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes WHERE state = 'signed'")
        .fetch_one(restored.sqlite_pool())
        .await
        .unwrap();
    assert_eq!(
        signed as usize,
        rows.len(),
        "a signed note lost its signed version"
    );
    restored.close().await;

    // A restore only goes into an empty directory.
    let out = noted_bin(
        &target,
        &["--key-file", key_arg, "restore", file.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));

    // --verify passes on the backup, and catches one flipped byte or a cut file.
    let out = noted_bin(&data, &["backup", "--verify", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("verified"));
    let mut bad = bytes.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x01;
    let bad_file = work.path().join("bad.noted-backup");
    std::fs::write(&bad_file, &bad).unwrap();
    let out = noted_bin(&data, &["backup", "--verify", bad_file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not open"), "{err}");
    std::fs::write(&bad_file, &bytes[..bytes.len() - 1000]).unwrap();
    let out = noted_bin(&data, &["backup", "--verify", bad_file.to_str().unwrap()]);
    assert!(!out.status.success());
    // Another data directory's key: named as such, not as corruption.
    let other = work.path().join("other");
    let out = noted_bin(&other, &["init"]);
    assert!(out.status.success());
    let out = noted_bin(&other, &["backup", "--verify", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("another data key"));
}

/// Whether the database lets a row of `table`, put straight into state `from` by `insert`
/// (binds: client, user, state; inserts are not state changes), move to state `to`.
async fn database_allows(
    store: &Store,
    insert: &'static str,
    table: &str,
    (client, user): (i64, i64),
    from: &str,
    to: &str,
) -> bool {
    let id: i64 = on_pool!(store, |p| sqlx::query_scalar(insert)
        .bind(client)
        .bind(user)
        .bind(from)
        .fetch_one(p)
        .await)
    .unwrap();
    on_pool!(store, |p| sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {table} SET state = $1 WHERE id = $2"
    )))
    .bind(to)
    .bind(id)
    .execute(p)
    .await
    .is_ok())
}

#[tokio::test]
async fn the_database_allows_exactly_the_note_state_changes_the_rule_allows() {
    on_each_db!(the_database_allows_exactly_the_note_state_changes_the_rule_allows_on);
}

async fn the_database_allows_exactly_the_note_state_changes_the_rule_allows_on(db: &TestDb) {
    use noted::store::notes::NoteState;
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let who = env
        .api_user("states@example.org", Role::Clinician, None)
        .await;
    let (client, _, _) = env.client_with_plan(&who).await;
    let mut checked = 0;
    for from in NoteState::ALL {
        for to in NoteState::ALL {
            if from == to {
                continue;
            }
            let allowed = database_allows(
                env.store(),
                "INSERT INTO notes (client_id, author_id, format, state, created_at, updated_at)
                 VALUES ($1, $2, 'soap', $3, '2026-12-04', '2026-12-04') RETURNING id",
                "notes",
                (client, who.user.id),
                from.as_str(),
                to.as_str(),
            )
            .await;
            assert_eq!(
                allowed,
                from.may_become(to),
                "{from:?} -> {to:?}: the database {} it",
                if allowed { "allowed" } else { "refused" }
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 20);
    // the moves the workflow makes are among them
    assert!(NoteState::Draft.may_become(NoteState::InReview));
    assert!(NoteState::AwaitingCosign.may_become(NoteState::InReview));
    assert!(!NoteState::Amended.may_become(NoteState::Signed));
    assert!(!NoteState::InReview.may_become(NoteState::Draft));
}

#[tokio::test]
async fn the_database_allows_exactly_the_draft_state_changes_the_rule_allows() {
    on_each_db!(the_database_allows_exactly_the_draft_state_changes_the_rule_allows_on);
}

async fn the_database_allows_exactly_the_draft_state_changes_the_rule_allows_on(db: &TestDb) {
    use noted::store::drafts::DraftState;
    let env = TestApp::with_config(&db.location, |_| {}).await;
    let who = env
        .api_user("dstates@example.org", Role::Clinician, None)
        .await;
    let (client, _, _) = env.client_with_plan(&who).await;
    let mut allowed_changes = 0;
    for from in DraftState::ALL {
        for to in DraftState::ALL {
            if from == to {
                continue;
            }
            let allowed = database_allows(
                env.store(),
                "INSERT INTO drafts (client_id, created_by, state, format, content, created_at, updated_at)
                 VALUES ($1, $2, $3, 'soap', '{}', '2026-12-04', '2026-12-04') RETURNING id",
                "drafts",
                (client, who.user.id),
                from.as_str(),
                to.as_str(),
            )
            .await;
            assert_eq!(
                allowed,
                from.may_become(to),
                "{from:?} -> {to:?}: the database {} it",
                if allowed { "allowed" } else { "refused" }
            );
            allowed_changes += allowed as usize;
        }
    }
    assert_eq!(
        allowed_changes, 12,
        "the rule's changes between distinct states"
    );
}
