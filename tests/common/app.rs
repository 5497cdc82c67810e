//! A router over a fresh database for `oneshot` tests, its users (API token and cookie session),
//! and [`OwnedChart`]: one clinician's chart with a row of every client-owned kind (client, plan
//! goal, session, transcript, draft, signed note, uploaded recording and its job, streamed
//! recording, measure, safety flag), built through the API wherever the API can build it.
#![allow(dead_code)] // each test crate uses its own subset

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use noted::audit::Actor;
use noted::auth::{self, password, PasswordParams};
use noted::chart::sample;
use noted::http::{app, AppState, HttpConfig};
use noted::store::users::NewUser;
use noted::store::{Location, Role, Store, User};

/// Every test user's password.
pub const PW: &str = "correct horse battery staple";

/// Text only the owner's chart holds: no response to anyone else may contain it.
pub const MARKER: &str = "Zephyrine-Quillfeather";

/// The app over a fresh database in a temporary data directory.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    /// Built once: building the router costs more than answering most requests.
    router: Router,
}

/// A signed-in user: an API token and a cookie session with its CSRF token.
pub struct Who {
    pub user: User,
    pub token: String,
    pub cookie: String,
    pub csrf: String,
}

impl Who {
    /// The user's id and API token.
    pub fn id_token(self) -> (i64, String) {
        (self.user.id, self.token)
    }

    /// The user and API token.
    pub fn user_token(self) -> (User, String) {
        (self.user, self.token)
    }
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON (Null when empty, a string when not JSON).
    pub fn json(&self) -> Value {
        if self.body.is_empty() {
            return Value::Null;
        }
        serde_json::from_str(&self.body).unwrap_or_else(|_| Value::String(self.body.clone()))
    }
}

/// What a request's bearer token comes from: a [`Who`], a token itself, or (`None`) nothing:
/// the request is sent without one.
pub trait Bearer {
    fn bearer(&self) -> Option<&str>;
}

impl Bearer for Who {
    fn bearer(&self) -> Option<&str> {
        Some(&self.token)
    }
}

impl Bearer for str {
    fn bearer(&self) -> Option<&str> {
        Some(self)
    }
}

impl Bearer for String {
    fn bearer(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: Bearer + ?Sized> Bearer for &T {
    fn bearer(&self) -> Option<&str> {
        (**self).bearer()
    }
}

impl<T: Bearer + ?Sized> Bearer for std::sync::Arc<T> {
    fn bearer(&self) -> Option<&str> {
        (**self).bearer()
    }
}

impl<T: Bearer> Bearer for Option<T> {
    fn bearer(&self) -> Option<&str> {
        self.as_ref().and_then(|t| t.bearer())
    }
}

/// A model draft row for [`TestApp::draft`]: as the drafting job stores it (test model
/// `smollm2-135m-test`, prompt `p-test-1`), `author` its creator and author.
pub struct DraftRow {
    pub client: i64,
    pub author: i64,
    pub session: Option<i64>,
    pub transcript: Option<i64>,
    pub format: String,
    /// The draft document (`noted draft --json`).
    pub content: Value,
}

impl DraftRow {
    /// A SOAP draft of `content` for `client` by `author`, of no session or transcript.
    pub fn soap(client: i64, author: i64, content: Value) -> DraftRow {
        DraftRow {
            client,
            author,
            session: None,
            transcript: None,
            format: "soap".into(),
            content,
        }
    }

    pub fn session(self, session: Option<i64>) -> DraftRow {
        DraftRow { session, ..self }
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::on(&Location::Sqlite(None)).await
    }

    /// The app over the database at `location`, with a fresh data directory.
    pub async fn on(location: &Location) -> TestApp {
        TestApp::with_config(location, |config| {
            // Tests must not depend on the free space of the machine running them.
            config.min_free_disk_bytes = 0;
            config.max_body_bytes = 1024 * 1024;
        })
        .await
    }

    /// The app over the database at `location`, with a fresh data directory, configured by
    /// `adjust` from `HttpConfig::default()` with fast password hashing.
    pub async fn with_config(location: &Location, adjust: impl FnOnce(&mut HttpConfig)) -> TestApp {
        TestApp::build(location, adjust, |state, _| state).await
    }

    /// [`TestApp::with_config`], its state then changed by `finish` (given the data
    /// directory), e.g. to give it model engines.
    pub async fn build(
        location: &Location,
        adjust: impl FnOnce(&mut HttpConfig),
        finish: impl FnOnce(AppState, &std::path::Path) -> AppState,
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open_at(location, dir.path(), None)
            .await
            .unwrap_or_else(|e| panic!("open store on {location}: {e}"));
        let mut config = HttpConfig::default();
        config.auth.password = PasswordParams::insecure_fast();
        adjust(&mut config);
        let state = AppState::new(store, config, dir.path().to_path_buf());
        let state = finish(state, dir.path());
        TestApp::from_state(dir, state)
    }

    /// The app over `state` (whose data directory `dir` is kept as long as the app).
    pub fn from_state(dir: tempfile::TempDir, state: AppState) -> TestApp {
        let router = app(state.clone());
        TestApp { dir, state, router }
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Sends one request through a fresh router.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.router().oneshot(req).await.expect("router answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let streaming = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        if streaming {
            // An event stream never ends: its status and headers are the answer.
            return Reply {
                status,
                headers,
                body: String::new(),
            };
        }
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("response body")
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A JSON call with `who`'s API token.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        who: impl Bearer,
        body: Option<Value>,
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(token) = who.bearer() {
            b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(req.expect("request")).await
    }

    /// [`TestApp::call`]'s status and JSON body (Null when empty, a string when not JSON).
    pub async fn call_json(
        &self,
        method: Method,
        path: &str,
        who: impl Bearer,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let r = self.call(method, path, who, body).await;
        (r.status, r.json())
    }

    /// [`TestApp::call`]'s status, headers and body bytes, read whole whatever the content
    /// type (an event stream included: its body must end).
    pub async fn call_bytes(
        &self,
        method: Method,
        path: &str,
        who: impl Bearer,
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(token) = who.bearer() {
            b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send_bytes(req.expect("request")).await
    }

    /// [`TestApp::call_bytes`] with the body as text (lossy UTF-8).
    pub async fn call_text(
        &self,
        method: Method,
        path: &str,
        who: impl Bearer,
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, String) {
        let (status, headers, bytes) = self.call_bytes(method, path, who, body).await;
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// Sends one request; its status, headers and body text (lossy UTF-8), read whole
    /// whatever the content type.
    pub async fn send_text(&self, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let (status, headers, bytes) = self.send_bytes(req).await;
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// Sends one request; its status, headers and body bytes, read whole.
    pub async fn send_bytes(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let resp = self.router().oneshot(req).await.expect("router answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("response body")
            .to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// Creates a user with an API token only: no cookie session (`cookie` and `csrf` are
    /// empty), nothing signed in.
    pub async fn api_user(&self, email: &str, role: Role, supervisor: Option<i64>) -> Who {
        store_user(self.store(), email, role, supervisor).await
    }

    /// Creates a user with an API token and a cookie session (signed in through the API).
    pub async fn user(&self, email: &str, role: Role, supervisor: Option<i64>) -> Who {
        let who = self.api_user(email, role, supervisor).await;
        let req = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"email": email, "password": PW}).to_string(),
            ))
            .expect("request");
        let r = self.send(req).await;
        assert_eq!(r.status, StatusCode::OK, "sign in: {}", r.body);
        let cookie = r
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("noted_session="))
            .and_then(|v| v.split(';').next())
            .map(|v| format!("noted_session={v}"))
            .expect("session cookie");
        let csrf = r.json()["csrf_token"]
            .as_str()
            .expect("csrf token")
            .to_string();
        Who {
            cookie,
            csrf,
            ..who
        }
    }

    /// A cookie session for `user_id` stored directly (no sign-in request): (cookie, CSRF token).
    pub async fn session_cookie(&self, user_id: i64) -> (String, String) {
        let token = auth::token::random_token();
        let csrf = auth::token::random_token();
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        self.store()
            .create_auth_session(
                &auth::token::hash_token(&token),
                user_id,
                &csrf,
                now,
                "test",
            )
            .await
            .expect("auth session");
        (format!("noted_session={token}"), csrf)
    }

    /// A client of `who` (the sample client): its id.
    pub async fn client(&self, who: impl Bearer) -> i64 {
        self.client_from(
            who,
            serde_json::to_value(sample::sample_client()).expect("client json"),
        )
        .await
    }

    /// A client of `who` from `client` (the JSON of a new client): its id.
    pub async fn client_from(&self, who: impl Bearer, client: Value) -> i64 {
        let (s, v) = self
            .call_json(Method::POST, "/api/v1/clients", who, Some(client))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        id_of(&v, "id")
    }

    /// A client of `who` with the sample plan: (client id, first goal id, second goal id).
    pub async fn client_with_plan(&self, who: impl Bearer) -> (i64, String, String) {
        let id = self.client(&who).await;
        let plan = serde_json::to_value(sample::burnout_plan()).expect("plan json");
        let (s, v) = self
            .call_json(
                Method::PUT,
                &format!("/api/v1/clients/{id}/plan"),
                &who,
                Some(json!({"plan": plan, "reason": "intake"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let goals = v["plan"]["goals"].as_array().expect("plan goals");
        (
            id,
            goals[0]["id"].as_str().expect("goal id").into(),
            goals[1]["id"].as_str().expect("goal id").into(),
        )
    }

    /// Stores a model draft and its note row (as the drafting job does): (draft id, note id).
    pub async fn draft(&self, draft: DraftRow) -> (i64, i64) {
        use noted::notes::insert_draft_in;
        use noted::store::drafts::NewDraft;
        let mut tx = self.store().begin_write().await.expect("tx");
        let ids = insert_draft_in(
            &mut tx,
            &Actor::cli(),
            &NewDraft {
                client_id: draft.client,
                therapy_session_id: draft.session,
                transcript_id: draft.transcript,
                format: draft.format,
                content: draft.content,
                model: "smollm2-135m-test".into(),
                model_sha256: "ab".repeat(32),
                prompt_version: "p-test-1".into(),
                provenance: json!({"model": "smollm2-135m-test", "prompt_version": "p-test-1"}),
                created_by: draft.author,
                author_id: draft.author,
            },
        )
        .await
        .expect("draft");
        tx.commit().await.expect("commit");
        ids
    }

    /// Acknowledges the draft's first flag and sets every risk field: what signing needs
    /// (asserts that nothing else blocks signing).
    pub async fn make_signable(&self, who: &Who, draft: i64) {
        let (s, v) = self
            .call_json(
                Method::PATCH,
                &format!("/api/v1/drafts/{draft}"),
                who,
                Some(json!({"risk": {"suicidal_ideation": "denied", "plan": "not_assessed", "intent": "not_assessed", "homicidal_ideation": "not_assessed"},
                            "acknowledge_flags": [0]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["sign_blockers"], json!([]), "{v}");
    }

    /// [`TestApp::make_signable`], then signs with the password: the answer to the sign call.
    pub async fn sign_draft(&self, who: &Who, draft: i64) -> (StatusCode, Value) {
        self.make_signable(who, draft).await;
        self.call_json(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            who,
            Some(json!({"password": PW})),
        )
        .await
    }

    /// Stores a draft of `draft` and signs it: (draft id, signed note id).
    pub async fn signed_note(&self, who: &Who, draft: DraftRow) -> (i64, i64) {
        let (draft, note) = self.draft(draft).await;
        let (s, v) = self.sign_draft(who, draft).await;
        assert!(s.is_success(), "{s} {v}");
        (draft, note)
    }

    /// The number of audit rows of `action` on `resource_id`.
    pub async fn audit_count(&self, action: &str, resource_id: &str) -> i64 {
        let pool = self.store().pool();
        let sql = "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND resource_id = $2";
        let n = match (pool.sqlite(), pool.postgres()) {
            (Some(p), _) => {
                sqlx::query_scalar(sql)
                    .bind(action)
                    .bind(resource_id)
                    .fetch_one(p)
                    .await
            }
            (None, Some(p)) => {
                sqlx::query_scalar(sql)
                    .bind(action)
                    .bind(resource_id)
                    .fetch_one(p)
                    .await
            }
            (None, None) => unreachable!("a pool is SQLite or PostgreSQL"),
        };
        n.expect("audit count")
    }

    /// The integer in the first row of `sql` (a `COUNT(*)`, an id), on either database.
    pub async fn count(&self, sql: &'static str) -> i64 {
        let pool = self.store().pool();
        let n = match (pool.sqlite(), pool.postgres()) {
            (Some(p), _) => sqlx::query_scalar(sql).fetch_one(p).await,
            (None, Some(p)) => sqlx::query_scalar(sql).fetch_one(p).await,
            (None, None) => unreachable!("a pool is SQLite or PostgreSQL"),
        };
        n.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// One integer from `sql` with integer arguments, on either database.
    pub async fn int(&self, sql: &'static str, args: &[i64]) -> i64 {
        let pool = self.store().pool();
        let n = match (pool.sqlite(), pool.postgres()) {
            (Some(p), _) => {
                let mut q = sqlx::query_scalar::<_, i64>(sql);
                for a in args {
                    q = q.bind(*a);
                }
                q.fetch_one(p).await
            }
            (None, Some(p)) => {
                let mut q = sqlx::query_scalar::<_, i64>(sql);
                for a in args {
                    q = q.bind(*a);
                }
                q.fetch_one(p).await
            }
            (None, None) => unreachable!("a pool is SQLite or PostgreSQL"),
        };
        n.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// One integer from `sql` with one text argument, on either database.
    pub async fn int_for(&self, sql: &'static str, arg: &str) -> i64 {
        let pool = self.store().pool();
        let n = match (pool.sqlite(), pool.postgres()) {
            (Some(p), _) => {
                sqlx::query_scalar::<_, i64>(sql)
                    .bind(arg)
                    .fetch_one(p)
                    .await
            }
            (None, Some(p)) => {
                sqlx::query_scalar::<_, i64>(sql)
                    .bind(arg)
                    .fetch_one(p)
                    .await
            }
            (None, None) => unreachable!("a pool is SQLite or PostgreSQL"),
        };
        n.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs a statement with `$1`, `$2` bound to `args`, on either database: the rows it
    /// changed.
    pub async fn exec(&self, sql: &'static str, args: &[i64]) -> Result<u64, sqlx::Error> {
        let pool = self.store().pool();
        match (pool.sqlite(), pool.postgres()) {
            (Some(p), _) => {
                let mut q = sqlx::query(sql);
                for a in args {
                    q = q.bind(*a);
                }
                q.execute(p).await.map(|r| r.rows_affected())
            }
            (None, Some(p)) => {
                let mut q = sqlx::query(sql);
                for a in args {
                    q = q.bind(*a);
                }
                q.execute(p).await.map(|r| r.rows_affected())
            }
            (None, None) => unreachable!("a pool is SQLite or PostgreSQL"),
        }
    }

    /// Row counts of every table, and a fingerprint of every row of the tables whose rows a
    /// request must not change (all but sign-in bookkeeping, whose `last_seen`/`last_used`
    /// columns every request moves). Audit rows of refused accesses are left out.
    pub async fn snapshot(&self) -> BTreeMap<String, String> {
        let mut out = match self.store().pool().postgres() {
            Some(pg) => postgres_rows(pg).await,
            None => self.sqlite_rows().await,
        };
        let files = walk_files(self.dir.path());
        out.insert("<files>".into(), files.join("\n"));
        out
    }

    async fn sqlite_rows(&self) -> BTreeMap<String, String> {
        let pool = self.store().sqlite_pool();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )
        .fetch_all(pool)
        .await
        .expect("tables");
        let mut out = BTreeMap::new();
        for t in tables {
            let value = match t.as_str() {
                "auth_sessions" | "api_tokens" => {
                    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                        "SELECT COUNT(*) FROM \"{t}\""
                    )))
                    .fetch_one(pool)
                    .await
                    .expect("count");
                    n.to_string()
                }
                _ => {
                    let cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                        "SELECT name FROM pragma_table_info('{t}')"
                    )))
                    .fetch_all(pool)
                    .await
                    .expect("columns");
                    let row = cols
                        .iter()
                        .map(|c| format!("quote(\"{c}\")"))
                        .collect::<Vec<_>>()
                        .join(" || ',' || ");
                    let filter = if t == "audit_log" {
                        "WHERE action <> 'access.refused'"
                    } else {
                        ""
                    };
                    let q = format!(
                        "SELECT COUNT(*) || ':' || COALESCE(group_concat({row}, '|'), '')
                         FROM (SELECT * FROM \"{t}\" {filter} ORDER BY rowid)"
                    );
                    sqlx::query_scalar(sqlx::AssertSqlSafe(q))
                        .fetch_one(pool)
                        .await
                        .expect("rows")
                }
            };
            out.insert(t, value);
        }
        out
    }
}

/// Creates a user of `store` (password [`PW`]) with an API token only: no cookie session
/// (`cookie` and `csrf` are empty).
pub async fn store_user(store: &Store, email: &str, role: Role, supervisor: Option<i64>) -> Who {
    let hash = password::hash_blocking(PasswordParams::insecure_fast(), PW).expect("hash");
    let user = store
        .create_user(
            &Actor::cli(),
            &NewUser {
                email: email.into(),
                display_name: String::new(),
                role,
                supervisor_id: supervisor,
                password_hash: hash,
            },
        )
        .await
        .expect("create user");
    let token = auth::create_api_token(store, &Actor::cli(), user.id, "test")
        .await
        .expect("api token");
    Who {
        user,
        token,
        cookie: String::new(),
        csrf: String::new(),
    }
}

/// [`TestApp::snapshot`]'s table fingerprints on PostgreSQL: the schema's tables, each row as
/// PostgreSQL writes a record as text, in text order.
async fn postgres_rows(pool: &sqlx::PgPool) -> BTreeMap<String, String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
           AND table_name <> '_sqlx_migrations'
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut out = BTreeMap::new();
    for t in tables {
        let q = match t.as_str() {
            "auth_sessions" | "api_tokens" => format!("SELECT COUNT(*)::text FROM \"{t}\""),
            _ => {
                let filter = if t == "audit_log" {
                    "WHERE action <> 'access.refused'"
                } else {
                    ""
                };
                format!(
                    "SELECT COUNT(*) || ':' || COALESCE(string_agg(r::text, '|' ORDER BY r::text), '')
                     FROM (SELECT * FROM \"{t}\" {filter}) r"
                )
            }
        };
        let value: String = sqlx::query_scalar(sqlx::AssertSqlSafe(q))
            .fetch_one(pool)
            .await
            .expect("rows");
        out.insert(t, value);
    }
    out
}

/// Every file under `dir` (name and size), sorted; the database and its journals excluded.
fn walk_files(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
                if name.starts_with("noted.db") || name.contains("audit") {
                    continue;
                }
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                out.push(format!("{name} {len}"));
            }
        }
    }
    out.sort();
    out
}

/// A response body as JSON: Null when empty, a string when not JSON.
pub fn parse(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into()))
    }
}

/// A 16 kHz mono 16-bit WAV of a quiet tone.
pub fn tone_wav(seconds: f64) -> Vec<u8> {
    let n = (seconds * 16_000.0) as usize;
    let mut pcm = Vec::with_capacity(n * 2);
    for i in 0..n {
        let x = (i as f64 * 440.0 * std::f64::consts::TAU / 16_000.0).sin() * 3000.0;
        pcm.extend_from_slice(&(x as i16).to_le_bytes());
    }
    wav_bytes(16_000, 1, &pcm)
}

/// A PCM WAV file around `pcm` (16-bit samples).
pub fn wav_bytes(rate: u32, channels: u16, pcm: &[u8]) -> Vec<u8> {
    let mut w = Vec::with_capacity(44 + pcm.len());
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + pcm.len() as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&channels.to_le_bytes());
    w.extend_from_slice(&rate.to_le_bytes());
    w.extend_from_slice(&(rate * 2 * channels as u32).to_le_bytes());
    w.extend_from_slice(&(2 * channels).to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(pcm.len() as u32).to_le_bytes());
    w.extend_from_slice(pcm);
    w
}

/// A multipart body: text fields, then one file field named `file`.
pub fn multipart(fields: &[(&str, &str)], filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "noted-test-boundary-7d2f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// One clinician's chart with a row of every client-owned kind.
#[derive(Debug, Clone)]
pub struct OwnedChart {
    pub owner_id: i64,
    pub owner_token_id: i64,
    pub client: i64,
    pub goal: String,
    pub session: i64,
    pub transcript: i64,
    /// A draft still under review.
    pub draft: i64,
    /// The signed note (of another draft).
    pub note: i64,
    pub recording: i64,
    pub job: i64,
    /// A streamed recording still receiving chunks.
    pub stream: i64,
    pub measure: i64,
    pub flag: i64,
}

impl OwnedChart {
    /// Builds the chart for `owner` through the API (drafts and the transcript are stored
    /// directly, as the model jobs store them).
    pub async fn build(t: &TestApp, owner: &Who) -> OwnedChart {
        let mut c = serde_json::to_value(sample::sample_client()).expect("client json");
        c["full_name"] = json!(format!("{MARKER} Client"));
        let r = t
            .call(Method::POST, "/api/v1/clients", owner, Some(c))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "client: {}", r.body);
        let client = id_of(&r.json(), "id");

        let plan = serde_json::to_value(sample::burnout_plan()).expect("plan json");
        let r = t
            .call(
                Method::PUT,
                &format!("/api/v1/clients/{client}/plan"),
                owner,
                Some(json!({"plan": plan, "reason": "intake"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "plan: {}", r.body);
        let goal = r.json()["plan"]["goals"][0]["id"]
            .as_str()
            .expect("goal id")
            .to_string();

        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/clients/{client}/sessions"),
                owner,
                Some(json!({"session_date": "2025-11-03", "start_time": "10:00", "duration_minutes": 50, "modality": "video"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "session: {}", r.body);
        let session = id_of(&r.json(), "id");

        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/clients/{client}/measures"),
                owner,
                Some(json!({"instrument": "phq9", "answers": [1,1,1,1,1,0,0,0,1], "measured_on": "2025-11-01"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "measure: {}", r.body);
        let measure = id_of(&r.json(), "id");
        let flag = scalar(
            t.store(),
            "SELECT id FROM safety_flags WHERE client_id = $1",
            client,
        )
        .await
        .expect("the PHQ-9 item 9 answer raises a safety flag");

        let (ctype, body) = multipart(&[("keep_audio", "true")], "s.wav", &tone_wav(1.0));
        let req = Request::post(format!("/api/v1/clients/{client}/recordings"))
            .header(header::AUTHORIZATION, format!("Bearer {}", owner.token))
            .header(header::CONTENT_TYPE, ctype)
            .body(Body::from(body))
            .expect("request");
        let r = t.send(req).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "upload: {}", r.body);
        let v = r.json();
        let recording = id_of(&v["recording"], "id");
        let job = id_of(&v, "job_id");

        let r = t
            .call(
                Method::POST,
                "/api/v1/recordings",
                owner,
                Some(json!({"client_id": client, "format": "pcm16", "sample_rate": 16000})),
            )
            .await;
        assert!(r.status.is_success(), "stream: {}", r.body);
        let stream = id_of(&r.json()["recording"], "id");

        let transcript = store_transcript(t, client, recording).await;
        let (draft, _) = store_draft(t, client, Some(session), owner.user.id).await;
        let (signed_draft, note) = store_draft(t, client, None, owner.user.id).await;
        sign(t, owner, signed_draft).await;

        let owner_token_id = scalar(
            t.store(),
            "SELECT id FROM api_tokens WHERE user_id = $1 ORDER BY id LIMIT 1",
            owner.user.id,
        )
        .await
        .expect("token id");
        OwnedChart {
            owner_id: owner.user.id,
            owner_token_id,
            client,
            goal,
            session,
            transcript,
            draft,
            note,
            recording,
            job,
            stream,
            measure,
            flag,
        }
    }
}

/// The first row's integer of `sql` (`$1` bound to `arg`) on either database, if there is a row.
pub async fn scalar(store: &Store, sql: &'static str, arg: i64) -> Option<i64> {
    let pool = store.pool();
    let found = match (pool.sqlite(), pool.postgres()) {
        (Some(p), _) => sqlx::query_scalar(sql).bind(arg).fetch_optional(p).await,
        (None, Some(p)) => sqlx::query_scalar(sql).bind(arg).fetch_optional(p).await,
        (None, None) => unreachable!("a pool is SQLite or PostgreSQL"),
    };
    found.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn id_of(v: &Value, key: &str) -> i64 {
    v[key]
        .as_i64()
        .unwrap_or_else(|| panic!("no `{key}` in {v}"))
}

/// Stores a two-segment transcript of `recording` (as the transcription job does).
async fn store_transcript(t: &TestApp, client: i64, recording: i64) -> i64 {
    use noted::transcribe::{Segment, Speaker, Transcript};
    let seg = |id: u32, start: f64, text: &str| Segment {
        id,
        start,
        end: start + 2.0,
        speaker: Speaker::Unknown,
        text: text.into(),
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
    };
    let tr = Transcript {
        model: "test".into(),
        audio_seconds: 10.0,
        elapsed_seconds: 1.0,
        segments: vec![
            seg(0, 0.0, &format!("{MARKER} said the week was long.")),
            seg(1, 2.5, "I slept better."),
        ],
        text: String::new(),
        speakers: None,
    };
    let mut tx = t.store().begin_write().await.expect("tx");
    let id = noted::store::transcripts::insert_transcript_in(
        &mut tx,
        &Actor::cli(),
        client,
        Some(recording),
        "en",
        &tr,
    )
    .await
    .expect("transcript");
    tx.commit().await.expect("commit");
    id
}

/// Stores a model draft and its note row (as the drafting job does): (draft id, note id).
async fn store_draft(t: &TestApp, client: i64, session: Option<i64>, author: i64) -> (i64, i64) {
    t.draft(DraftRow::soap(client, author, draft_json()).session(session))
        .await
}

/// Sets every risk field of a draft and signs it.
pub async fn sign(t: &TestApp, owner: &Who, draft: i64) {
    let r = t
        .call(
            Method::PATCH,
            &format!("/api/v1/drafts/{draft}"),
            owner,
            Some(json!({"risk": {"suicidal_ideation": "denied", "plan": "not_assessed", "intent": "not_assessed", "homicidal_ideation": "not_assessed"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "risk: {}", r.body);
    let r = t
        .call(
            Method::POST,
            &format!("/api/v1/drafts/{draft}/sign"),
            owner,
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "sign: {}", r.body);
}

/// A small SOAP draft citing summary segments 0-2, with one plan update and one proposal.
fn draft_json() -> Value {
    json!({
        "format": "soap",
        "section_order": ["subjective", "objective", "assessment", "plan"],
        "sections": {
            "subjective": {"title": "Subjective", "text": format!("{MARKER} reports sleeping five hours."),
                "statements": [{"text": format!("{MARKER} reports sleeping five hours."), "citations": [0], "flags": [], "support": 0.9, "origin": "model", "included": true}]},
            "objective": {"title": "Objective", "text": "PHQ-9 reviewed.", "statements": [
                {"text": "PHQ-9 reviewed.", "citations": [1], "flags": [], "support": 0.7, "origin": "model", "included": true}]},
            "assessment": {"title": "Assessment", "text": "Burnout symptoms persist.", "statements": [
                {"text": "Burnout symptoms persist.", "citations": [1], "flags": [], "support": 0.6, "origin": "model", "included": true}]},
            "plan": {"title": "Plan", "text": "Practice the wind-down routine.", "statements": [
                {"text": "Practice the wind-down routine.", "citations": [2], "flags": [], "support": 0.7, "origin": "model", "included": true}]}
        },
        "plan_updates": [
            {"goal_id": "g-burnout", "status": "progressing", "evidence": "Client sleeps five hours.", "citations": [0], "flags": []}
        ],
        "proposals": [
            {"kind": "next_session", "text": "Meet again next week", "citations": [2]}
        ],
        "risk": {"suicidal_ideation": {"status": "not_assessed", "citations": []}, "plan": {"status": "not_assessed", "citations": []},
                 "intent": {"status": "not_assessed", "citations": []}, "homicidal_ideation": {"status": "not_assessed", "citations": []},
                 "cues": [], "flags": []},
        "flags": [],
        "provenance": {"model": "smollm2-135m-test", "model_sha256": "abab", "prompt_version": "p-test-1", "format_version": "1", "created_at": "2026-01-01T00:00:00Z"},
        "complete": true,
        "summary_segments": [
            {"id": 0, "text": "Client sleeps five hours a night."}, {"id": 1, "text": "Stress at work is high."},
            {"id": 2, "text": "We will meet again next week."}
        ]
    })
}
