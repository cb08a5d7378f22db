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
    pub dependencies: [usize; 3],
    pub stripped_bytes: [u64; 3],
    /// Per program, the seconds of each cold-build round.
    pub cold_build_seconds: Option<Vec<Vec<f64>>>,
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

    /// Median over rounds of the process's CPU time per call, in µs.
    fn cpu_per_call(&self, program: usize) -> f64 {
        median(&self.per_round(program, |run| run.run.cpu_us_per_call()))
    }

    fn peak_rss(&self, program: usize) -> f64 {
        max(&self.per_round(program, |run| run.run.rss_mib))
    }

    /// Median start-to-first-response milliseconds of `program`.
    fn median_start(&self, program: usize) -> f64 {
        self.starts_ms.get(program).map_or(f64::NAN, |times| median(times))
    }

    /// The figures measured for each of the three programs, in main-table order.
    fn program_measures(&self) -> Vec<ProgramMeasure> {
        let n = self.options.n;
        let rounds = self.options.rounds;
        let each = |figure: &dyn Fn(usize) -> f64| Ok([figure(0), figure(1), figure(2)]);
        vec![
            ProgramMeasure {
                name: format!("Median latency (N={n}; median of {rounds} rounds)"),
                unit: Unit::Micros,
                values: each(&|program| self.median_latency(program)),
                limit: Some(0.5),
            },
            ProgramMeasure {
                name: format!("p99 latency (N={n}; median of {rounds} rounds)"),
                unit: Unit::Micros,
                values: each(&|program| self.p99_latency(program)),
                limit: Some(0.8),
            },
            ProgramMeasure {
                name: format!("CPU time per call (user + system over N={n}; median of {rounds} rounds)"),
                unit: Unit::Micros,
                values: each(&|program| self.cpu_per_call(program)),
                limit: None,
            },
            ProgramMeasure {
                name: "Peak RSS (max over rounds)".to_owned(),
                unit: Unit::Mib,
                values: each(&|program| self.peak_rss(program)),
                limit: Some(0.5),
            },
            ProgramMeasure {
                name: "Stripped binary".to_owned(),
                unit: Unit::Bytes,
                values: Ok(self.stripped_bytes.map(|bytes| bytes as f64)),
                limit: Some(0.33),
            },
            ProgramMeasure {
                name: match &self.cold_build_seconds {
                    Some(seconds) => format!(
                        "Cold release build (median of {} rounds)",
                        seconds.first().map_or(0, Vec::len)
                    ),
                    None => "Cold release build".to_owned(),
                },
                unit: Unit::Seconds,
                values: match &self.cold_build_seconds {
                    Some(seconds) => each(&|program| seconds.get(program).map_or(f64::NAN, |runs| median(runs))),
                    None => Err("not measured (run with --cold-builds)"),
                },
                limit: Some(0.33),
            },
            ProgramMeasure {
                name: format!("Start to first response (N=1; median of {})", self.options.starts),
                unit: Unit::Millis,
                values: each(&|program| self.median_start(program)),
                limit: Some(0.5),
            },
            ProgramMeasure {
                name: "Dependency crates (normal + build)".to_owned(),
                unit: Unit::Count,
                values: Ok(self.dependencies.map(|count| count as f64)),
                limit: Some(0.8),
            },
        ]
    }
}

/// One figure of ours, the official SDK's and the plain reqwest program.
struct ProgramMeasure {
    /// As the tables name it.
    name: String,
    unit: Unit,
    /// Indexed like [`crate::measure::programs`]; `Err` says why it was not measured.
    values: Result<[f64; 3], &'static str>,
    /// The target for ours/official, at most this; `None` for a figure shown for
    /// context, without a target.
    limit: Option<f64>,
}

/// How a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Micros,
    Millis,
    Seconds,
    Mib,
    Bytes,
    Count,
}

impl Unit {
    /// `value` with its unit, or "—" if it is not a number.
    fn show(self, value: f64) -> String {
        if !value.is_finite() {
            return "—".to_owned();
        }
        match self {
            Self::Micros => format!("{value:.0} µs"),
            Self::Millis => format!("{value:.2} ms"),
            Self::Seconds => format!("{value:.1} s"),
            Self::Mib => format!("{value:.1} MiB"),
            Self::Bytes => format!("{value:.0} B ({:.2} MB)", value / 1e6),
            Self::Count => format!("{value:.0}"),
        }
    }

    /// `total − floor`, signed, with the share of `total` it is when it is not
    /// negative: "+57 µs (40%)", "−6.29 ms". Sizes are shown in MB only.
    fn show_addition(self, total: f64, floor: f64) -> String {
        let added = total - floor;
        if !added.is_finite() {
            return "—".to_owned();
        }
        let size = match self {
            Self::Bytes => format!("{:.2} MB", added.abs() / 1e6),
            _ => self.show(added.abs()),
        };
        if added < 0.0 {
            // Below the floor: there is no share of the figure to speak of.
            return format!("−{size}");
        }
        let mut text = format!("+{size}");
        if total > 0.0 {
            let _ = write!(text, " ({:.0}%)", added / total * 100.0);
        }
        text
    }
}

/// One line of the main table.
struct Row {
    measure: String,
    ours: String,
    official: String,
    /// The plain reqwest program's figure, or "—" where it does not apply.
    floor: String,
    ratio: String,
    target: String,
    met: String,
}

impl Row {
    /// A row whose target is "ratio ≤ `limit`", or which has no target.
    fn ratio(measure: &str, ours: (f64, String), official: (f64, String), limit: Option<f64>) -> Self {
        let ratio = ours.0 / official.0;
        let met = match limit {
            None => "—",
            Some(_) if !ratio.is_finite() => "—",
            Some(limit) if ratio <= limit => "yes",
            Some(_) => "no",
        };
        Self {
            measure: measure.to_owned(),
            ours: ours.1,
            official: official.1,
            floor: "—".to_owned(),
            ratio: format_ratio(ratio, limit),
            target: target_text(limit),
            met: met.to_owned(),
        }
    }

    /// A row without figures, saying why.
    fn missing(measure: &str, why: &str, target: &str) -> Self {
        Self {
            measure: measure.to_owned(),
            ours: why.to_owned(),
            official: why.to_owned(),
            floor: "—".to_owned(),
            ratio: "—".to_owned(),
            target: target.to_owned(),
            met: "—".to_owned(),
        }
    }
}

impl Row {
    /// The row of `measure`: ours and the official figure judged against its
    /// target, with the floor beside them.
    fn program(measure: &ProgramMeasure) -> Self {
        let target = target_text(measure.limit);
        match measure.values {
            Ok([ours, official, floor]) => {
                let show = |value: f64| (value, measure.unit.show(value));
                let mut row = Self::ratio(&measure.name, show(ours), show(official), measure.limit);
                row.floor = measure.unit.show(floor);
                // A miss that the floor shares is a miss of the HTTP/TLS stack every
                // program is built on, on this machine: say so beside the "no".
                let floor_ratio = floor / official;
                if let Some(limit) = measure.limit
                    && ours / official > limit
                    && floor_ratio > limit
                {
                    row.met = format!("no (floor alone {})", format_ratio(floor_ratio, Some(limit)));
                }
                row
            }
            Err(why) => {
                let mut row = Self::missing(&measure.name, why, &target);
                row.floor = why.to_owned();
                row
            }
        }
    }
}

/// "≤ 0.5", or "—" for a figure without a target.
fn target_text(limit: Option<f64>) -> String {
    limit.map_or_else(|| "—".to_owned(), |limit| format!("≤ {limit}"))
}

/// The ratio with two decimals, or three when it is below 0.1 or when two would
/// show it equal to its target (0.3347 against 0.33 is shown as 0.335).
fn format_ratio(ratio: f64, limit: Option<f64>) -> String {
    let two = format!("{ratio:.2}");
    if !ratio.is_finite() {
        "—".to_owned()
    } else if ratio < 0.1 || limit.is_some_and(|limit| ratio != limit && two == format!("{limit:.2}")) {
        format!("{ratio:.3}")
    } else {
        two
    }
}

/// The whole report.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    header(&mut out, results);
    main_table(&mut out, results);
    additions_table(&mut out, results);
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
        "- Settings: {} rounds of N={} requests, {} start runs, {} CLI runs, {}\n",
        options.rounds,
        options.n,
        options.starts,
        options.cli_runs,
        if options.cold_builds {
            format!("{} cold-build rounds", options.cold_rounds)
        } else {
            "cold builds not measured".to_owned()
        }
    );
}

fn main_table(out: &mut String, results: &Results) {
    let mut rows: Vec<Row> = results.program_measures().iter().map(Row::program).collect();
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
                Some(0.05),
            );
            let rss_ratio = max(&cli.ours_rss_mib) / max(&cli.aws_rss_mib);
            row.ratio = format!("{} (RSS {})", row.ratio, format_ratio(rss_ratio, None));
            row
        }
        None => Row::missing(
            "CLI whole process, ours vs AWS CLI",
            "not measured (--cli-runs 0)",
            "≤ 0.05",
        ),
    });
    let latency = |program: usize| {
        let value = results.median_latency(program);
        (value, Unit::Micros.show(value))
    };
    let mut reqwest = Row::ratio(
        "Median latency, ours / plain reqwest (this row's ratio: ours/floor)",
        latency(0),
        latency(2),
        Some(1.5),
    );
    // This row compares with the floor, so its second figure belongs in the floor column.
    reqwest.floor = std::mem::replace(&mut reqwest.official, "—".to_owned());
    rows.push(reqwest);
    rows.push(match &results.codegen_ms {
        Ok(ms) => Row {
            measure: "Codegen of the published App Runner model (median of 5)".to_owned(),
            ours: format!("{ms:.0} ms"),
            official: "—".to_owned(),
            floor: "—".to_owned(),
            ratio: "—".to_owned(),
            target: "< 1 s".to_owned(),
            met: if *ms < 1000.0 { "yes" } else { "no" }.to_owned(),
        },
        Err(why) => Row::missing("Codegen of the published App Runner model", why, "< 1 s"),
    });

    let _ = writeln!(
        out,
        "| Measure | Ours | Official | Plain reqwest (floor) | Ratio (ours/official) | Target | Met? |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|:---:|");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.measure, row.ours, row.official, row.floor, row.ratio, row.target, row.met
        );
    }
    let _ = writeln!(
        out,
        "\nLatency is per CreateService call on one keep-alive connection to the local stub server \
         (input built, serialized, signed, sent, response parsed). The floor is the plain reqwest \
         program: the same bytes through the same reqwest and rustls settings, with no SDK and no \
         signing work. \"Met?\" compares the unrounded ratio with the target; for the CLI row the \
         target applies to wall time. \"Floor alone\" beside a \"no\" gives the floor's own ratio \
         to the official figure when that too is above the target: on this machine the HTTP/TLS stack \
         alone misses it. CPU time per call is the process's user and system time over \
         N calls, start-up included; it has no target, and unlike latency it leaves out the time a \
         call waits for an idle CPU to wake.\n"
    );
}

/// Each client's figure minus the floor's: what its own layer costs above the
/// HTTP/TLS stack every program pays for.
fn additions_table(out: &mut String, results: &Results) {
    let _ = writeln!(
        out,
        "## What each client adds on top of the HTTP/TLS stack
"
    );
    let _ = writeln!(
        out,
        "| Measure | Plain reqwest (floor) | Ours − floor | Official − floor |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for measure in results.program_measures() {
        let (floor, ours, official) = match measure.values {
            Ok([ours, official, floor]) => (
                measure.unit.show(floor),
                measure.unit.show_addition(ours, floor),
                measure.unit.show_addition(official, floor),
            ),
            Err(why) => (why.to_owned(), "—".to_owned(), "—".to_owned()),
        };
        let _ = writeln!(out, "| {} | {floor} | {ours} | {official} |", measure.name);
    }
    let _ = writeln!(
        out,
        "\nIn brackets: the share of that client's own figure which its layer accounts for; \
         the rest is the floor. A figure below zero means the client did better than the floor.\n"
    );
}

fn rounds_table(out: &mut String, results: &Results) {
    let _ = writeln!(out, "## Latency runs\n");
    let _ = writeln!(
        out,
        "| Round | Place | Program | median µs | p99 µs | min µs | max µs | wall s | CPU µs per call | peak RSS MiB |"
    );
    let _ = writeln!(out, "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for run in &results.rounds {
        let line = &run.run.line;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.0} | {:.1} |",
            run.round,
            run.place,
            results.labels[run.program],
            line.median_us,
            line.p99_us,
            line.min_us,
            line.max_us,
            run.run.wall.as_secs_f64(),
            run.run.cpu_us_per_call(),
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
    // The main table takes the largest; the spread shows how much of it is chance.
    for (program, label) in results.labels.iter().enumerate() {
        line(
            "Peak RSS of a latency run",
            label,
            &results.per_round(program, |run| run.run.rss_mib),
            "MiB",
        );
    }
    if let Some(seconds) = &results.cold_build_seconds {
        for (program, runs) in seconds.iter().enumerate() {
            line("Cold release build", results.labels[program], runs, "s");
        }
    }
    if let Some(cli) = &results.cli {
        line("CLI wall", "ours (apprunner)", &cli.ours_ms, "ms");
        line("CLI wall", &cli.aws_version, &cli.aws_ms, "ms");
        line("CLI peak RSS", "ours (apprunner)", &cli.ours_rss_mib, "MiB");
        line("CLI peak RSS", &cli.aws_version, &cli.aws_rss_mib, "MiB");
    }
}

#[cfg(test)]
mod tests {
    use super::{ProgramMeasure, Row, Unit, format_ratio};

    fn latency_row(ours: f64, official: f64, floor: f64) -> Row {
        Row::program(&ProgramMeasure {
            name: "Median latency".to_owned(),
            unit: Unit::Micros,
            values: Ok([ours, official, floor]),
            limit: Some(0.5),
        })
    }

    #[test]
    fn a_miss_the_floor_shares_names_the_floor_ratio() {
        assert_eq!(latency_row(218.0, 346.0, 177.0).met, "no (floor alone 0.51)");
        assert_eq!(latency_row(200.0, 346.0, 100.0).met, "no");
        assert_eq!(latency_row(160.0, 346.0, 150.0).met, "yes");
        assert_eq!(latency_row(218.0, f64::NAN, 177.0).met, "—");
    }

    #[test]
    fn ratios_next_to_their_target_get_a_third_decimal() {
        assert_eq!(format_ratio(0.3347, Some(0.33)), "0.335");
        assert_eq!(format_ratio(0.3261, Some(0.33)), "0.326");
        assert_eq!(format_ratio(0.33, Some(0.33)), "0.33");
        assert_eq!(format_ratio(0.4211, Some(0.5)), "0.42");
        assert_eq!(format_ratio(0.4981, Some(0.5)), "0.498");
        assert_eq!(format_ratio(0.0061, Some(0.05)), "0.006");
        assert_eq!(format_ratio(0.3347, None), "0.33");
        assert_eq!(format_ratio(f64::NAN, Some(0.5)), "—");
    }

    #[test]
    fn additions_are_signed_with_their_share() {
        assert_eq!(Unit::Micros.show_addition(140.0, 84.0), "+56 µs (40%)");
        assert_eq!(Unit::Count.show_addition(90.0, 100.0), "−10");
        assert_eq!(Unit::Bytes.show_addition(3_000_000.0, 1_000_000.0), "+2.00 MB (67%)");
        assert_eq!(Unit::Seconds.show_addition(f64::NAN, 1.0), "—");
        assert_eq!(Unit::Mib.show_addition(0.0, 0.0), "+0.0 MiB");
    }
}
