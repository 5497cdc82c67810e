//! End-to-end: the real `noted` binary creates users and checks the audit log; a real server on
//! 127.0.0.1:0 is driven over TCP: sign-in, CSRF refusal, authorization, plan versioning,
//! measure scoring and flags, audit rows for views, rate limiting, sign-out, tamper detection.

mod common;
#[macro_use]
#[path = "common/db.rs"]
mod db;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use noted::chart::sample;
use noted::http::{AppState, HttpConfig};
use noted::store::Store;

const PW: &str = "correct horse battery staple";

fn noted(data: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_noted"))
        .args(args)
        .env("NOTED_DATA", data)
        .env("NOTED_CONFIG", data.with_extension("toml"))
        .env_remove("NOTED_BIND")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the noted binary");
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn add_user(data: &Path, email: &str, role: &str, supervisor: Option<&str>) {
    let mut args = vec![
        "user",
        "add",
        "--email",
        email,
        "--role",
        role,
        "--password-stdin",
    ];
    if let Some(s) = supervisor {
        args.extend(["--supervisor", s]);
    }
    let out = noted(data, &args, Some(&format!("{PW}\n")));
    assert!(
        out.status.success(),
        "user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A response from the tiny HTTP/1.1 client below.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn cookies(&self) -> BTreeMap<String, String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| {
                v.split(';')
                    .next()?
                    .split_once('=')
                    .map(|(a, b)| (a.to_string(), b.to_string()))
            })
            .collect()
    }
}

/// A browser-ish client: keeps cookies, speaks HTTP/1.1 with `Connection: close`.
struct Client {
    addr: SocketAddr,
    cookies: BTreeMap<String, String>,
    csrf: Option<String>,
}

impl Client {
    fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            cookies: BTreeMap::new(),
            csrf: None,
        }
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
        }
        if let Some(ct) = content_type {
            req.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        for (k, v) in extra {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, rest) = text.split_once("\r\n\r\n").expect("an HTTP response");
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| {
                l.split_once(':')
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            })
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        let body = if chunked {
            common::dechunk(rest)
        } else {
            rest.to_string()
        };
        let resp = Resp {
            status,
            headers,
            body,
        };
        for (k, v) in resp.cookies() {
            if v.is_empty() {
                self.cookies.remove(&k);
            } else {
                self.cookies.insert(k, v);
            }
        }
        resp
    }

    async fn get(&mut self, path: &str) -> Resp {
        self.send("GET", path, None, "", &[]).await
    }

    /// JSON call with the CSRF header when we have one.
    async fn json(&mut self, method: &str, path: &str, body: Value) -> Resp {
        let csrf = self.csrf.clone();
        let extra: Vec<(&str, &str)> = csrf
            .as_deref()
            .map(|c| vec![("X-CSRF-Token", c)])
            .unwrap_or_default();
        self.send(
            method,
            path,
            Some("application/json"),
            &body.to_string(),
            &extra,
        )
        .await
    }

    async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            "POST",
            path,
            Some("application/x-www-form-urlencoded"),
            &body,
            &[],
        )
        .await
    }

    /// Signs in through the HTML form, then fetches the CSRF token for JSON calls.
    async fn sign_in(&mut self, email: &str, password: &str) -> Resp {
        let page = self.get("/login").await;
        assert_eq!(page.status, 200);
        let token = hidden(&page.body, "csrf_token");
        let r = self
            .form(
                "/login",
                &[
                    ("email", email),
                    ("password", password),
                    ("csrf_token", &token),
                    ("next", "/clients"),
                ],
            )
            .await;
        if r.status == 303 {
            let me = self.get("/api/v1/me").await;
            assert_eq!(me.status, 200, "{}", me.body);
            self.csrf = me.json()["csrf_token"].as_str().map(str::to_string);
        }
        r
    }
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// On SQLite and, with `NOTED_TEST_POSTGRES_URL`, on PostgreSQL (the CLI's processes and the
/// server both use the database the config file names).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinic_day_end_to_end() {
    for db in db::TestDb::each().await {
        eprintln!("on {}:", db.name());
        clinic_day(&db).await;
        db.drop().await;
    }
}

async fn clinic_day(db: &db::TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A config file of the test's own, so a developer's own config never leaks into the test;
    // it names the database every process uses.
    std::fs::write(
        data.with_extension("toml"),
        format!("database_url = {:?}\n", db.url()),
    )
    .unwrap();

    // Accounts through the real CLI.
    add_user(&data, "alice@example.org", "clinician", None);
    add_user(&data, "bob@example.org", "clinician", None);
    add_user(&data, "carol@example.org", "supervisor", None);
    add_user(
        &data,
        "dave@example.org",
        "clinician",
        Some("carol@example.org"),
    );
    let out = noted(
        &data,
        &[
            "user",
            "add",
            "--email",
            "eve@example.org",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 12 characters"));
    let out = noted(&data, &["user", "list"], None);
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing.contains("dave@example.org") && listing.contains("supervisor"),
        "{listing}"
    );
    let out = noted(
        &data,
        &["user", "token", "--email", "alice@example.org"],
        None,
    );
    assert!(out.status.success());
    let api_token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(api_token.starts_with("noted_"));

    // A real server on an ephemeral port.
    let store = Store::open_at(&db.location, &data, None).await.unwrap();
    let state = AppState::new(store.clone(), HttpConfig::default(), data.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(noted::http::serve(state, listener));

    let mut anon = Client::new(addr);
    assert_eq!(anon.get("/healthz").await.status, 200);
    assert_eq!(anon.get("/api/v1/clients").await.status, 401);

    // Sign in (HTML form), cookie flags.
    let mut alice = Client::new(addr);
    let r = alice.sign_in("alice@example.org", PW).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let set_cookie = r
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("noted_session="))
        .unwrap();
    assert!(set_cookie.1.contains("HttpOnly") && set_cookie.1.contains("SameSite=Strict"));

    // CSRF: a cookie-authenticated JSON call without the header is refused and writes nothing.
    let csrf = alice.csrf.take();
    let r = alice
        .json(
            "POST",
            "/api/v1/clients",
            serde_json::to_value(sample::sample_client()).unwrap(),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("CSRF"));
    let count = "SELECT COUNT(*) FROM clients";
    let n: i64 = on_pool!(store, |p| sqlx::query_scalar(count).fetch_one(p).await).unwrap();
    assert_eq!(n, 0);
    alice.csrf = csrf;
    let r = alice
        .json(
            "POST",
            "/api/v1/clients",
            serde_json::to_value(sample::sample_client()).unwrap(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let client_id = r.json()["id"].as_i64().unwrap();

    // Plan versioning keeps history.
    let plan = serde_json::to_value(sample::burnout_plan()).unwrap();
    let r = alice
        .json(
            "PUT",
            &format!("/api/v1/clients/{client_id}/plan"),
            json!({"reason": "intake", "plan": plan}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let mut plan2 = plan.clone();
    plan2["goals"][2]["status"] = json!("met");
    let r = alice
        .json(
            "PUT",
            &format!("/api/v1/clients/{client_id}/plan"),
            json!({"reason": "goal met", "base_version": 1, "plan": plan2}),
        )
        .await;
    assert_eq!(r.status, 201);
    let versions = alice
        .get(&format!("/api/v1/clients/{client_id}/plan/versions"))
        .await
        .json();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 2);
    let v1 = alice
        .get(&format!("/api/v1/clients/{client_id}/plan/versions/1"))
        .await
        .json();
    assert_eq!(v1["plan"]["goals"][2]["status"], "active");

    // Measures against the published scoring rules.
    let mpath = format!("/api/v1/clients/{client_id}/measures");
    for (answers, total, band) in [
        (vec![0, 0, 0, 1, 1, 1, 0, 0, 0], 3.0, "minimal"),
        (vec![1, 1, 1, 1, 1, 0, 0, 0, 0], 5.0, "mild"),
        (vec![2, 2, 2, 2, 1, 1, 0, 0, 0], 10.0, "moderate"),
        (vec![2, 2, 2, 2, 2, 2, 2, 1, 0], 15.0, "moderately severe"),
        (vec![3, 3, 3, 3, 2, 2, 2, 2, 0], 20.0, "severe"),
    ] {
        let r = alice
            .json(
                "POST",
                &mpath,
                json!({"instrument": "phq9", "answers": answers}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let v = r.json();
        assert_eq!(
            (v["total"].as_f64().unwrap(), v["band"].as_str().unwrap()),
            (total, band)
        );
    }
    for (answers, total, band) in [
        (vec![1, 1, 1, 1, 0, 0, 0], 4.0, "minimal"),
        (vec![1, 1, 1, 1, 1, 0, 0], 5.0, "mild"),
        (vec![2, 2, 2, 2, 2, 0, 0], 10.0, "moderate"),
        (vec![3, 3, 3, 3, 3, 0, 0], 15.0, "severe"),
    ] {
        let v = alice
            .json(
                "POST",
                &mpath,
                json!({"instrument": "gad7", "answers": answers}),
            )
            .await
            .json();
        assert_eq!(
            (v["total"].as_f64().unwrap(), v["band"].as_str().unwrap()),
            (total, band)
        );
    }
    // CBI: personal all "always" (100); work: items 1-3 "often" (75), reverse item "never" (0 ->
    // scores 100), items 5-7 "sometimes" (50) => (3*75 + 100 + 3*50)/7 = 67.86; client all
    // "seldom" (25).
    let mut cbi = vec![4; 6];
    cbi.extend([3, 3, 3, 0, 2, 2, 2]);
    cbi.extend([1; 6]);
    let v = alice
        .json("POST", &mpath, json!({"instrument": "cbi", "answers": cbi}))
        .await
        .json();
    assert_eq!(
        v["subscales"]["personal"],
        json!({"score": 100.0, "band": "severe"})
    );
    assert_eq!(
        v["subscales"]["work"],
        json!({"score": 67.86, "band": "moderate"})
    );
    assert_eq!(
        v["subscales"]["client"],
        json!({"score": 25.0, "band": "low"})
    );

    // PHQ-9 item 9 raises a flag the clinician must acknowledge.
    let v = alice
        .json(
            "POST",
            &mpath,
            json!({"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 2]}),
        )
        .await
        .json();
    assert_eq!(v["flags"], json!(["phq9_item9"]));
    let flag_id = v["safety_flags"][0]["id"].as_i64().unwrap();
    let chart = alice.get(&format!("/clients/{client_id}")).await;
    assert_eq!(chart.status, 200);
    assert!(chart
        .body
        .contains(&format!("/flags/{flag_id}/acknowledge")));
    let csrf = hidden(&chart.body, "csrf_token");
    let r = alice
        .form(
            &format!("/flags/{flag_id}/acknowledge"),
            &[("comment", "safety plan in place"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(r.status, 303);
    let flags = alice
        .get(&format!("/api/v1/clients/{client_id}/flags"))
        .await
        .json();
    assert!(flags["flags"][0]["acknowledged_at"].is_string());

    // Views are audited, with who, what and from where.
    let audited = "SELECT actor_id, action, remote_addr FROM audit_log WHERE client_id = $1 AND action IN ('chart.view', 'plan.view', 'plan.history', 'measure.list', 'flag.list')";
    let views: Vec<(i64, String, String)> = on_pool!(store, |p| sqlx::query_as(audited)
        .bind(client_id)
        .fetch_all(p)
        .await)
    .unwrap();
    assert!(views.iter().any(|(_, a, _)| a == "chart.view"));
    assert!(views.iter().any(|(_, a, _)| a == "plan.history"));
    assert!(views.iter().all(|(_, _, ip)| ip == "127.0.0.1"));

    // The API token works without CSRF (not a browser credential).
    let mut tok = Client::new(addr);
    let r = tok
        .send(
            "GET",
            &format!("/api/v1/clients/{client_id}"),
            None,
            "",
            &[("Authorization", &format!("Bearer {api_token}"))],
        )
        .await;
    assert_eq!(r.status, 200);

    // Another clinician's client answers 404; the supervisor sees only supervisees' clients.
    let mut bob = Client::new(addr);
    assert_eq!(bob.sign_in("bob@example.org", PW).await.status, 303);
    assert_eq!(
        bob.get(&format!("/api/v1/clients/{client_id}"))
            .await
            .status,
        404
    );
    assert_eq!(bob.get(&format!("/clients/{client_id}")).await.status, 404);
    let mut dave = Client::new(addr);
    assert_eq!(dave.sign_in("dave@example.org", PW).await.status, 303);
    let dc = dave
        .json(
            "POST",
            "/api/v1/clients",
            json!({"full_name": "Dana Example", "date_of_birth": "1979-02-03"}),
        )
        .await
        .json();
    let mut carol = Client::new(addr);
    assert_eq!(carol.sign_in("carol@example.org", PW).await.status, 303);
    assert_eq!(
        carol
            .get(&format!("/api/v1/clients/{}", dc["id"]))
            .await
            .status,
        200
    );
    assert_eq!(
        carol
            .get(&format!("/api/v1/clients/{client_id}"))
            .await
            .status,
        404
    );

    // Sign-out deletes the session server-side.
    let csrf = alice.csrf.clone().unwrap();
    let old = alice.cookies.clone();
    assert_eq!(
        alice.form("/logout", &[("csrf_token", &csrf)]).await.status,
        303
    );
    alice.cookies = old;
    assert_eq!(alice.get("/api/v1/me").await.status, 401);

    // Rate limit: 10 failures for an account within 15 minutes, then a clear refusal, even
    // with the right password.
    let mut mallory = Client::new(addr);
    for _ in 0..10 {
        let r = mallory
            .sign_in("bob@example.org", "wrong password here")
            .await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("email or password is incorrect"));
    }
    let r = mallory.sign_in("bob@example.org", PW).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("too many failed sign-ins"), "{}", r.body);
    let r = mallory
        .json(
            "POST",
            "/api/v1/auth/login",
            json!({"email": "bob@example.org", "password": PW}),
        )
        .await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());

    server.abort();
    let _ = server.await;
    store.close().await;

    // `noted audit verify`: intact, then detects an edited row.
    let out = noted(&data, &["audit", "verify"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("intact"));
    if let noted::store::Location::Postgres(url) = &db.location {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_update ON audit_log")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET remote_addr = '10.0.0.9' WHERE id = 7")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    } else {
        let key = noted::crypto::DataKey::load_existing(&data, None).unwrap();
        let opts = noted::store::connect_options(&data.join("noted.db"), &key);
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&opts)
            .await
            .unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_update")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET remote_addr = '10.0.0.9' WHERE id = 7")
            .execute(&mut conn)
            .await
            .unwrap();
        <sqlx::SqliteConnection as sqlx::Connection>::close(conn)
            .await
            .unwrap();
    }
    let out = noted(&data, &["audit", "verify"], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 7"), "{err}");
}
