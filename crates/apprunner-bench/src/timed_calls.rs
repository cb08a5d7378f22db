//! The measuring frame of the three minimal CreateService programs: ours
//! (`minimal-create-service`), the official SDK's and plain reqwest's (both in
//! `bench/compare`). Each includes this file as a module, so all three read their
//! arguments, time their calls and print their line with the same code, and only
//! the call itself differs between them. Standard library only.
//!
//! Usage: `PROGRAM N` with `APPRUNNER_ENDPOINT_URL` set. Output: one line
//! `n=N median_us=.. p99_us=.. min_us=.. max_us=..`; on any failure the error is
//! printed and the exit code is 2.

use std::future::Future;
use std::process::ExitCode;
use std::time::Instant;

/// Any failure of a program: printed, and the program exits 2.
pub(crate) type Failure = Box<dyn std::error::Error>;

/// What a program is asked to do.
#[derive(Debug)]
pub(crate) struct Settings {
    /// How many calls to make in sequence (at least 1).
    pub(crate) count: usize,
    /// The endpoint URL, from `APPRUNNER_ENDPOINT_URL`.
    pub(crate) endpoint: String,
}

/// Runs a program: reads its settings, lets `measure` time its calls, and prints
/// the statistics line, or the error and exits 2.
pub(crate) fn main(program: &str, measure: impl FnOnce(Settings) -> Result<Vec<f64>, Failure>) -> ExitCode {
    match settings(program).and_then(measure) {
        Ok(micros) => {
            println!("{}", summarize(micros));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{program}: {error}");
            ExitCode::from(2)
        }
    }
}

/// Makes `count` calls in sequence, timing each from before `call` builds its
/// request to after its response is read, in microseconds.
pub(crate) async fn time_calls<F, Fut, E>(count: usize, mut call: F) -> Result<Vec<f64>, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Into<Failure>,
{
    let mut micros = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        call().await.map_err(Into::into)?;
        micros.push(started.elapsed().as_secs_f64() * 1e6);
    }
    Ok(micros)
}

fn settings(program: &str) -> Result<Settings, Failure> {
    let count: usize = match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("N must be a whole number, got {text:?}"))?,
        None => return Err(format!("usage: {program} N (with APPRUNNER_ENDPOINT_URL set)").into()),
    };
    if count == 0 {
        return Err("N must be at least 1".into());
    }
    let endpoint = std::env::var("APPRUNNER_ENDPOINT_URL")
        .map_err(|_| "set APPRUNNER_ENDPOINT_URL to the endpoint to call (http://127.0.0.1:PORT)")?;
    Ok(Settings { count, endpoint })
}

/// `n=.. median_us=.. p99_us=.. min_us=.. max_us=..` from the calls' times
/// (at least one); the fraction f of them is the time at index round((n - 1) * f)
/// of the n sorted times.
fn summarize(mut micros: Vec<f64>) -> String {
    micros.sort_by(f64::total_cmp);
    let at = |fraction: f64| micros[((micros.len() - 1) as f64 * fraction).round() as usize];
    format!(
        "n={} median_us={:.0} p99_us={:.0} min_us={:.0} max_us={:.0}",
        micros.len(),
        at(0.5),
        at(0.99),
        micros[0],
        micros[micros.len() - 1]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_line_reads_its_figures_from_the_sorted_times() {
        let micros = (1..=200).rev().map(f64::from).collect();
        assert_eq!(
            super::summarize(micros),
            "n=200 median_us=101 p99_us=198 min_us=1 max_us=200"
        );
    }
}
