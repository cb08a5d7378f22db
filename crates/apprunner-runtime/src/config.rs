//! Client configuration: region, credentials, endpoints, retries, timeouts.
//!
//! Each setting is resolved in the same order as the AWS SDKs and CLI: the
//! value set on [`ConfigBuilder`], then environment variables, then the selected
//! profile of the shared config files (see [`crate::profile`]), then a default.

use crate::ServiceSpec;
use crate::credentials::{Credentials, DefaultCredentialsChain, ProvideCredentials, SharedCredentialsProvider};
use crate::env::{Env, parse_bool};
use crate::profile::{Profile, ProfileSet};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Timeouts applied to every call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Time allowed to open a connection, TLS included. Default: 3.1 s.
    pub connect: Duration,
    /// Time allowed for one attempt, from getting credentials and signing to
    /// reading the whole response; `None` for no limit. Default: 30 s (App Runner calls are
    /// control-plane calls that normally answer within a few seconds).
    pub attempt: Option<Duration>,
    /// Time allowed for a whole operation, all attempts and backoff included;
    /// `None` for no limit. Default: 90 s.
    pub operation: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_millis(3100),
            attempt: Some(Duration::from_secs(30)),
            operation: Some(Duration::from_secs(90)),
        }
    }
}

/// The retry strategy named by `AWS_RETRY_MODE` or the profile's `retry_mode`.
///
/// Recorded as configured; the runtime retries the same way (AWS "standard"
/// mode) for all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// `standard`: exponential backoff with jitter (the default).
    #[default]
    Standard,
    /// `adaptive`: standard plus client-side rate limiting.
    Adaptive,
    /// `legacy`: the older SDK-specific behaviour.
    Legacy,
}

impl RetryMode {
    fn parse(text: &str) -> Option<RetryMode> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standard" => Some(RetryMode::Standard),
            "adaptive" => Some(RetryMode::Adaptive),
            "legacy" => Some(RetryMode::Legacy),
            _ => None,
        }
    }
}

/// How failed attempts are retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (so 1 means no retries). Default: 3.
    pub max_attempts: u32,
    /// The configured retry mode.
    pub mode: RetryMode,
    /// The scale of the backoff: before retry `n` (from 1) the wait is a random
    /// duration up to `initial_backoff * 2^(n-1)`, capped at `max_backoff`. Default: 1 s.
    pub initial_backoff: Duration,
    /// The longest wait between attempts. Default: 20 s.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            mode: RetryMode::Standard,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

/// Why configuration could not be loaded, or a setting is missing.
///
/// Messages say what is wrong and what to do; they never contain a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region is configured anywhere.
    #[error(
        "no AWS region configured; looked in: {}. Set AWS_REGION (for example AWS_REGION=us-east-1), add \
         `region = ...` to the profile in the AWS config file, or run `aws configure`",
        .looked.join("; ")
    )]
    NoRegion {
        /// Each place looked, with why it gave nothing.
        looked: Vec<String>,
    },
    /// A setting has a value that is not accepted.
    #[error("invalid value `{value}` for {name}: expected {expected}")]
    InvalidSetting {
        /// The environment variable, profile property (with its file and line) or builder setting.
        name: String,
        /// The value found.
        value: String,
        /// What would have been accepted.
        expected: String,
    },
    /// A line of a shared config or credentials file cannot be parsed.
    #[error(
        "malformed AWS profile file {path}, line {line}: {message}. Fix that line, or point AWS_CONFIG_FILE or \
         AWS_SHARED_CREDENTIALS_FILE at another file"
    )]
    ProfileFile {
        /// The file.
        path: String,
        /// The line number, from 1.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
    /// A shared config or credentials file exists but cannot be read.
    #[error("could not read AWS profile file {path}: {message}. Check the file's permissions")]
    ProfileFileRead {
        /// The file.
        path: String,
        /// The reason.
        message: String,
    },
    /// The profile asked for is not defined in either file.
    #[error(
        "AWS profile `{name}` (selected by {selected_by}) is not defined in {files}; {}. Check the profile name, or \
         create the profile with `aws configure --profile {name}`",
        describe_available(.available)
    )]
    ProfileNotFound {
        /// The profile name.
        name: String,
        /// What selected it: `AWS_PROFILE` or the builder.
        selected_by: String,
        /// The files looked in.
        files: String,
        /// The profiles that are defined.
        available: Vec<String>,
    },
}

fn describe_available(available: &[String]) -> String {
    if available.is_empty() {
        "no profiles are defined".to_owned()
    } else {
        format!("defined profiles: {}", available.join(", "))
    }
}

/// Resolved configuration for a client. Cheap to clone.
///
/// Build it with [`Config::builder`] or [`Config::from_env`]. Credentials are
/// not fetched when it is built, only when a call first needs them.
#[derive(Clone, Debug)]
pub struct Config {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    env: Env,
    profiles: Arc<ProfileSet>,
    profile_name: String,
    region: Option<String>,
    region_looked: Vec<String>,
    credentials: SharedCredentialsProvider,
    explicit_endpoint_url: Option<String>,
    ignore_configured_endpoint_urls: bool,
    services_section: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    timeouts: Timeouts,
    verify_tls: bool,
    app_name: Option<String>,
}

impl Config {
    /// A builder with nothing set; nothing is read until [`ConfigBuilder::load`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Configuration from the process environment and the shared files alone.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::builder().load()
    }

    /// The region, or an error listing every place that was looked at.
    pub fn region(&self) -> Result<&str, ConfigError> {
        self.inner.region.as_deref().ok_or_else(|| ConfigError::NoRegion {
            looked: self.inner.region_looked.clone(),
        })
    }

    /// The (caching) credentials provider.
    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.inner.credentials
    }

    /// The endpoint URL configured for `service`, if any, in this order: the
    /// builder's `endpoint_url`; `AWS_ENDPOINT_URL_<SERVICE>`; `AWS_ENDPOINT_URL`;
    /// `endpoint_url` under the service in the profile's `[services]` section;
    /// the profile's `endpoint_url`. All but the first are ignored when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
    /// `ignore_configured_endpoint_urls` is `true`.
    pub fn endpoint_url(&self, service: &ServiceSpec) -> Option<String> {
        if let Some(url) = &self.inner.explicit_endpoint_url {
            return Some(url.clone());
        }
        self.configured_endpoint_urls(&service.env_suffix(), &service.config_id())
            .into_iter()
            .next()
            .map(|(_, url)| url)
    }

    /// The configured endpoint URLs for a service, best first, with their origin.
    fn configured_endpoint_urls(&self, env_suffix: &str, config_id: &str) -> Vec<(String, String)> {
        let inner = &*self.inner;
        if inner.ignore_configured_endpoint_urls {
            return Vec::new();
        }
        let mut found = Vec::new();
        for name in [format!("AWS_ENDPOINT_URL_{env_suffix}"), "AWS_ENDPOINT_URL".to_owned()] {
            if let Some(url) = inner.env.get(&name) {
                found.push((name, url.trim().to_owned()));
            }
        }
        let profile = inner.profiles.profile(&inner.profile_name);
        if let Some(section) = inner
            .services_section
            .as_deref()
            .and_then(|s| inner.profiles.services(s))
            && let Some(url) = section
                .sub_property(config_id, "endpoint_url")
                .filter(|u| !u.is_empty())
        {
            found.push((
                format!("`{config_id}.endpoint_url` in [services {}]", section.name()),
                url.to_owned(),
            ));
        }
        if let Some(url) = profile.and_then(|p| p.get("endpoint_url")).filter(|u| !u.is_empty()) {
            found.push((
                format!("`endpoint_url` in profile `{}`", inner.profile_name),
                url.to_owned(),
            ));
        }
        found
    }

    /// Whether to use FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`, profile `use_fips_endpoint`).
    pub fn use_fips(&self) -> bool {
        self.inner.use_fips
    }

    /// Whether to use dual-stack endpoints (`AWS_USE_DUALSTACK_ENDPOINT`, profile
    /// `use_dualstack_endpoint`).
    pub fn use_dual_stack(&self) -> bool {
        self.inner.use_dual_stack
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &Timeouts {
        &self.inner.timeouts
    }

    /// Whether TLS certificates are verified (default `true`).
    pub fn verify_tls(&self) -> bool {
        self.inner.verify_tls
    }

    /// The selected profile's name.
    pub fn profile_name(&self) -> &str {
        &self.inner.profile_name
    }

    /// The application name appended to the `User-Agent` (builder `app_name`,
    /// `AWS_SDK_UA_APP_ID`, or the profile's `sdk_ua_app_id`).
    pub fn app_name(&self) -> Option<&str> {
        self.inner.app_name.as_deref()
    }

    /// The environment the configuration was read from (for settings of other
    /// components, such as proxies).
    pub fn env(&self) -> &Env {
        &self.inner.env
    }

    /// The shared files as read, with the selected profile among them.
    pub fn profiles(&self) -> &ProfileSet {
        &self.inner.profiles
    }
}

/// Builds a [`Config`]. Every setting is optional; those not set are resolved
/// from the environment and the shared files by [`ConfigBuilder::load`].
///
/// `C` is where the credentials come from: [`DefaultChain`] until one of the
/// credentials setters replaces it with the provider it is given (see
/// [`CredentialsSource`]).
#[derive(Debug, Default)]
pub struct ConfigBuilder<C = DefaultChain> {
    settings: RequestedSettings,
    credentials: C,
}

/// What the caller set on a [`ConfigBuilder`], apart from the credentials.
#[derive(Debug, Default)]
struct RequestedSettings {
    env: Option<Env>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    max_attempts: Option<u32>,
    retry_mode: Option<RetryMode>,
    timeouts: Option<Timeouts>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    verify_tls: Option<bool>,
    app_name: Option<String>,
}

/// Where [`ConfigBuilder::load`] gets the configuration's credentials provider.
///
/// A builder starts with [`DefaultChain`]; [`ConfigBuilder::credentials`] and its
/// siblings switch it to the [`SharedCredentialsProvider`] they are given. The
/// choice is part of the builder's type, so a program that always passes its own
/// credentials does not carry the default chain (its profile,
/// `credential_process`, container and instance-metadata providers) in its binary.
pub trait CredentialsSource {
    /// The provider for a configuration that selected profile `profile_name` of
    /// `profiles` and reads its variables from `env`.
    fn provider(&self, env: &Env, profiles: &Arc<ProfileSet>, profile_name: &str) -> SharedCredentialsProvider;
}

/// The credentials of a builder given none: the default chain (environment,
/// shared files, `credential_process`, container, instance metadata), which runs
/// when a call first needs credentials.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultChain;

impl CredentialsSource for DefaultChain {
    fn provider(&self, env: &Env, profiles: &Arc<ProfileSet>, profile_name: &str) -> SharedCredentialsProvider {
        SharedCredentialsProvider::new(DefaultCredentialsChain::with_profiles(
            env.clone(),
            Arc::clone(profiles),
            profile_name.to_owned(),
        ))
    }
}

impl CredentialsSource for SharedCredentialsProvider {
    fn provider(&self, _env: &Env, _profiles: &Arc<ProfileSet>, _profile_name: &str) -> SharedCredentialsProvider {
        self.clone()
    }
}

impl<C> ConfigBuilder<C> {
    /// Uses `region`, whatever the environment and profile say.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// Uses these fixed credentials.
    pub fn credentials(self, credentials: Credentials) -> ConfigBuilder<SharedCredentialsProvider> {
        self.shared_credentials_provider(SharedCredentialsProvider::new(credentials))
    }

    /// Uses this provider (wrapped in a cache) instead of the default chain.
    pub fn credentials_provider(
        self,
        provider: impl ProvideCredentials + 'static,
    ) -> ConfigBuilder<SharedCredentialsProvider> {
        self.shared_credentials_provider(SharedCredentialsProvider::new(provider))
    }

    /// Uses this already-caching provider as it is, sharing its cache.
    pub fn shared_credentials_provider(
        self,
        provider: SharedCredentialsProvider,
    ) -> ConfigBuilder<SharedCredentialsProvider> {
        ConfigBuilder {
            settings: self.settings,
            credentials: provider,
        }
    }

    /// Selects profile `name` instead of `AWS_PROFILE` (default `default`).
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.settings.profile = Some(name.into());
        self
    }

    /// Sends every call to `url`, whatever the environment and profile say.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.settings.endpoint_url = Some(url.into());
        self
    }

    /// Uses (or not) FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.settings.use_fips = Some(use_fips);
        self
    }

    /// Uses (or not) dual-stack endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.settings.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Makes at most this many attempts per call (at least 1).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.settings.max_attempts = Some(max_attempts);
        self
    }

    /// Records this retry mode.
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.settings.retry_mode = Some(mode);
        self
    }

    /// Replaces all timeouts (the individual setters below still apply on top).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.settings.timeouts = Some(timeouts);
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = Some(timeout);
        self
    }

    /// Sets the per-attempt timeout.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.settings.attempt_timeout = Some(timeout);
        self
    }

    /// Sets the whole-operation timeout.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.settings.operation_timeout = Some(timeout);
        self
    }

    /// Verifies TLS certificates (the default) or not (`false`, like the CLI's
    /// `--no-verify-ssl`; for testing only).
    pub fn verify_tls(mut self, verify: bool) -> Self {
        self.settings.verify_tls = Some(verify);
        self
    }

    /// Appends `name` to the `User-Agent` (up to 50 characters, no spaces).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.settings.app_name = Some(name.into());
        self
    }

    /// Reads variables and the home directory from `env` instead of the process.
    pub fn env(mut self, env: Env) -> Self {
        self.settings.env = Some(env);
        self
    }
}

impl<C: CredentialsSource> ConfigBuilder<C> {
    /// Resolves every setting. Reads environment variables and the shared files
    /// (missing files are fine; malformed ones are an error), but fetches no
    /// credentials: the provider (the default chain unless credentials were given)
    /// runs when a call first needs them.
    pub fn load(self) -> Result<Config, ConfigError> {
        self.settings.resolve(&self.credentials)
    }
}

impl RequestedSettings {
    /// [`ConfigBuilder::load`], apart from the choice of credentials (kept out of
    /// the generic part so that it is compiled once).
    fn resolve(self, credentials: &dyn CredentialsSource) -> Result<Config, ConfigError> {
        let env = self.env.unwrap_or_else(Env::real);
        let (profile_name, selected_by) = match (self.profile, env.get("AWS_PROFILE")) {
            (Some(name), _) => (name, Some("ConfigBuilder::profile")),
            (None, Some(name)) => (name.trim().to_owned(), Some("AWS_PROFILE")),
            (None, None) => ("default".to_owned(), None),
        };
        let profiles = Arc::new(ProfileSet::load(&env)?);
        let profile = profiles.profile(&profile_name);
        if profile.is_none()
            && profile_name != "default"
            && let Some(selected_by) = selected_by
        {
            return Err(ConfigError::ProfileNotFound {
                name: profile_name,
                selected_by: selected_by.to_owned(),
                files: profiles.files_shown(),
                available: profiles.profile_names().map(str::to_owned).collect(),
            });
        }
        let settings = Settings {
            env: &env,
            profile,
            profile_name: &profile_name,
        };

        let (region, region_looked) = match self.region {
            Some(region) => (Some(check_region("the builder's region", &region)?), Vec::new()),
            None => settings.region(&profiles)?,
        };

        let max_attempts = match self.max_attempts {
            Some(0) => return Err(invalid("the builder's max_attempts", "0", MAX_ATTEMPTS_EXPECTED)),
            Some(n) => n,
            None => settings
                .lookup("AWS_MAX_ATTEMPTS", "max_attempts", MAX_ATTEMPTS_EXPECTED, |v| {
                    v.trim().parse::<u32>().ok().filter(|n| *n >= 1)
                })?
                .unwrap_or(3),
        };
        let mode = match self.retry_mode {
            Some(mode) => mode,
            None => settings
                .lookup(
                    "AWS_RETRY_MODE",
                    "retry_mode",
                    "standard, adaptive or legacy",
                    RetryMode::parse,
                )?
                .unwrap_or_default(),
        };
        let use_fips = match self.use_fips {
            Some(value) => value,
            None => settings
                .lookup("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", BOOL_EXPECTED, parse_bool)?
                .unwrap_or(false),
        };
        let use_dual_stack = match self.use_dual_stack {
            Some(value) => value,
            None => settings
                .lookup(
                    "AWS_USE_DUALSTACK_ENDPOINT",
                    "use_dualstack_endpoint",
                    BOOL_EXPECTED,
                    parse_bool,
                )?
                .unwrap_or(false),
        };
        let ignore_configured_endpoint_urls = settings
            .lookup(
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                "ignore_configured_endpoint_urls",
                BOOL_EXPECTED,
                parse_bool,
            )?
            .unwrap_or(false);
        let app_name = match self.app_name {
            Some(name) => Some(check_app_name("the builder's app_name", &name)?),
            None => match (
                env.get("AWS_SDK_UA_APP_ID"),
                profile.and_then(|p| p.get("sdk_ua_app_id")),
            ) {
                (Some(name), _) => Some(check_app_name("AWS_SDK_UA_APP_ID", &name)?),
                (None, Some(name)) if !name.is_empty() => {
                    Some(check_app_name(&settings.profile_key_name("sdk_ua_app_id"), name)?)
                }
                _ => None,
            },
        };

        let explicit_endpoint_url = match self.endpoint_url {
            Some(url) => Some(check_url("the builder's endpoint_url", &url)?),
            None => None,
        };
        let services_section = match profile.and_then(|p| p.get("services")).filter(|s| !s.is_empty()) {
            Some(name) if profiles.services(name).is_some() => Some(name.to_owned()),
            Some(name) => {
                return Err(invalid(
                    &settings.profile_key_name("services"),
                    name,
                    "the name of a `[services NAME]` section in the config file",
                ));
            }
            None => None,
        };

        let mut timeouts = self.timeouts.unwrap_or_default();
        if let Some(connect) = self.connect_timeout {
            timeouts.connect = connect;
        }
        if let Some(attempt) = self.attempt_timeout {
            timeouts.attempt = Some(attempt);
        }
        if let Some(operation) = self.operation_timeout {
            timeouts.operation = Some(operation);
        }

        let credentials = credentials.provider(&env, &profiles, &profile_name);

        let config = Config {
            inner: Arc::new(Inner {
                env,
                profiles,
                profile_name,
                region,
                region_looked,
                credentials,
                explicit_endpoint_url,
                ignore_configured_endpoint_urls,
                services_section,
                use_fips,
                use_dual_stack,
                retry: RetryConfig {
                    max_attempts,
                    mode,
                    ..RetryConfig::default()
                },
                timeouts,
                verify_tls: self.verify_tls.unwrap_or(true),
                app_name,
            }),
        };
        config.check_configured_endpoints()?;
        Ok(config)
    }
}

const BOOL_EXPECTED: &str = "true or false";
const MAX_ATTEMPTS_EXPECTED: &str = "a whole number of at least 1, such as 3";

impl Config {
    /// Fails on any configured endpoint URL that is not an http(s) URL, so a
    /// typo is reported at load time rather than on the first call.
    fn check_configured_endpoints(&self) -> Result<(), ConfigError> {
        let inner = &*self.inner;
        if inner.ignore_configured_endpoint_urls {
            return Ok(());
        }
        let mut candidates: Vec<(String, String)> = inner
            .env
            .vars_with_prefix("AWS_ENDPOINT_URL")
            .into_iter()
            .filter(|(name, _)| name == "AWS_ENDPOINT_URL" || name.starts_with("AWS_ENDPOINT_URL_"))
            .collect();
        if let Some(section) = inner
            .services_section
            .as_deref()
            .and_then(|s| inner.profiles.services(s))
        {
            for key in section.keys() {
                if let Some(url) = section.sub_property(key, "endpoint_url") {
                    candidates.push((
                        format!(
                            "`{key}.endpoint_url` in [services {}] ({})",
                            section.name(),
                            section.location(key).unwrap_or_default()
                        ),
                        url.to_owned(),
                    ));
                }
            }
        }
        if let Some(profile) = inner.profiles.profile(&inner.profile_name)
            && let Some(url) = profile.get("endpoint_url").filter(|u| !u.is_empty())
        {
            let name = Settings {
                env: &inner.env,
                profile: Some(profile),
                profile_name: &inner.profile_name,
            }
            .profile_key_name("endpoint_url");
            candidates.push((name, url.to_owned()));
        }
        for (name, url) in candidates {
            check_url(&name, &url)?;
        }
        Ok(())
    }
}

/// Looks settings up in the environment, then the selected profile.
struct Settings<'a> {
    env: &'a Env,
    profile: Option<&'a Profile>,
    profile_name: &'a str,
}

impl Settings<'_> {
    /// How a profile property is named in messages, with its file and line.
    fn profile_key_name(&self, key: &str) -> String {
        let location = self
            .profile
            .and_then(|p| p.location(key))
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        format!("`{key}` in profile `{}`{location}", self.profile_name)
    }

    /// The setting from variable `var`, else profile property `key`, parsed by `parse`.
    fn lookup<T>(
        &self,
        var: &str,
        key: &str,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ConfigError> {
        if let Some(value) = self.env.get(var) {
            return parse(&value)
                .map(Some)
                .ok_or_else(|| invalid(var, value.trim(), expected));
        }
        match self.profile.and_then(|p| p.get(key)).filter(|v| !v.is_empty()) {
            Some(value) => parse(value)
                .map(Some)
                .ok_or_else(|| invalid(&self.profile_key_name(key), value, expected)),
            None => Ok(None),
        }
    }

    /// The region from the environment or profile, with the places looked at.
    fn region(&self, profiles: &ProfileSet) -> Result<(Option<String>, Vec<String>), ConfigError> {
        let mut looked = Vec::new();
        for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            match self.env.get(var) {
                Some(value) => return Ok((Some(check_region(var, value.trim())?), looked)),
                None => looked.push(format!("environment variable {var} (not set)")),
            }
        }
        match self.profile.and_then(|p| p.get("region")).filter(|r| !r.is_empty()) {
            Some(region) => Ok((Some(check_region(&self.profile_key_name("region"), region)?), looked)),
            None => {
                let why = if self.profile.is_some() {
                    "no `region` in the profile"
                } else {
                    "profile not defined"
                };
                looked.push(profiles.describe(self.profile_name, why));
                Ok((None, looked))
            }
        }
    }
}

fn invalid(name: &str, value: &str, expected: &str) -> ConfigError {
    ConfigError::InvalidSetting {
        name: name.to_owned(),
        value: value.to_owned(),
        expected: expected.to_owned(),
    }
}

/// A region must be a DNS label, as it becomes part of the endpoint host name.
fn check_region(name: &str, region: &str) -> Result<String, ConfigError> {
    let valid = !region.is_empty()
        && region.len() <= 63
        && region.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if valid {
        Ok(region.to_owned())
    } else {
        Err(invalid(
            name,
            region,
            "a region name such as us-east-1 (letters, digits and dashes)",
        ))
    }
}

fn check_url(name: &str, url: &str) -> Result<String, ConfigError> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let valid = rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(url.to_owned())
    } else {
        Err(invalid(
            name,
            url,
            "an http:// or https:// URL such as https://apprunner.us-east-1.amazonaws.com",
        ))
    }
}

fn check_app_name(name: &str, app_name: &str) -> Result<String, ConfigError> {
    let app_name = app_name.trim();
    let valid = !app_name.is_empty()
        && app_name.len() <= 50
        && app_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
    if valid {
        Ok(app_name.to_owned())
    } else {
        Err(invalid(
            name,
            app_name,
            "up to 50 letters, digits or !#$%&'*+-.^_`|~ (no spaces)",
        ))
    }
}

impl fmt::Display for RetryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
            RetryMode::Legacy => "legacy",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        assert!(check_region("x", "us-gov-west-1").is_ok());
        for bad in ["", "us east", "evil.com/", "-x", "a_b"] {
            assert!(check_region("x", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(check_url("x", "http://localhost:8080").is_ok());
        assert!(check_url("x", "HTTPS://example.com/path").is_ok());
        for bad in ["localhost:8080", "http://", "ftp://x", "http://a b", "https:///x"] {
            assert!(check_url("x", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn app_names() {
        assert!(check_app_name("x", "my-app_1.0").is_ok());
        assert!(check_app_name("x", "my app").is_err());
        assert!(check_app_name("x", &"a".repeat(51)).is_err());
    }

    #[test]
    fn defaults() {
        let timeouts = Timeouts::default();
        assert_eq!(timeouts.connect, Duration::from_millis(3100));
        assert_eq!(timeouts.attempt, Some(Duration::from_secs(30)));
        assert_eq!(timeouts.operation, Some(Duration::from_secs(90)));
        let retry = RetryConfig::default();
        assert_eq!((retry.max_attempts, retry.mode), (3, RetryMode::Standard));
        assert_eq!(RetryMode::parse(" Adaptive "), Some(RetryMode::Adaptive));
        assert_eq!(RetryMode::Legacy.to_string(), "legacy");
    }
}
