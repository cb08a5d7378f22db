//! A description of the machine the figures come from.

use crate::child::{Output, run_measured};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The report header's facts; any that cannot be read say "unknown".
#[derive(Debug)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory: String,
    pub kernel: String,
    pub rustc: String,
    pub load: String,
    pub date: String,
}

impl Machine {
    pub fn describe() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let cores = cpuinfo
            .lines()
            .filter(|line| line.split(':').next().is_some_and(|name| name.trim() == "processor"))
            .count();
        let memory = proc_kib(&meminfo, "MemTotal").map_or_else(
            || "unknown".to_owned(),
            |kib| format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0),
        );
        Self {
            cpu: proc_field(&cpuinfo, "model name").unwrap_or("unknown").to_owned(),
            cores: if cores > 0 {
                cores
            } else {
                std::thread::available_parallelism().map_or(0, usize::from)
            },
            memory,
            kernel: first_line_of(Command::new("uname").arg("-r")),
            rustc: first_line_of(Command::new("rustc").arg("-V")),
            load: std::fs::read_to_string("/proc/loadavg")
                .ok()
                .and_then(|text| text.split_whitespace().next().map(str::to_owned))
                .unwrap_or_else(|| "unknown".to_owned()),
            date: utc_now(),
        }
    }
}

/// The value of the first `key: value` line of a `/proc` text (`/proc/cpuinfo`,
/// `/proc/meminfo`, `/proc/PID/status`), trimmed.
pub fn proc_field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim() == key)
        .map(|(_, value)| value.trim())
}

/// A `/proc` field given in kB (`MemTotal:  24683716 kB`), in KiB.
pub fn proc_kib(text: &str, key: &str) -> Option<u64> {
    proc_field(text, key)?.strip_suffix("kB")?.trim().parse().ok()
}

/// The first line a command prints, or "unknown".
fn first_line_of(command: &mut Command) -> String {
    run_measured(command, Output::Capture)
        .ok()
        .filter(|measured| measured.succeeded())
        .and_then(|measured| measured.stdout.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The current time as `YYYY-MM-DD HH:MM UTC`.
fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    let minute_of_day = seconds % 86_400 / 60;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, proc_field, proc_kib};

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_784), (2026, 11, 27));
    }

    #[test]
    fn reads_proc_fields() {
        let status = "Name:\tcompare\nVmHWM:\t    2464 kB\nVmRSS:\t 2400 kB\nmodel name\t: AMD EPYC\n";
        assert_eq!(proc_kib(status, "VmHWM"), Some(2464));
        assert_eq!(proc_field(status, "model name"), Some("AMD EPYC"));
        assert_eq!(proc_kib("VmHWM:\t lots\n", "VmHWM"), None);
        assert_eq!(proc_kib(status, "VmPeak"), None);
        assert_eq!(proc_kib(status, "Name"), None);
    }
}
