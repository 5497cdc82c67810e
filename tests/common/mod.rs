//! Helpers shared by integration tests: prerequisites (skip with a reason, or fail when the
//! environment says the prerequisite is required), where models are, and running external tools.
#![allow(dead_code)] // each test crate uses its own subset

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Where tests find installed models: `NOTED_TEST_MODELS`, else `~/.cache/noted/models`.
pub fn models_dir() -> PathBuf {
    std::env::var_os("NOTED_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| ".".into()))
                .join(".cache/noted/models")
        })
}

/// A fixture file under `NOTED_FIXTURES` (else `~/.cache/noted/fixtures`), which
/// `tests/run.sh` fetches from packages: fails under `NOTED_REQUIRE_MODELS=1` when missing,
/// else prints "skipped: ..." and gives `None`.
pub fn fixture_file(rel: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("NOTED_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/noted/fixtures")
        });
    let p = dir.join(rel);
    present(
        p.is_file(),
        env_is_1("NOTED_REQUIRE_MODELS"),
        &format!(
            "fixture {} missing: run tests/run.sh (it fetches the fixtures)",
            p.display()
        ),
    )
    .then_some(p)
}

/// Whether the environment variable `name` is set to `1`.
pub fn env_is_1(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// A model a test needs is not installed: fails under `NOTED_REQUIRE_MODELS=1` (CI), else
/// prints why the test is skipped.
pub fn model_missing(what: &str) {
    present(
        false,
        env_is_1("NOTED_REQUIRE_MODELS"),
        &format!("{what} is not installed: run `noted models install --tier test`"),
    );
}

/// Fails when `require` (CI), else prints "skipped: ..." and returns false.
pub fn present(ok: bool, require: bool, what: &str) -> bool {
    if ok {
        return true;
    }
    if require {
        panic!("{what}");
    }
    eprintln!("skipped: {what}");
    false
}

/// Whether `cmd arg` runs and succeeds (e.g. `runs("ffmpeg", "-version")`).
pub fn runs(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs a tool that must succeed (espeak-ng, sox, ffmpeg), with its stderr in the failure.
pub fn run_tool(cmd: &mut Command) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `cmd` with `stdin` written to its standard input, its output captured.
pub fn output_with_stdin(cmd: &mut Command, stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("write to the child's stdin");
    child.wait_with_output().expect("wait for the child")
}

/// The body of an HTTP/1.1 response sent with `Transfer-Encoding: chunked`, chunks joined.
pub fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&tail[..n]);
        rest = &tail[n + 2..];
    }
    out
}

/// A TCP port on the loopback interface that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind a loopback port")
        .local_addr()
        .expect("a bound address")
        .port()
}
