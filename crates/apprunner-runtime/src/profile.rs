//! The shared AWS `config` and `credentials` files and their profiles.
//!
//! The files are found through `AWS_CONFIG_FILE` (default `~/.aws/config`) and
//! `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`). Their syntax:
//!
//! - `[profile NAME]` or `[default]` sections in the config file, `[NAME]`
//!   sections in the credentials file; `[services NAME]` sections (config file
//!   only) hold per-service settings, such as endpoint URLs. Other sections are
//!   ignored. When the config file has both `[default]` and `[profile default]`,
//!   only the latter counts.
//! - `name = value` properties. Property names are case-insensitive. When a
//!   profile appears in both files, values from the credentials file win.
//! - Full-line comments starting with `#` or `;`; inline comments only when the
//!   `#` or `;` follows whitespace (`key = a#b` keeps `a#b`).
//! - Continuation lines: an indented line continues the previous property. When
//!   that property's own value is empty, its continuation lines are
//!   sub-properties (`s3 =` then `  max_concurrent_requests = 10`).
//!
//! A line that fits none of these is an error naming the file and line.

use crate::config::ConfigError;
use crate::env::Env;
use crate::map::SortedMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Property names whose values never appear in `Debug` output.
const SENSITIVE_HINTS: [&str; 5] = ["secret", "token", "password", "credential_process", "session"];

/// One property: its value, sub-properties, and where it was written.
#[derive(Clone)]
struct Property {
    value: String,
    sub: SortedMap<String, String>,
    origin: Origin,
}

/// A file and line, for messages about a property.
#[derive(Clone)]
struct Origin {
    path: Arc<str>,
    line: usize,
}

/// A profile or `[services]` section: named properties, some with sub-properties.
///
/// `Debug` output hides the values of secret-looking properties
/// (`aws_secret_access_key`, `aws_session_token`, `credential_process`, ...).
#[derive(Clone, Default)]
pub struct Profile {
    name: String,
    properties: SortedMap<String, Property>,
}

impl Profile {
    /// The profile's (or services section's) name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of property `key` (case-insensitive), if set. For a property
    /// with continuation lines, the lines are joined with `\n`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(&key.to_ascii_lowercase()).map(|p| p.value.as_str())
    }

    /// The sub-property `sub` of property `key`, as in `key =` followed by
    /// an indented `sub = value` line.
    pub fn sub_property(&self, key: &str, sub: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .and_then(|p| p.sub.get(&sub.to_ascii_lowercase()))
            .map(String::as_str)
    }

    /// The names of all properties, lower-cased, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// Where `key` was set, as `path line N`, for messages.
    pub fn location(&self, key: &str) -> Option<String> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(|p| format!("{} line {}", p.origin.path, p.origin.line))
    }

    fn merge_from(&mut self, other: Profile) {
        self.properties.extend(other.properties);
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Value<'a>(&'a str, &'a Property);
        impl fmt::Debug for Value<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if is_sensitive(self.0) {
                    f.write_str("\"** redacted **\"")
                } else if self.1.sub.is_empty() {
                    fmt::Debug::fmt(&self.1.value, f)
                } else {
                    let mut map = f.debug_map();
                    for (k, v) in self.1.sub.iter() {
                        if is_sensitive(k) {
                            map.entry(k, &"** redacted **");
                        } else {
                            map.entry(k, v);
                        }
                    }
                    map.finish()
                }
            }
        }
        struct Properties<'a>(&'a SortedMap<String, Property>);
        impl fmt::Debug for Properties<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.iter().map(|(key, property)| (key, Value(key, property))))
                    .finish()
            }
        }
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &Properties(&self.properties))
            .finish()
    }
}

fn is_sensitive(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SENSITIVE_HINTS.iter().any(|hint| key.contains(hint))
}

/// Where one of the two shared files was looked for.
#[derive(Clone, Debug)]
struct FileInfo {
    /// The path, or `None` when it depends on an unknown home directory.
    path: Option<PathBuf>,
    /// How the path is shown in messages.
    shown: String,
    found: bool,
}

/// The profiles and `[services]` sections of the shared `config` and
/// `credentials` files, merged.
#[derive(Clone, Debug)]
pub struct ProfileSet {
    profiles: SortedMap<String, Profile>,
    services: SortedMap<String, Profile>,
    config: FileInfo,
    credentials: FileInfo,
}

/// Which of the two shared files a text comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

impl ProfileSet {
    /// Reads the shared files named by `env` (`AWS_CONFIG_FILE`,
    /// `AWS_SHARED_CREDENTIALS_FILE`, or their defaults under the home directory).
    ///
    /// Missing files are not an error (they give an empty set); a file that
    /// exists but cannot be read or has a malformed line is.
    pub fn load(env: &Env) -> Result<ProfileSet, ConfigError> {
        let config = locate(env, "AWS_CONFIG_FILE", "~/.aws/config");
        let credentials = locate(env, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
        let config_text = read_optional(&config)?;
        let credentials_text = read_optional(&credentials)?;
        let mut set = ProfileSet::from_texts(
            config_text.as_deref().map(|t| (t, config.shown.as_str())),
            credentials_text.as_deref().map(|t| (t, credentials.shown.as_str())),
        )?;
        set.config = FileInfo {
            found: config_text.is_some(),
            ..config
        };
        set.credentials = FileInfo {
            found: credentials_text.is_some(),
            ..credentials
        };
        Ok(set)
    }

    /// Parses the texts of a config file and a credentials file (either may be
    /// empty). Error messages call them `config` and `credentials`.
    pub fn parse(config: &str, credentials: &str) -> Result<ProfileSet, ConfigError> {
        let mut set = ProfileSet::from_texts(Some((config, "config")), Some((credentials, "credentials")))?;
        set.config.found = true;
        set.credentials.found = true;
        Ok(set)
    }

    /// A set with no profiles, as when neither file exists.
    pub fn empty() -> ProfileSet {
        let missing = |shown: &str| FileInfo {
            path: None,
            shown: shown.to_owned(),
            found: false,
        };
        ProfileSet {
            profiles: SortedMap::new(),
            services: SortedMap::new(),
            config: missing("~/.aws/config"),
            credentials: missing("~/.aws/credentials"),
        }
    }

    fn from_texts(config: Option<(&str, &str)>, credentials: Option<(&str, &str)>) -> Result<ProfileSet, ConfigError> {
        let mut set = ProfileSet::empty();
        if let Some((text, path)) = config {
            let parsed = parse_file(text, path, FileKind::Config)?;
            set.profiles = parsed.profiles;
            set.services = parsed.services;
        }
        if let Some((text, path)) = credentials {
            let parsed = parse_file(text, path, FileKind::Credentials)?;
            for (name, profile) in parsed.profiles {
                set.profiles
                    .get_or_insert_with(name.clone(), || Profile {
                        name,
                        properties: SortedMap::new(),
                    })
                    .merge_from(profile);
            }
        }
        Ok(set)
    }

    /// The profile `name`, merged from both files.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The names of all profiles, sorted.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The `[services NAME]` section `name` of the config file.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// The config file's path (`None` when the home directory is unknown).
    pub fn config_path(&self) -> Option<&Path> {
        self.config.path.as_deref()
    }

    /// The credentials file's path (`None` when the home directory is unknown).
    pub fn credentials_path(&self) -> Option<&Path> {
        self.credentials.path.as_deref()
    }

    /// Whether the config file was found.
    pub fn config_found(&self) -> bool {
        self.config.found
    }

    /// Whether the credentials file was found.
    pub fn credentials_found(&self) -> bool {
        self.credentials.found
    }

    /// Both files, as shown in messages: `A and B`.
    pub(crate) fn files_shown(&self) -> String {
        format!("{} and {}", self.credentials.shown, self.config.shown)
    }

    /// Describes where profile `profile` was looked for and, when files exist,
    /// `why` it gave nothing: "profile `x` in A and B (why)".
    pub(crate) fn describe(&self, profile: &str, why: &str) -> String {
        let files = self.files_shown();
        let note = match (self.credentials.found, self.config.found) {
            (false, false) if self.credentials.path.is_none() && self.config.path.is_none() => {
                "home directory unknown; set HOME, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE".to_owned()
            }
            (false, false) => "files not found".to_owned(),
            (true, false) => format!("{why}; {} not found", self.config.shown),
            (false, true) => format!("{why}; {} not found", self.credentials.shown),
            (true, true) => why.to_owned(),
        };
        format!("profile `{profile}` in {files} ({note})")
    }
}

fn locate(env: &Env, variable: &str, default: &str) -> FileInfo {
    let (raw, from_env) = match env.get(variable) {
        Some(value) => (value, true),
        None => (default.to_owned(), false),
    };
    match env.expand_home(raw.trim()) {
        Some(path) => FileInfo {
            shown: path.display().to_string(),
            path: Some(path),
            found: false,
        },
        None => FileInfo {
            path: None,
            shown: if from_env {
                format!("{raw} (from {variable})")
            } else {
                raw
            },
            found: false,
        },
    }
}

fn read_optional(file: &FileInfo) -> Result<Option<String>, ConfigError> {
    let Some(path) = &file.path else {
        return Ok(None);
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(ConfigError::ProfileFileRead {
            path: file.shown.clone(),
            message: error.to_string(),
        }),
    }
}

/// The sections of one file.
#[derive(Default)]
struct ParsedFile {
    profiles: SortedMap<String, Profile>,
    services: SortedMap<String, Profile>,
}

/// Which section the lines being read belong to.
enum Target {
    None,
    Ignored,
    Profile(String),
    PlainDefault,
    Services(String),
}

/// The property that indented lines continue.
struct Continuing {
    key: String,
    sub_mode: bool,
}

fn parse_file(text: &str, path: &str, kind: FileKind) -> Result<ParsedFile, ConfigError> {
    let origin_path: Arc<str> = Arc::from(path);
    let error = |line: usize, message: String| ConfigError::ProfileFile {
        path: path.to_owned(),
        line,
        message,
    };
    let mut parsed = ParsedFile::default();
    let mut plain_default: Option<Profile> = None;
    let mut target = Target::None;
    let mut continuing: Option<Continuing> = None;

    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);

        if indented && let Some(current) = &mut continuing {
            let section = section_mut(&mut parsed, &mut plain_default, &target);
            let Some(section) = section else { continue };
            let Some(property) = section.properties.get_mut(&current.key) else {
                continue;
            };
            if current.sub_mode
                && let Some((sub_key, sub_value)) = trimmed.split_once('=')
            {
                let sub_key = sub_key.trim();
                if sub_key.is_empty() {
                    return Err(error(line_no, "sub-property has no name before `=`".to_owned()));
                }
                property.sub.insert(
                    sub_key.to_ascii_lowercase(),
                    strip_inline_comment(sub_value).trim().to_owned(),
                );
            } else {
                current.sub_mode = false;
            }
            if !property.value.is_empty() {
                property.value.push('\n');
            }
            property.value.push_str(trimmed);
            continue;
        }

        if trimmed.starts_with('[') {
            continuing = None;
            let Some(close) = trimmed.find(']') else {
                return Err(error(line_no, "section header is missing its closing `]`".to_owned()));
            };
            let after = trimmed[close + 1..].trim();
            if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                return Err(error(
                    line_no,
                    format!("unexpected text `{after}` after the section header"),
                ));
            }
            let inside = trimmed[1..close].trim();
            if inside.is_empty() {
                return Err(error(line_no, "section header `[]` has no name".to_owned()));
            }
            target = classify_header(inside, kind).map_err(|message| error(line_no, message))?;
            match &target {
                Target::Profile(name) => {
                    parsed.profiles.get_or_insert_with(name.clone(), || Profile {
                        name: name.clone(),
                        properties: SortedMap::new(),
                    });
                }
                Target::PlainDefault => {
                    plain_default.get_or_insert_with(|| Profile {
                        name: "default".to_owned(),
                        properties: SortedMap::new(),
                    });
                }
                Target::Services(name) => {
                    parsed.services.get_or_insert_with(name.clone(), || Profile {
                        name: name.clone(),
                        properties: SortedMap::new(),
                    });
                }
                Target::None | Target::Ignored => {}
            }
            continue;
        }

        if indented {
            return Err(error(
                line_no,
                "indented line does not continue a property (continuation lines must follow a `name = value` line); \
                 remove the leading whitespace"
                    .to_owned(),
            ));
        }

        let Some((key, value)) = trimmed.split_once('=') else {
            return Err(error(
                line_no,
                "expected `name = value`, a `[section]` header or a comment".to_owned(),
            ));
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(error(line_no, "property has no name before `=`".to_owned()));
        }
        if matches!(target, Target::None) {
            return Err(error(
                line_no,
                format!("property `{key}` appears before any `[section]` header"),
            ));
        }
        let value = strip_inline_comment(value).trim().to_owned();
        continuing = Some(Continuing {
            key: key.clone(),
            sub_mode: value.is_empty(),
        });
        if let Some(section) = section_mut(&mut parsed, &mut plain_default, &target) {
            section.properties.insert(
                key,
                Property {
                    value,
                    sub: SortedMap::new(),
                    origin: Origin {
                        path: origin_path.clone(),
                        line: line_no,
                    },
                },
            );
        }
    }

    if let Some(plain) = plain_default {
        // `[profile default]` wins over `[default]` when a config file has both.
        if kind == FileKind::Config && parsed.profiles.contains_key("default") {
            tracing::debug!(path, "ignoring [default]: the file also has [profile default]");
        } else {
            parsed.profiles.insert("default".to_owned(), plain);
        }
    }
    Ok(parsed)
}

fn section_mut<'a>(
    parsed: &'a mut ParsedFile,
    plain_default: &'a mut Option<Profile>,
    target: &Target,
) -> Option<&'a mut Profile> {
    match target {
        Target::None | Target::Ignored => None,
        Target::Profile(name) => parsed.profiles.get_mut(name),
        Target::PlainDefault => plain_default.as_mut(),
        Target::Services(name) => parsed.services.get_mut(name),
    }
}

fn classify_header(inside: &str, kind: FileKind) -> Result<Target, String> {
    if kind == FileKind::Credentials {
        return Ok(Target::Profile(inside.to_owned()));
    }
    if inside == "default" {
        return Ok(Target::PlainDefault);
    }
    let (word, rest) = match inside.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (inside, ""),
    };
    match word {
        "profile" | "services" if rest.is_empty() => Err(format!("section `[{word}]` needs a name: `[{word} NAME]`")),
        "profile" => Ok(Target::Profile(rest.to_owned())),
        "services" => Ok(Target::Services(rest.to_owned())),
        _ => {
            tracing::debug!(section = inside, "ignoring unsupported section in the AWS config file");
            Ok(Target::Ignored)
        }
    }
}

/// Cuts a `#` or `;` comment that follows whitespace off a value.
fn strip_inline_comment(value: &str) -> &str {
    let mut previous_is_space = false;
    for (index, c) in value.char_indices() {
        if (c == '#' || c == ';') && previous_is_space {
            return &value[..index];
        }
        previous_is_space = c.is_whitespace();
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_credentials_merge_with_credentials_winning() {
        let config =
            "[default]\nregion = us-east-1\naws_access_key_id = FROMCONFIG\n\n[profile dev]\nregion = eu-west-1\n";
        let credentials = "[default]\naws_access_key_id = FROMCREDS\naws_secret_access_key = s\n[dev]\nx = 1\n";
        let set = ProfileSet::parse(config, credentials).unwrap();
        let default = set.profile("default").unwrap();
        assert_eq!(default.get("region"), Some("us-east-1"));
        assert_eq!(default.get("aws_access_key_id"), Some("FROMCREDS"));
        let dev = set.profile("dev").unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("x"), Some("1"));
    }

    #[test]
    fn config_file_needs_profile_prefix() {
        let set = ProfileSet::parse("[dev]\nregion = a\n[profile  prod ]\nregion = b\n", "").unwrap();
        assert!(set.profile("dev").is_none());
        assert_eq!(set.profile("prod").unwrap().get("region"), Some("b"));
        // In the credentials file a `[profile x]` header is taken literally.
        let set = ProfileSet::parse("", "[profile x]\na = 1\n").unwrap();
        assert!(set.profile("x").is_none());
        assert!(set.profile("profile x").is_some());
    }

    #[test]
    fn profile_default_wins_over_plain_default() {
        let set = ProfileSet::parse("[profile default]\nregion = a\n[default]\nregion = b\nother = c\n", "").unwrap();
        let default = set.profile("default").unwrap();
        assert_eq!(default.get("region"), Some("a"));
        assert_eq!(default.get("other"), None);
    }

    #[test]
    fn comments() {
        let config = "# full\n; also full\n  # indented comment\n[default] # after header\nregion = us-west-2 # inline\n\
                      a = x#y\nb = x;y\nc = x\t;tab\nd = ;\n";
        let set = ProfileSet::parse(config, "").unwrap();
        let p = set.profile("default").unwrap();
        assert_eq!(p.get("region"), Some("us-west-2"));
        assert_eq!(p.get("a"), Some("x#y"));
        assert_eq!(p.get("b"), Some("x;y"));
        assert_eq!(p.get("c"), Some("x"));
        assert_eq!(p.get("d"), Some(""));
    }

    #[test]
    fn continuation_and_sub_properties() {
        let config = "[default]\ns3 =\n  max_concurrent_requests = 10\n\tmax_queue_size = 1000 # c\n\
                      long = first\n  second\n[services dev]\nAppRunner =\n  endpoint_url = http://localhost:8080\n";
        let set = ProfileSet::parse(config, "").unwrap();
        let p = set.profile("default").unwrap();
        assert_eq!(p.sub_property("s3", "max_concurrent_requests"), Some("10"));
        assert_eq!(p.sub_property("s3", "max_queue_size"), Some("1000"));
        assert_eq!(p.get("long"), Some("first\nsecond"));
        let services = set.services("dev").unwrap();
        assert_eq!(
            services.sub_property("apprunner", "endpoint_url"),
            Some("http://localhost:8080")
        );
    }

    #[test]
    fn keys_are_case_insensitive_and_later_values_win() {
        let set = ProfileSet::parse("[default]\nRegion = a\nregion = b\n[default]\nREGION = c\n", "").unwrap();
        assert_eq!(set.profile("default").unwrap().get("region"), Some("c"));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let cases = [
            ("[default]\nregion us-east-1\n", 2, "expected `name = value`"),
            ("region = a\n", 1, "before any `[section]`"),
            ("[default\n", 1, "closing `]`"),
            ("[default] junk\n", 1, "unexpected text"),
            ("[]\n", 1, "no name"),
            ("[default]\n  indented = 1\n", 2, "does not continue"),
            ("[default]\n= 1\n", 2, "no name"),
            ("[profile]\n", 1, "needs a name"),
        ];
        for (text, line, needle) in cases {
            match ProfileSet::parse(text, "") {
                Err(ConfigError::ProfileFile {
                    path,
                    line: got,
                    message,
                }) => {
                    assert_eq!(path, "config");
                    assert_eq!(got, line, "{text:?}");
                    assert!(message.contains(needle), "{message} / {needle}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        match ProfileSet::parse("", "[a]\nno equals\n") {
            Err(ConfigError::ProfileFile { path, line, .. }) => assert_eq!((path.as_str(), line), ("credentials", 2)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ignored_sections_still_parse() {
        let set = ProfileSet::parse("[sso-session x]\nsso_region = a\n  sub = 1\n[profile p]\nk = v\n", "").unwrap();
        assert_eq!(set.profile("p").unwrap().get("k"), Some("v"));
        assert!(ProfileSet::parse("[sso-session x]\nbroken\n", "").is_err());
    }

    #[test]
    fn debug_redacts_secrets() {
        let set = ProfileSet::parse(
            "[default]\ncredential_process = get --password hunter2\n",
            "[default]\naws_secret_access_key = SECRETVALUE\naws_session_token = TOKENVALUE\nregion = r\n",
        )
        .unwrap();
        let text = format!("{set:?}");
        for secret in ["SECRETVALUE", "TOKENVALUE", "hunter2"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("region"));
    }

    #[test]
    fn crlf_and_bom() {
        let set = ProfileSet::parse("\u{feff}[default]\r\nregion = a\r\n", "").unwrap();
        assert_eq!(set.profile("default").unwrap().get("region"), Some("a"));
    }
}
