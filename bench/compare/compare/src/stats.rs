//! Reading the programs' result line and summarizing figures.

/// The line every minimal program prints: `n=N median_us=.. p99_us=.. min_us=.. max_us=..`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProgramLine {
    pub n: usize,
    pub median_us: f64,
    pub p99_us: f64,
    pub min_us: f64,
    pub max_us: f64,
}

impl ProgramLine {
    /// Parses the last non-empty line of `stdout`.
    pub fn parse(stdout: &str) -> Result<Self, String> {
        let line = stdout.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("");
        let bad = || format!("expected `n=N median_us=.. p99_us=.. min_us=.. max_us=..`, got {line:?}");
        let mut fields = line.split_whitespace().map(|field| field.split_once('='));
        let mut next = |key: &str| -> Result<f64, String> {
            match fields.next() {
                Some(Some((name, value))) if name == key => value
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(bad),
                _ => Err(bad()),
            }
        };
        let n = next("n")?;
        let parsed = Self {
            n: n as usize,
            median_us: next("median_us")?,
            p99_us: next("p99_us")?,
            min_us: next("min_us")?,
            max_us: next("max_us")?,
        };
        if fields.next().is_some() || n.fract() != 0.0 {
            return Err(bad());
        }
        Ok(parsed)
    }
}

/// The median: the middle value, or the mean of the two middle ones. `NaN` if empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => f64::NAN,
        len if len % 2 == 1 => sorted[middle],
        _ => (sorted[middle - 1] + sorted[middle]) / 2.0,
    }
}

/// The largest value, or `NaN` if empty.
pub fn max(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::max).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_line() {
        let line = ProgramLine::parse("noise\nn=500 median_us=217 p99_us=400 min_us=180 max_us=5206\n").expect("valid");
        assert_eq!(line.n, 500);
        assert_eq!(line.median_us, 217.0);
        assert_eq!(line.max_us, 5206.0);
        for bad in [
            "",
            "n=1",
            "n=1 median_us=2 p99_us=3 min_us=4",
            "n=1 median_us=x p99_us=3 min_us=4 max_us=5",
            "n=1 median_us=2 p99_us=3 min_us=4 max_us=5 extra=6",
            "m=1 median_us=2 p99_us=3 min_us=4 max_us=5",
        ] {
            assert!(ProgramLine::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(max(&[1.0, 5.0, 2.0]), 5.0);
    }
}
