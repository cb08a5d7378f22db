//! Access to environment variables and the home directory, real or simulated.
//!
//! All configuration and credential code reads the process environment through
//! [`Env`], never through `std::env` directly, so tests can describe an
//! environment in memory (edition 2024 makes `std::env::set_var` unsafe, and the
//! workspace forbids unsafe code).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::map::SortedMap;

/// Where configuration reads environment variables and the home directory from.
///
/// [`Env::real`] reads the running process; [`Env::from_vars`] is an in-memory
/// map for tests and for callers that want full control. Cloning is cheap.
///
/// `Debug` lists variable names only, never values (some of them are secrets).
#[derive(Clone)]
pub struct Env {
    inner: Arc<Source>,
}

enum Source {
    Real,
    Fake {
        vars: SortedMap<String, String>,
        home: Option<PathBuf>,
    },
}

impl Env {
    /// The environment of the running process.
    pub fn real() -> Env {
        Env {
            inner: Arc::new(Source::Real),
        }
    }

    /// An in-memory environment holding exactly `vars` and nothing else.
    ///
    /// The home directory is the `HOME` entry (or `USERPROFILE`), if any; see
    /// [`Env::with_home`] to set it explicitly.
    pub fn from_vars<I, K, V>(vars: I) -> Env
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars = vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Env {
            inner: Arc::new(Source::Fake { vars, home: None }),
        }
    }

    /// This environment with `name` set to `value`.
    ///
    /// On [`Env::real`] this turns the environment into an in-memory snapshot of
    /// the process environment plus the change; the process itself is never modified.
    pub fn with_var(self, name: impl Into<String>, value: impl Into<String>) -> Env {
        let (mut vars, home) = self.snapshot();
        vars.insert(name.into(), value.into());
        Env {
            inner: Arc::new(Source::Fake { vars, home }),
        }
    }

    /// This environment with its home directory (where `~/.aws` lives) set to `path`.
    ///
    /// Like [`Env::with_var`], on [`Env::real`] this makes an in-memory snapshot.
    pub fn with_home(self, path: impl Into<PathBuf>) -> Env {
        let (vars, _) = self.snapshot();
        Env {
            inner: Arc::new(Source::Fake {
                vars,
                home: Some(path.into()),
            }),
        }
    }

    fn snapshot(self) -> (SortedMap<String, String>, Option<PathBuf>) {
        match &*self.inner {
            Source::Real => (std::env::vars().collect(), real_home_dir()),
            Source::Fake { vars, home } => (vars.clone(), home.clone()),
        }
    }

    /// The value of the variable `name`; `None` when it is unset, empty or only
    /// whitespace, or not valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &*self.inner {
            Source::Real => std::env::var(name).ok(),
            Source::Fake { vars, .. } => vars.get(name).cloned(),
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// The user's home directory, if it can be determined.
    pub fn home_dir(&self) -> Option<PathBuf> {
        match &*self.inner {
            Source::Real => real_home_dir(),
            Source::Fake { vars, home } => home.clone().or_else(|| {
                ["HOME", "USERPROFILE"]
                    .iter()
                    .find_map(|name| vars.get(*name).filter(|v| !v.is_empty()).map(PathBuf::from))
            }),
        }
    }

    /// Variables whose names start with `prefix`, with non-empty values.
    pub(crate) fn vars_with_prefix(&self, prefix: &str) -> Vec<(String, String)> {
        let all: Vec<(String, String)> = match &*self.inner {
            Source::Real => std::env::vars().collect(),
            Source::Fake { vars, .. } => vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        };
        all.into_iter()
            .filter(|(k, v)| k.starts_with(prefix) && !v.trim().is_empty())
            .collect()
    }

    /// The variables to add to a child process's environment: none for the real
    /// environment (the child inherits it), all of them for an in-memory one.
    pub(crate) fn child_overlay(&self) -> Vec<(String, String)> {
        match &*self.inner {
            Source::Real => Vec::new(),
            Source::Fake { vars, .. } => vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }

    /// `path` with a leading `~` replaced by the home directory; `None` when the
    /// path needs the home directory and it is unknown.
    pub(crate) fn expand_home(&self, path: &str) -> Option<PathBuf> {
        let rest = if path == "~" {
            Some("")
        } else {
            path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\"))
        };
        match rest {
            Some(rest) => self.home_dir().map(|home| home.join(rest)),
            None => Some(PathBuf::from(path)),
        }
    }
}

fn real_home_dir() -> Option<PathBuf> {
    let from_var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if cfg!(windows) {
        from_var("USERPROFILE").or_else(|| {
            let drive = std::env::var_os("HOMEDRIVE")?;
            let path = std::env::var_os("HOMEPATH")?;
            let mut joined = PathBuf::from(drive);
            joined.push(path);
            Some(joined)
        })
    } else {
        from_var("HOME")
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.inner {
            Source::Real => f.write_str("Env::real"),
            Source::Fake { vars, home } => f
                .debug_struct("Env")
                .field("var_names", &vars.keys().collect::<Vec<_>>())
                .field("home", home)
                .finish(),
        }
    }
}

impl Default for Env {
    fn default() -> Self {
        Env::real()
    }
}

/// Parses the usual spellings of a boolean setting (`true`/`false`, any case).
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_env_reads_only_its_map() {
        let env = Env::from_vars([("AWS_REGION", "eu-west-1"), ("EMPTY", "  ")]);
        assert_eq!(env.get("AWS_REGION").as_deref(), Some("eu-west-1"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("PATH"), None);
        assert_eq!(env.home_dir(), None);
    }

    #[test]
    fn home_comes_from_map_or_override() {
        let env = Env::from_vars([("HOME", "/home/a")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/home/a")));
        let env = env.with_home("/home/b");
        assert_eq!(env.home_dir(), Some(PathBuf::from("/home/b")));
        assert_eq!(
            env.expand_home("~/.aws/config"),
            Some(PathBuf::from("/home/b").join(".aws/config"))
        );
        assert_eq!(env.expand_home("/etc/x"), Some(PathBuf::from("/etc/x")));
        assert_eq!(Env::from_vars::<[(&str, &str); 0], _, _>([]).expand_home("~/x"), None);
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "very-secret-value")]);
        let text = format!("{env:?}");
        assert!(text.contains("AWS_SECRET_ACCESS_KEY"));
        assert!(!text.contains("very-secret-value"));
    }

    #[test]
    fn bools() {
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool(" false "), Some(false));
        assert_eq!(parse_bool("1"), None);
        assert_eq!(parse_bool("maybe"), None);
    }
}
