//! The Markdown report.

use crate::machine::Machine;
use crate::measure::{CliFigures, RoundRun};
use crate::options::Options;
use crate::stats::{max, median};
use std::fmt::Write as _;

/// Everything measured, as the report needs it. Per-program vectors are indexed
/// like [`crate::measure::programs`]: ours, official SDK, plain reqwest.
#[derive(Debug)]
pub struct Results {
    pub options: Options,
    pub command_line: String,
    pub machine: Machine,
    pub labels: [&'static str; 3],
    pub rounds: Vec<RoundRun>,
    pub starts_ms: Vec<Vec<f64>>,
    /// Ours, then the SDK program.
    pub dependencies: [usize; 2],
    pub stripped_bytes: [u64; 2],
    pub cold_build_seconds: Option<[f64; 2]>,
    pub cli: Option<CliFigures>,
    pub codegen_ms: Result<f64, String>,
}

impl Results {
    /// One figure of every latency run of `program`.
    fn per_round(&self, program: usize, figure: impl Fn(&RoundRun) -> f64) -> Vec<f64> {
        self.rounds
            .iter()
            .filter(|run| run.program == program)
            .map(figure)
            .collect()
    }

    fn median_latency(&self, program: usize) -> f64 {
        median(&self.per_round(program, |run| run.run.line.median_us))
    }

    fn p99_latency(&self, program: usize) -> f64 {
        median(&self.per_round(program, |run| run.run.line.p99_us))
    }

    fn peak_rss(&self, program: usize) -> f64 {
        max(&self.per_round(program, |run| run.run.rss_mib))
    }
}

/// One line of the main table.
struct Row {
    measure: String,
    ours: String,
    official: String,
    ratio: String,
    target: String,
    met: String,
}

impl Row {
    /// A row whose target is "ratio ≤ `limit`".
    fn ratio(measure: &str, ours: (f64, String), official: (f64, String), limit: f64) -> Self {
        let ratio = ours.0 / official.0;
        let met = if !ratio.is_finite() {
            "—"
        } else if ratio <= limit {
            "yes"
        } else {
            "no"
        };
        Self {
            measure: measure.to_owned(),
            ours: ours.1,
            official: official.1,
            ratio: format_ratio(ratio),
            target: format!("≤ {limit}"),
            met: met.to_owned(),
        }
    }

    /// A row without figures, saying why.
    fn missing(measure: &str, why: &str, target: &str) -> Self {
        Self {
            measure: measure.to_owned(),
            ours: why.to_owned(),
            official: why.to_owned(),
            ratio: "—".to_owned(),
            target: target.to_owned(),
            met: "—".to_owned(),
        }
    }
}

fn format_ratio(ratio: f64) -> String {
    if !ratio.is_finite() {
        "—".to_owned()
    } else if ratio < 0.1 {
        format!("{ratio:.3}")
    } else {
        format!("{ratio:.2}")
    }
}

fn micros(value: f64) -> (f64, String) {
    (value, format!("{value:.0} µs"))
}

fn mib(value: f64) -> (f64, String) {
    (value, format!("{value:.1} MiB"))
}

/// The whole report.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    header(&mut out, results);
    main_table(&mut out, results);
    rounds_table(&mut out, results);
    other_runs_table(&mut out, results);
    out
}

fn header(out: &mut String, results: &Results) {
    let machine = &results.machine;
    let options = &results.options;
    let _ = writeln!(out, "# App Runner client comparison\n");
    let _ = writeln!(
        out,
        "- Machine: {}, {} logical CPUs, {} memory",
        machine.cpu, machine.cores, machine.memory
    );
    let _ = writeln!(out, "- Kernel: {}; {}", machine.kernel, machine.rustc);
    let _ = writeln!(
        out,
        "- Date: {}; 1-minute load average before measuring: {}",
        machine.date, machine.load
    );
    let _ = writeln!(out, "- Command: `{}`", results.command_line);
    let _ = writeln!(
        out,
        "- Settings: {} rounds of N={} requests, {} start runs, {} CLI runs, cold builds {}\n",
        options.rounds,
        options.n,
        options.starts,
        options.cli_runs,
        if options.cold_builds {
            "measured"
        } else {
            "not measured"
        }
    );
}

fn main_table(out: &mut String, results: &Results) {
    let n = results.options.n;
    let rounds = results.options.rounds;
    let [ours_deps, sdk_deps] = results.dependencies;
    let [ours_bytes, sdk_bytes] = results.stripped_bytes;
    let bytes = |value: u64| (value as f64, format!("{value} B ({:.2} MB)", value as f64 / 1e6));
    let starts = |program: usize| {
        let value = median(&results.starts_ms[program]);
        (value, format!("{value:.2} ms"))
    };
    let mut rows = vec![
        Row::ratio(
            &format!("Median latency (N={n}; median of {rounds} rounds)"),
            micros(results.median_latency(0)),
            micros(results.median_latency(1)),
            0.5,
        ),
        Row::ratio(
            &format!("p99 latency (N={n}; median of {rounds} rounds)"),
            micros(results.p99_latency(0)),
            micros(results.p99_latency(1)),
            0.8,
        ),
        Row::ratio(
            "Peak RSS (max over rounds)",
            mib(results.peak_rss(0)),
            mib(results.peak_rss(1)),
            0.5,
        ),
        Row::ratio("Stripped binary", bytes(ours_bytes), bytes(sdk_bytes), 0.33),
    ];
    rows.push(match results.cold_build_seconds {
        Some([ours, sdk]) => Row::ratio(
            "Cold release build",
            (ours, format!("{ours:.1} s")),
            (sdk, format!("{sdk:.1} s")),
            0.33,
        ),
        None => Row::missing("Cold release build", "not measured (run with --cold-builds)", "≤ 0.33"),
    });
    rows.push(Row::ratio(
        &format!("Start to first response (N=1; median of {})", results.options.starts),
        starts(0),
        starts(1),
        0.5,
    ));
    rows.push(Row::ratio(
        "Dependency crates (normal + build)",
        (ours_deps as f64, ours_deps.to_string()),
        (sdk_deps as f64, sdk_deps.to_string()),
        0.8,
    ));
    rows.push(match &results.cli {
        Some(cli) => {
            let figures = |times: &[f64], rss: &[f64]| {
                let time = median(times);
                (time, format!("{time:.1} ms, {:.1} MiB", max(rss)))
            };
            let mut row = Row::ratio(
                &format!(
                    "CLI whole process, ours vs AWS CLI ({}; median wall, max RSS)",
                    cli.aws_version
                ),
                figures(&cli.ours_ms, &cli.ours_rss_mib),
                figures(&cli.aws_ms, &cli.aws_rss_mib),
                0.05,
            );
            let rss_ratio = max(&cli.ours_rss_mib) / max(&cli.aws_rss_mib);
            row.ratio = format!("{} (RSS {})", row.ratio, format_ratio(rss_ratio));
            row
        }
        None => Row::missing(
            "CLI whole process, ours vs AWS CLI",
            "not measured (--cli-runs 0)",
            "≤ 0.05",
        ),
    });
    let mut reqwest = Row::ratio(
        "Median latency, ours / plain reqwest (Official column: reqwest)",
        micros(results.median_latency(0)),
        micros(results.median_latency(2)),
        1.5,
    );
    reqwest.official = format!("{} (reqwest)", reqwest.official);
    rows.push(reqwest);
    rows.push(match &results.codegen_ms {
        Ok(ms) => Row {
            measure: "Codegen of the published App Runner model (median of 5)".to_owned(),
            ours: format!("{ms:.0} ms"),
            official: "—".to_owned(),
            ratio: "—".to_owned(),
            target: "< 1 s".to_owned(),
            met: if *ms < 1000.0 { "yes" } else { "no" }.to_owned(),
        },
        Err(why) => Row::missing("Codegen of the published App Runner model", why, "< 1 s"),
    });

    let _ = writeln!(
        out,
        "| Measure | Ours | Official | Ratio (ours/official) | Target | Met? |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|:---:|");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.measure, row.ours, row.official, row.ratio, row.target, row.met
        );
    }
    let _ = writeln!(
        out,
        "\nLatency is per CreateService call on one keep-alive connection to the local stub server \
         (input built, serialized, signed, sent, response parsed). \"Met?\" compares the unrounded \
         ratio with the target; for the CLI row the target applies to wall time.\n"
    );
}

fn rounds_table(out: &mut String, results: &Results) {
    let _ = writeln!(out, "## Latency runs\n");
    let _ = writeln!(
        out,
        "| Round | Place | Program | median µs | p99 µs | min µs | max µs | wall s | peak RSS MiB |"
    );
    let _ = writeln!(out, "|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    for run in &results.rounds {
        let line = &run.run.line;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.1} |",
            run.round,
            run.place,
            results.labels[run.program],
            line.median_us,
            line.p99_us,
            line.min_us,
            line.max_us,
            run.run.wall.as_secs_f64(),
            run.run.rss_mib
        );
    }
    let _ = writeln!(out);
}

fn other_runs_table(out: &mut String, results: &Results) {
    let _ = writeln!(out, "## Other runs (min / median / max)\n");
    let _ = writeln!(out, "| Measure | Program | Runs | min | median | max |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    let mut line = |measure: &str, program: &str, values: &[f64], unit: &str| {
        let least = values.iter().copied().reduce(f64::min).unwrap_or(f64::NAN);
        let _ = writeln!(
            out,
            "| {measure} | {program} | {} | {least:.2} {unit} | {:.2} {unit} | {:.2} {unit} |",
            values.len(),
            median(values),
            max(values)
        );
    };
    for (program, times) in results.starts_ms.iter().enumerate() {
        line("Start to first response", results.labels[program], times, "ms");
    }
    if let Some(cli) = &results.cli {
        line("CLI wall", "ours (apprunner)", &cli.ours_ms, "ms");
        line("CLI wall", &cli.aws_version, &cli.aws_ms, "ms");
        line("CLI peak RSS", "ours (apprunner)", &cli.ours_rss_mib, "MiB");
        line("CLI peak RSS", &cli.aws_version, &cli.aws_rss_mib, "MiB");
    }
}
