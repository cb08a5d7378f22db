//! Smithy `timestamp`: an instant with nanosecond precision, and its three wire formats.

use std::fmt;

/// An instant in time, as seconds and nanoseconds since the Unix epoch (UTC).
///
/// On the awsJson wire a timestamp is, by default, a JSON number of epoch
/// seconds, possibly fractional (`1606502400.123`); that is what its
/// [`WriteJson`](crate::json::WriteJson) and [`ReadJson`](crate::json::ReadJson)
/// use. Members with a `@timestampFormat` trait go through
/// [`TimestampAs`](crate::json::TimestampAs) and
/// [`read_timestamp`](crate::json::read_timestamp) instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
}

/// The wire formats of the Smithy `@timestampFormat` trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch as a JSON number, fractions allowed.
    EpochSeconds,
    /// RFC 3339 text, such as `2020-11-20T19:05:25.123Z`.
    DateTime,
    /// IMF-fixdate (RFC 7231) text, such as `Fri, 20 Nov 2020 19:05:25 GMT`.
    HttpDate,
}

/// Text that is not a timestamp in the expected format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    input: String,
    expected: &'static str,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid timestamp: expected {}",
            self.input, self.expected
        )
    }
}

impl DateTimeParseError {
    /// The format that was expected, in words, without the text that failed.
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

impl std::error::Error for DateTimeParseError {}

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

impl DateTime {
    /// The instant `seconds` whole seconds and `nanos` nanoseconds after the epoch.
    /// `nanos` past one second carry into `seconds`.
    pub fn from_parts(seconds: i64, nanos: u32) -> Self {
        let carry = i64::from(nanos) / NANOS_PER_SECOND;
        Self {
            seconds: seconds.saturating_add(carry),
            nanos: (i64::from(nanos) % NANOS_PER_SECOND) as u32,
        }
    }

    /// The instant a whole number of seconds after the epoch.
    pub fn from_secs(seconds: i64) -> Self {
        Self { seconds, nanos: 0 }
    }

    /// The instant a possibly fractional number of seconds after the epoch;
    /// `None` when `value` is not finite or out of range.
    pub fn from_secs_f64(value: f64) -> Option<Self> {
        if !value.is_finite() || value.abs() > 1.0e17 {
            return None;
        }
        // An f64 holds about 16 significant digits: for present-day instants that is
        // microseconds, so round there rather than keep binary noise as nanoseconds.
        let seconds = value.floor();
        let nanos = ((value - seconds) * 1e6).round() as i64 * 1000;
        Some(Self::from_parts(seconds as i64, 0).plus_nanos(nanos))
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        Self::from(std::time::SystemTime::now())
    }

    fn plus_nanos(self, nanos: i64) -> Self {
        let total =
            i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos) + i128::from(nanos);
        let seconds = total.div_euclid(i128::from(NANOS_PER_SECOND)) as i64;
        let nanos = total.rem_euclid(i128::from(NANOS_PER_SECOND)) as u32;
        Self { seconds, nanos }
    }

    /// Whole seconds since the epoch (rounded down).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`DateTime::secs`].
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float (microsecond precision survives for current dates).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / 1e9
    }

    /// Formats the instant in `format`.
    pub fn fmt(&self, format: TimestampFormat) -> String {
        match format {
            TimestampFormat::EpochSeconds => {
                if self.nanos == 0 {
                    self.seconds.to_string()
                } else {
                    let fraction = format!("{:09}", self.nanos);
                    format!("{}.{}", self.seconds, fraction.trim_end_matches('0'))
                }
            }
            TimestampFormat::DateTime => {
                let (year, month, day, hour, minute, second) = civil_from_epoch(self.seconds);
                let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
                if self.nanos != 0 {
                    let fraction = format!("{:09}", self.nanos);
                    text.push('.');
                    text.push_str(fraction.trim_end_matches('0'));
                }
                text.push('Z');
                text
            }
            TimestampFormat::HttpDate => {
                let (year, month, day, hour, minute, second) = civil_from_epoch(self.seconds);
                let weekday = WEEKDAYS[self.seconds.div_euclid(86_400).rem_euclid(7) as usize];
                format!(
                    "{weekday}, {day:02} {} {year:04} {hour:02}:{minute:02}:{second:02} GMT",
                    MONTHS[(month - 1) as usize]
                )
            }
        }
    }

    /// The instant as ISO 8601 "basic" UTC text without fractional seconds,
    /// `YYYYMMDDTHHMMSSZ` (the form SigV4 dates requests by). Years outside
    /// 0000–9999 are written with as many digits as they need.
    pub fn to_basic_iso8601(&self) -> String {
        let (year, month, day, hour, minute, second) = civil_from_epoch(self.seconds);
        let mut text = String::with_capacity(16);
        match u32::try_from(year) {
            Ok(year) if year <= 9999 => push_digits(&mut text, year, 4),
            _ => text.push_str(&year.to_string()),
        }
        push_digits(&mut text, month, 2);
        push_digits(&mut text, day, 2);
        text.push('T');
        push_digits(&mut text, hour, 2);
        push_digits(&mut text, minute, 2);
        push_digits(&mut text, second, 2);
        text.push('Z');
        text
    }

    /// Parses text in `format` (epoch seconds may be given as text too).
    pub fn parse(text: &str, format: TimestampFormat) -> Result<Self, DateTimeParseError> {
        let parsed = match format {
            TimestampFormat::EpochSeconds => parse_epoch_text(text.trim()),
            TimestampFormat::DateTime => parse_rfc3339(text.trim()),
            TimestampFormat::HttpDate => parse_http_date(text.trim()),
        };
        parsed.ok_or_else(|| DateTimeParseError {
            input: text.to_owned(),
            expected: match format {
                TimestampFormat::EpochSeconds => "seconds since the epoch, such as 1606502400.5",
                TimestampFormat::DateTime => "an RFC 3339 date-time, such as 2020-11-27T19:05:25Z",
                TimestampFormat::HttpDate => "an HTTP date, such as Fri, 27 Nov 2020 19:05:25 GMT",
            },
        })
    }
}

impl From<std::time::SystemTime> for DateTime {
    fn from(time: std::time::SystemTime) -> Self {
        match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => Self::from_parts(after.as_secs() as i64, after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                Self::from_secs(-(before.as_secs() as i64)).plus_nanos(-i64::from(before.subsec_nanos()))
            }
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&DateTime::fmt(self, TimestampFormat::DateTime))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_epoch(seconds: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        (in_day / 3600) as u32,
        (in_day % 3600 / 60) as u32,
        (in_day % 60) as u32,
    )
}

/// Appends the last `width` decimal digits of `value`, zero-padded.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn from_civil(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<DateTime> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // A leap second (60) is folded into the next second, as most systems do.
    let seconds = days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(DateTime::from_secs(seconds))
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_rfc3339(text: &str) -> Option<DateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let year = i64::from(digits(&text[0..4])?);
    let base = from_civil(
        year,
        digits(&text[5..7])?,
        digits(&text[8..10])?,
        digits(&text[11..13])?,
        digits(&text[14..16])?,
        digits(&text[17..19])?,
    )?;
    let mut rest = &text[19..];
    let mut nanos = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction.find(|c: char| !c.is_ascii_digit()).unwrap_or(fraction.len());
        if end == 0 {
            return None;
        }
        let kept = &fraction[..end.min(9)];
        nanos = i64::from(digits(kept)?) * 10i64.pow(9 - kept.len() as u32);
        rest = &fraction[end..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' && matches!(rest.as_bytes()[0], b'+' | b'-') => {
            let magnitude = i64::from(digits(&rest[1..3])? * 3600 + digits(&rest[4..6])? * 60);
            if rest.starts_with('-') { -magnitude } else { magnitude }
        }
        _ => return None,
    };
    Some(DateTime::from_secs(base.seconds - offset_seconds).plus_nanos(nanos))
}

fn parse_epoch_text(text: &str) -> Option<DateTime> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let negative = whole.starts_with('-');
    let seconds: i64 = whole.parse().ok()?;
    if fraction.is_empty() {
        return Some(DateTime::from_secs(seconds));
    }
    let kept = &fraction[..fraction.len().min(9)];
    let nanos = i64::from(digits(kept)?) * 10i64.pow(9 - kept.len() as u32);
    Some(DateTime::from_secs(seconds).plus_nanos(if negative { -nanos } else { nanos }))
}

fn parse_http_date(text: &str) -> Option<DateTime> {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT", seconds possibly fractional.
    let fields: Vec<&str> = text.split_ascii_whitespace().collect();
    let [weekday, day, month_name, year, clock, zone] = fields.as_slice() else {
        return None;
    };
    if !WEEKDAYS.contains(&weekday.strip_suffix(',')?) || *zone != "GMT" {
        return None;
    }
    let month = MONTHS.iter().position(|m| m == month_name)? as u32 + 1;
    let mut clock = clock.splitn(3, ':');
    let (hour, minute, seconds_text) = (digits(clock.next()?)?, digits(clock.next()?)?, clock.next()?);
    let (whole, nanos) = match seconds_text.split_once('.') {
        Some((whole, fraction)) => {
            let kept = &fraction[..fraction.len().min(9)];
            (
                digits(whole)?,
                i64::from(digits(kept)?) * 10i64.pow(9 - kept.len() as u32),
            )
        }
        None => (digits(seconds_text)?, 0),
    };
    Some(from_civil(i64::from(digits(year)?), month, digits(day)?, hour, minute, whole)?.plus_nanos(nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let instant = DateTime::from_parts(1_606_502_725, 123_000_000);
        assert_eq!(instant.fmt(TimestampFormat::DateTime), "2020-11-27T18:45:25.123Z");
        assert_eq!(instant.fmt(TimestampFormat::EpochSeconds), "1606502725.123");
        assert_eq!(instant.fmt(TimestampFormat::HttpDate), "Fri, 27 Nov 2020 18:45:25 GMT");
        for format in [TimestampFormat::DateTime, TimestampFormat::EpochSeconds] {
            assert_eq!(
                DateTime::parse(&instant.fmt(format), format).unwrap(),
                instant,
                "{format:?}"
            );
        }
        // IMF-fixdate has whole seconds only.
        let http = DateTime::parse(&instant.fmt(TimestampFormat::HttpDate), TimestampFormat::HttpDate).unwrap();
        assert_eq!(http, DateTime::from_secs(1_606_502_725));
    }

    #[test]
    fn basic_iso8601_has_no_separators_or_fraction() {
        let instant = DateTime::from_parts(1_606_502_725, 123_000_000);
        assert_eq!(instant.to_basic_iso8601(), "20201127T184525Z");
        assert_eq!(DateTime::from_secs(0).to_basic_iso8601(), "19700101T000000Z");
        // The last second of 9999, then a five-digit year.
        assert_eq!(
            DateTime::from_secs(253_402_300_799).to_basic_iso8601(),
            "99991231T235959Z"
        );
        assert_eq!(
            DateTime::from_secs(253_402_300_800).to_basic_iso8601(),
            "100000101T000000Z"
        );
    }

    #[test]
    fn parses_offsets_and_rejects_garbage() {
        let utc = DateTime::parse("2020-11-27T18:45:25Z", TimestampFormat::DateTime).unwrap();
        let offset = DateTime::parse("2020-11-27T20:45:25+02:00", TimestampFormat::DateTime).unwrap();
        assert_eq!(utc, offset);
        assert!(DateTime::parse("2020-02-30T00:00:00Z", TimestampFormat::DateTime).is_err());
        assert!(DateTime::parse("yesterday", TimestampFormat::DateTime).is_err());
        assert!(DateTime::parse("Fri, 27 Nov 2020 18:45:25 UTC", TimestampFormat::HttpDate).is_err());
    }

    #[test]
    fn wire_form_is_epoch_seconds() {
        let instant: DateTime = crate::json::from_slice(b"1606502725.5").unwrap();
        assert_eq!(instant, DateTime::from_parts(1_606_502_725, 500_000_000));
        assert_eq!(crate::json::to_vec(&DateTime::from_secs(12)).unwrap(), b"12");
        let before_epoch = DateTime::from_secs_f64(-1.5).unwrap();
        assert_eq!((before_epoch.secs(), before_epoch.subsec_nanos()), (-2, 500_000_000));
        assert!(crate::json::from_slice::<DateTime>(b"\"soon\"").is_err());
    }
}
