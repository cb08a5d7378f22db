//! Running child processes: the one "run and measure" function every step uses,
//! the stub server's lifetime guard, and self-removing temporary directories.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where a child's output goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Output {
    /// Kept in [`Measured::stdout`] and [`Measured::stderr`].
    Capture,
    /// Shown on the harness's stderr as it comes (builds, pip), so the report on
    /// stdout stays clean.
    Show,
}

/// What one finished child did and cost.
#[derive(Debug)]
pub struct Measured {
    /// The command, as shown in messages.
    pub command: String,
    /// The exit code, or `None` if a signal ended it.
    pub code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// From just before spawning to just after `wait4` returned.
    pub wall: Duration,
    /// Peak resident set size of the child (`ru_maxrss`), KiB. Read it through
    /// [`Measured::peak_rss_mib`], which checks that it is the child's own.
    pub max_rss_kib: u64,
    /// The harness's own peak RSS (`VmHWM`) just after the spawn, KiB, if it could
    /// be read. The kernel starts a spawned child's `ru_maxrss` at its parent's
    /// peak (the child shares the parent's memory until it calls `exec`), so a
    /// child figure at or below this one may be the harness's, not the child's.
    pub spawner_peak_kib: Option<u64>,
    /// CPU time the child used, user and system (`ru_utime` + `ru_stime`).
    pub cpu: Duration,
}

impl Measured {
    pub fn succeeded(&self) -> bool {
        self.code == Some(0)
    }

    /// The child's peak RSS in MiB, or an error when the figure cannot be told
    /// apart from the harness's own peak, which the kernel counts into it.
    pub fn peak_rss_mib(&self) -> Result<f64, String> {
        match self.spawner_peak_kib {
            Some(spawner) if self.max_rss_kib <= spawner => Err(format!(
                "cannot measure the peak RSS of `{}`: its figure ({} KiB) is no larger than \
                 the harness's own peak ({spawner} KiB), which the kernel counts into every \
                 child's, so it may be the harness's; the harness must stay smaller than the \
                 programs it measures (report this as a harness bug)",
                self.command, self.max_rss_kib
            )),
            _ => Ok(self.max_rss_kib as f64 / 1024.0),
        }
    }

    /// "`cmd` exited with 2: <last lines of stderr>".
    pub fn failure(&self) -> String {
        let how = match (self.code, self.signal) {
            (Some(code), _) => format!("exited with status {code}"),
            (None, Some(signal)) => format!("was killed by signal {signal}"),
            (None, None) => "ended in an unknown way".to_owned(),
        };
        let mut message = format!("`{}` {how}", self.command);
        let tail = last_lines(&self.stderr, 30);
        if !tail.is_empty() {
            message.push_str(":\n");
            message.push_str(&tail);
        }
        message
    }
}

/// Runs `command` to completion and measures it: wall time from spawn to exit, and
/// the child's peak RSS and CPU time, read with `wait4`. Stdin is closed.
pub fn run_measured(command: &mut Command, output: Output) -> Result<Measured, String> {
    let shown = describe(command);
    command.stdin(Stdio::null());
    match output {
        Output::Capture => command.stdout(Stdio::piped()).stderr(Stdio::piped()),
        Output::Show => command.stdout(std::io::stderr()).stderr(std::io::stderr()),
    };
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|error| format!("cannot start `{shown}`: {error}; is it installed and on PATH?"))?;
    // Read after `spawn`, which returns once the child has called `exec`: the
    // peak it inherited is at most this.
    let spawner_peak_kib = own_peak_rss_kib();
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    let waited = wait_for(&child);
    let wall = started.elapsed();
    let stdout = collect(stdout);
    let stderr = collect(stderr);
    let (status, usage) = waited.map_err(|error| format!("waiting for `{shown}` failed: {error}"))?;
    Ok(Measured {
        command: shown,
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        stdout,
        stderr,
        wall,
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        spawner_peak_kib,
        cpu: duration(usage.ru_utime) + duration(usage.ru_stime),
    })
}

/// The harness's own peak RSS in KiB: `VmHWM` of `/proc/self/status`, the figure
/// a spawned child inherits. (`getrusage` would not do: it also counts what this
/// process inherited from whatever started it, `cargo run` for one.)
fn own_peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    crate::machine::proc_kib(&status, "VmHWM")
}

/// [`run_measured`], failing unless the child exits 0; `what` says what it was for.
pub fn run_checked(command: &mut Command, output: Output, what: &str) -> Result<Measured, String> {
    let measured = run_measured(command, output)?;
    if measured.succeeded() {
        Ok(measured)
    } else if output == Output::Show {
        Err(format!("{what} failed: {} (its output is above)", measured.failure()))
    } else {
        Err(format!("{what} failed: {}", measured.failure()))
    }
}

/// Waits for `child` with `wait4`, which also reports its resource usage. The child
/// is reaped here, so it must not be waited for again.
fn wait_for(child: &Child) -> std::io::Result<(libc::c_int, libc::rusage)> {
    let pid = libc::pid_t::try_from(child.id()).map_err(std::io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct of integers, for which all-zero bytes
    // are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers point at live, writable locals of the right types,
        // and `pid` is our own unreaped child.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

/// A `timeval` from `rusage` as a `Duration` (a negative one, which the kernel never
/// reports, as zero).
fn duration(time: libc::timeval) -> Duration {
    let seconds = u64::try_from(time.tv_sec).unwrap_or(0);
    let micros = u32::try_from(time.tv_usec).unwrap_or(0);
    Duration::from_secs(seconds) + Duration::from_micros(u64::from(micros))
}

/// Reads a pipe to its end on another thread (so that neither pipe can fill up
/// and block the child while we wait on the other).
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // A read error only truncates what is shown.
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn collect(reader: Option<JoinHandle<Vec<u8>>>) -> String {
    reader
        .and_then(|handle| handle.join().ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The program and its arguments, space-separated, for messages.
pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| shell_word(&part.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` quoted for a POSIX shell when it needs to be; long words are shortened.
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-_./=:,@+%".contains(&byte));
    if plain {
        return text.to_owned();
    }
    let shown: String = if text.chars().count() > 80 {
        text.chars().take(60).chain("…".chars()).collect()
    } else {
        text.to_owned()
    };
    format!("'{}'", shown.replace('\'', r"'\''"))
}

/// The last `count` lines of `text`.
fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// The running `stub-server`; dropping this kills it.
#[derive(Debug)]
pub struct StubServer {
    child: Child,
    /// Kept open so the server never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
    port: u16,
}

impl StubServer {
    /// Starts `binary` on a free port and waits for its `listening on` line.
    pub fn start(binary: &Path) -> Result<Self, String> {
        let mut command = Command::new(binary);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        // SAFETY: the closure runs in the forked child before exec and only calls
        // prctl, which is async-signal-safe. It makes the server die with the
        // harness even if the harness is killed before the guard's Drop runs.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(|error| {
            format!(
                "cannot start {}: {error}; build it with `cargo build --release --manifest-path bench/compare/Cargo.toml`",
                binary.display()
            )
        })?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the stub server's stdout was not captured".to_owned());
        };
        // From here on the guard owns the child, so every error path kills it.
        let mut server = Self {
            child,
            _stdout: BufReader::new(stdout),
            port: 0,
        };
        let mut line = String::new();
        server
            ._stdout
            .read_line(&mut line)
            .map_err(|error| format!("cannot read the stub server's first line: {error}"))?;
        server.port = line
            .trim()
            .strip_prefix("listening on http://127.0.0.1:")
            .and_then(|port| port.parse().ok())
            .ok_or_else(|| {
                format!("the stub server printed {line:?} instead of `listening on http://127.0.0.1:PORT`")
            })?;
        Ok(server)
    }

    /// `http://127.0.0.1:PORT`
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for StubServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh directory under the system temp dir, removed (with its contents) on drop.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> Result<Self, String> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("apprunner-compare-{}-{unique}-{label}", std::process::id()));
        // A leftover from an earlier run with the same pid is stale.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .map_err(|error| format!("cannot create the temporary directory {}: {error}", path.display()))?;
        Ok(Self { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `script` run by `sh -c`, measured with its output captured.
    fn sh(script: &str) -> Measured {
        run_measured(Command::new("sh").args(["-c", script]), Output::Capture).expect("sh runs")
    }

    #[test]
    fn measures_a_child_and_reports_its_failure() {
        let measured = sh("echo out; echo oops >&2; exit 3");
        assert_eq!((measured.code, measured.signal), (Some(3), None));
        assert_eq!(
            (measured.stdout.as_str(), measured.stderr.as_str()),
            ("out\n", "oops\n")
        );
        assert!(measured.max_rss_kib > 0);
        assert!(measured.cpu <= measured.wall + Duration::from_millis(10));
        let failure = run_checked(
            Command::new("sh").args(["-c", "echo oops >&2; exit 3"]),
            Output::Capture,
            "a test",
        )
        .expect_err("exit 3 is a failure");
        assert!(
            failure.contains("exited with status 3") && failure.ends_with("oops"),
            "{failure}"
        );
    }

    #[test]
    fn reports_signals_and_missing_programs() {
        let measured = sh("kill -9 $$");
        assert_eq!((measured.code, measured.signal), (None, Some(9)));
        let missing = run_measured(&mut Command::new("/nonexistent/program"), Output::Capture).expect_err("missing");
        assert!(missing.contains("cannot start"), "{missing}");
    }

    #[test]
    fn quotes_shell_words() {
        assert_eq!(shell_word("--n"), "--n");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn cpu_time_counts_work_not_waiting() {
        let busy = sh("i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done");
        let idle = run_measured(Command::new("sleep").arg("0.3"), Output::Capture).expect("sleep runs");
        assert!(busy.cpu >= Duration::from_millis(50), "busy loop used {:?}", busy.cpu);
        assert!(idle.wall >= Duration::from_millis(300));
        assert!(idle.cpu < Duration::from_millis(50), "sleep used {:?}", idle.cpu);
    }

    #[test]
    fn reads_its_own_peak() {
        assert!(own_peak_rss_kib().is_some_and(|kib| kib > 0));
    }

    #[test]
    fn a_peak_the_harness_could_have_given_the_child_is_refused() {
        // Make this process's peak far larger than what `sh -c true` needs: the
        // kernel starts the child's `ru_maxrss` at it, so the child's figure is ours.
        let ballast = std::hint::black_box(vec![1u8; 64 << 20]);
        let measured = sh("true");
        drop(ballast);
        assert!(
            measured.spawner_peak_kib.is_some_and(|kib| kib >= 64 << 10),
            "{measured:?}"
        );
        assert!(measured.max_rss_kib >= 64 << 10, "the premise: {measured:?}");
        let error = measured.peak_rss_mib().expect_err("the figure is the harness's");
        assert!(error.contains("no larger than the harness's own peak"), "{error}");
    }

    #[test]
    fn a_child_larger_than_the_harness_has_its_peak_measured() {
        // 256 MiB of bytes, written: more than this test process ever holds.
        let measured = run_measured(
            Command::new("python3").args(["-c", "b = b'x' * (256 << 20)"]),
            Output::Capture,
        )
        .expect("python3 runs");
        assert!(measured.succeeded(), "{}", measured.failure());
        let peak = measured.peak_rss_mib().expect("the child is larger than the harness");
        assert!(peak >= 256.0, "{peak} MiB");
    }
}
