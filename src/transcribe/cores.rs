//! How many cores are free right now, to size whisper's thread team for a lone window.
//!
//! whisper.cpp's threads meet at a barrier after every step of the graph (hundreds per decoded
//! token). On a machine where another program keeps a core busy, a thread that has lost its
//! core stalls the others at every barrier (measured on the 179 s benchmark session, 2 cores,
//! one kept busy by another process: 2 threads 12.6 s with passive waiting and 39.5 s with
//! spinning, 1 thread 10.2 s). Several windows avoid the question by running one thread each
//! (`transcribe::plan_streams`); a single window gets as many threads as there are cores other
//! runnable tasks leave free, at most the configured number.

use std::time::Duration;

/// Threads for a window decoded alone: at most `max`, at least 1, and no more than the cores not
/// taken by other runnable tasks (Linux: `procs_running` in `/proc/stat`, the least of a few
/// samples over ~10 ms so that a momentary wake-up does not count). Elsewhere: `max`.
pub fn threads_for_next_window(max: usize) -> usize {
    let max = max.max(1);
    if max == 1 {
        return 1;
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(max);
    match busy_elsewhere() {
        Some(busy) => cores.saturating_sub(busy).clamp(1, max),
        None => max,
    }
}

/// Runnable tasks other than the caller, or `None` where the kernel does not say.
fn busy_elsewhere() -> Option<usize> {
    let mut least: Option<usize> = None;
    for i in 0..5 {
        if i > 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let running = procs_running(&stat)?;
        least = Some(least.map_or(running, |l| l.min(running)));
    }
    // The reading thread itself is one of the running tasks.
    least.map(|n| n.saturating_sub(1))
}

fn procs_running(stat: &str) -> Option<usize> {
    stat.lines()
        .find_map(|l| l.strip_prefix("procs_running "))
        .and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_procs_running() {
        let stat = "cpu  1 2 3\nctxt 99\nprocs_running 3\nprocs_blocked 0\n";
        assert_eq!(procs_running(stat), Some(3));
        assert_eq!(procs_running("cpu 1 2 3\n"), None);
    }

    #[test]
    fn stays_within_bounds() {
        assert_eq!(threads_for_next_window(0), 1);
        assert_eq!(threads_for_next_window(1), 1);
        let t = threads_for_next_window(64);
        assert!((1..=64).contains(&t));
    }

    #[test]
    fn a_busy_core_is_not_used() {
        // Keep every core but one busy; the next window must not ask for more than one.
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        if cores < 2
            || procs_running(&std::fs::read_to_string("/proc/stat").unwrap_or_default()).is_none()
        {
            return;
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let spinners: Vec<_> = (0..cores - 1)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(50));
        let t = threads_for_next_window(cores);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for s in spinners {
            let _ = s.join();
        }
        assert_eq!(t, 1);
    }
}
