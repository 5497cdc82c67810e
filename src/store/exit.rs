//! Process exit that waits for database connections still closing.
//!
//! SQLCipher (bundled, static) frees its private heap and mutexes in a `.fini_array`
//! destructor at process exit. sqlx closes each SQLite connection on the connection's own
//! worker thread; when a pool is dropped just before the process ends (the last test of a
//! test binary, a CLI command), a worker can still be inside `sqlite3_close` while the
//! destructor runs, and the process dies with SIGSEGV after its work is done (seen in 1 of
//! 13 to 1 of 40 runs of `tests/notes.rs`; the core showed `sqlite3FreeCodecArg` on a
//! worker thread and the main thread in `_fini`). SQLCipher also runs that cleanup from an
//! `atexit` handler it registers when SQLite is first initialised. Handlers run in reverse
//! order of registration, so this one, registered after the first connection is opened, runs
//! before both: it waits, briefly and bounded, until no worker thread is left.

use std::sync::Once;
use std::time::{Duration, Instant};

/// The longest the exit waits: closing a connection takes milliseconds; a pool still open
/// at exit (never dropped) keeps its workers, and the exit goes on after this.
const MOST: Duration = Duration::from_secs(2);

/// The prefix of sqlx's SQLite worker thread names (`sqlx-sqlite-worker-N`, cut to the 15
/// bytes Linux keeps).
const WORKER: &str = "sqlx-sqlite";

extern "C" {
    fn atexit(f: extern "C" fn()) -> std::ffi::c_int;
}

/// Registers the exit handler (once per process). Call after the first connection is opened
/// (registered earlier, it would run after SQLCipher's cleanup, too late).
pub fn wait_for_connections_at_exit() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Safety: registers a plain function with no captured state.
        if unsafe { atexit(on_exit) } != 0 {
            tracing::warn!("could not register the database exit handler");
        }
    });
}

extern "C" fn on_exit() {
    let until = Instant::now() + MOST;
    while threads_alive(WORKER) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Whether a thread of this process whose name starts with `prefix` is still running (Linux:
/// the thread names under /proc; elsewhere none is seen and the exit does not wait).
fn threads_alive(prefix: &str) -> bool {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return false;
    };
    tasks.flatten().any(|t| {
        std::fs::read_to_string(t.path().join("comm")).is_ok_and(|n| n.starts_with(prefix))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_thread_is_seen_until_it_ends() {
        if std::fs::metadata("/proc/self/task").is_err() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let (ready_tx, ready) = std::sync::mpsc::channel::<()>();
        let t = std::thread::Builder::new()
            .name("noted-exit-test".into())
            .spawn(move || {
                // the name is set before this runs
                let _ = ready_tx.send(());
                let _ = rx.recv();
            })
            .unwrap();
        ready.recv().unwrap();
        assert!(threads_alive("noted-exit-te"));
        drop(tx);
        t.join().unwrap();
        assert!(!threads_alive("noted-exit-te"));
    }
}
