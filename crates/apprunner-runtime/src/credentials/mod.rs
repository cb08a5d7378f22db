//! AWS credentials: the [`Credentials`] value, the [`ProvideCredentials`] trait for
//! sources of credentials, the caching [`SharedCredentialsProvider`], and the
//! [`DefaultCredentialsChain`] with its individual sources.
//!
//! The default chain tries, in order:
//!
//! 1. [`EnvironmentProvider`]: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
//! 2. [`ProfileProvider`]: static keys of the selected profile in the shared files;
//! 3. [`ProcessProvider`]: the profile's `credential_process` command;
//! 4. [`ContainerProvider`]: the ECS/EKS container credentials endpoint;
//! 5. [`ImdsProvider`]: the EC2 instance metadata service (IMDSv2).
//!
//! A source that is not configured is skipped and noted; a source that is
//! configured but fails stops the chain with its error, rather than silently
//! falling through to a different identity. Secrets never appear in `Debug`
//! output, error messages or logs.

mod container;
mod environment;
mod http;
mod imds;
mod process;
mod profile_file;

pub use container::ContainerProvider;
pub use environment::EnvironmentProvider;
pub use imds::ImdsProvider;
pub use process::ProcessProvider;
pub use profile_file::ProfileProvider;

use crate::env::Env;
use crate::profile::ProfileSet;
use apprunner_smithy::Document;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, SystemTime};

/// An AWS access key pair, with a session token and expiry for temporary credentials.
///
/// Cloning is cheap. `Debug` shows the access key id, the expiry and the
/// source, never the secret access key or session token.
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<CredentialsInner>,
}

struct CredentialsInner {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    provider_name: &'static str,
}

impl Credentials {
    /// Credentials from their parts. `provider_name` says where they came from
    /// (for messages and logs), such as `"my-vault"`.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Credentials {
        Credentials {
            inner: Arc::new(CredentialsInner {
                access_key_id: access_key_id.into(),
                secret_access_key: secret_access_key.into(),
                session_token,
                expiry,
                provider_name,
            }),
        }
    }

    /// Whether `other` holds the same key pair and session token (for caches
    /// derived from the secret).
    pub(crate) fn same_keys(&self, other: &Credentials) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
            || (self.access_key_id() == other.access_key_id()
                && self.secret_access_key() == other.secret_access_key()
                && self.session_token() == other.session_token())
    }

    /// The access key id (`AKIA...` or `ASIA...`).
    pub fn access_key_id(&self) -> &str {
        &self.inner.access_key_id
    }

    /// The secret access key. Keep it out of logs.
    pub fn secret_access_key(&self) -> &str {
        &self.inner.secret_access_key
    }

    /// The session token of temporary credentials. Keep it out of logs.
    pub fn session_token(&self) -> Option<&str> {
        self.inner.session_token.as_deref()
    }

    /// When temporary credentials stop working; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.inner.expiry
    }

    /// The source the credentials came from, such as `environment` or `imds`.
    pub fn provider_name(&self) -> &'static str {
        self.inner.provider_name
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Credentials");
        s.field("provider_name", &self.inner.provider_name)
            .field("access_key_id", &self.inner.access_key_id)
            .field("secret_access_key", &"** redacted **");
        if self.inner.session_token.is_some() {
            s.field("session_token", &"** redacted **");
        }
        if let Some(expiry) = self.inner.expiry {
            s.field("expiry", &apprunner_smithy::DateTime::from(expiry).to_string());
        }
        s.finish()
    }
}

/// The future returned by [`ProvideCredentials::provide_credentials`].
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. Implement it to supply your own, and pass it to
/// [`ConfigBuilder::credentials_provider`](crate::ConfigBuilder::credentials_provider).
///
/// Implementations need not cache: [`SharedCredentialsProvider`] does. Return
/// [`CredentialsError::not_found`] when the source is simply not configured and
/// [`CredentialsError::failed`] when it is but could not deliver.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fetches credentials.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

const NOT_FOUND_HELP: &str = "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure`, \
                              or select a profile that has credentials with AWS_PROFILE";

/// Why no credentials could be had.
///
/// The message lists each source that was looked at and why it gave nothing,
/// and ends with what to do. It never contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No source is configured with credentials.
    #[error("no AWS credentials found; looked in: {}. {NOT_FOUND_HELP}", .looked.join("; "))]
    NotFound {
        /// Each place looked, with why it gave nothing.
        looked: Vec<String>,
    },
    /// A source is configured but could not deliver credentials.
    #[error(
        "could not get AWS credentials from {provider}: {message}{}. {help}",
        describe_earlier(.looked)
    )]
    Failed {
        /// The failing source, such as `credential_process in profile \`dev\``.
        provider: String,
        /// What went wrong.
        message: String,
        /// What to do about it.
        help: String,
        /// Sources tried before this one, each with why it gave nothing.
        looked: Vec<String>,
    },
}

fn describe_earlier(looked: &[String]) -> String {
    if looked.is_empty() {
        String::new()
    } else {
        format!(" (earlier sources had none: {})", looked.join("; "))
    }
}

impl CredentialsError {
    /// The source at `place` is not configured; `place` says where was looked and
    /// why it gave nothing, such as "vault entry `x` (not present)".
    pub fn not_found(place: impl Into<String>) -> CredentialsError {
        CredentialsError::NotFound {
            looked: vec![place.into()],
        }
    }

    /// The source `provider` is configured but failed with `message`; `help` says
    /// what to do about it.
    pub fn failed(
        provider: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> CredentialsError {
        CredentialsError::Failed {
            provider: provider.into(),
            message: message.into(),
            help: help.into(),
            looked: Vec::new(),
        }
    }

    /// Whether this only means "not configured", so a chain may try the next source.
    pub fn is_not_found(&self) -> bool {
        matches!(self, CredentialsError::NotFound { .. })
    }

    /// The places looked at that gave nothing, each with the reason.
    pub fn looked(&self) -> &[String] {
        match self {
            CredentialsError::NotFound { looked } | CredentialsError::Failed { looked, .. } => looked,
        }
    }
}

/// How long before expiry temporary credentials are refreshed.
const REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);
/// Stale credentials are reused after a failed refresh only while they have this long left.
const STALE_MINIMUM: Duration = Duration::from_secs(10);
/// After a failed refresh with stale credentials in hand, wait this long before trying again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// A credentials provider behind a cache, shared cheaply between clients.
///
/// Credentials without an expiry are fetched once. Temporary ones are refreshed
/// five minutes before they expire (for short-lived credentials, once half their
/// lifetime has passed). Concurrent callers wait for a single refresh. If a
/// refresh fails while the cached credentials are still valid, those are used
/// and the refresh is retried a little later.
#[derive(Clone)]
pub struct SharedCredentialsProvider {
    inner: Arc<CachedProvider>,
}

struct CachedProvider {
    provider: Box<dyn ProvideCredentials>,
    /// The cached credentials. Callers read them under this lock, which is never
    /// held across an await, so a call with fresh credentials does not wait.
    current: std::sync::RwLock<Option<CacheEntry>>,
    /// Held while fetching, so concurrent callers wait for a single refresh.
    refreshing: tokio::sync::Mutex<()>,
}

struct CacheEntry {
    credentials: Credentials,
    /// When to fetch again; `None` for credentials that never expire.
    refresh_at: Option<SystemTime>,
}

impl SharedCredentialsProvider {
    /// Wraps `provider` in a cache.
    pub fn new(provider: impl ProvideCredentials + 'static) -> SharedCredentialsProvider {
        SharedCredentialsProvider {
            inner: Arc::new(CachedProvider {
                provider: Box::new(provider),
                current: std::sync::RwLock::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Current credentials: cached ones while fresh, otherwise fetched anew.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let _refreshing = self.inner.refreshing.lock().await;
        // Another caller may have refreshed them while this one waited.
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        match self.inner.provider.provide_credentials().await {
            Ok(credentials) => {
                let fetched = SystemTime::now();
                *self.write() = Some(CacheEntry {
                    refresh_at: credentials.expiry().map(|expiry| refresh_time(fetched, expiry)),
                    credentials: credentials.clone(),
                });
                Ok(credentials)
            }
            Err(error) => {
                let now = SystemTime::now();
                let mut current = self.write();
                if let Some(entry) = current.as_mut()
                    && let Some(expiry) = entry.credentials.expiry()
                    && expiry > now + STALE_MINIMUM
                {
                    tracing::warn!(
                        provider = entry.credentials.provider_name(),
                        error = %error,
                        "refreshing AWS credentials failed; using the cached ones, which are still valid"
                    );
                    entry.refresh_at = Some((now + RETRY_AFTER_FAILURE).min(expiry - STALE_MINIMUM));
                    return Ok(entry.credentials.clone());
                }
                Err(error)
            }
        }
    }

    /// The cached credentials, unless there are none or it is time to refresh them.
    fn fresh(&self) -> Option<Credentials> {
        let current = self.inner.current.read().unwrap_or_else(PoisonError::into_inner);
        let entry = current.as_ref()?;
        match entry.refresh_at {
            None => Some(entry.credentials.clone()),
            Some(at) => (SystemTime::now() < at).then(|| entry.credentials.clone()),
        }
    }

    /// The cache for writing. A panic elsewhere while it was held cannot leave a
    /// half-written entry (entries are replaced whole), so poisoning is ignored.
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<CacheEntry>> {
        self.inner.current.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops the cached credentials, so the next call fetches new ones (for
    /// example after the service rejected them as expired).
    pub async fn invalidate(&self) {
        *self.write() = None;
    }
}

/// When credentials fetched at `fetched` and expiring at `expiry` should be refreshed.
fn refresh_time(fetched: SystemTime, expiry: SystemTime) -> SystemTime {
    let lifetime = expiry.duration_since(fetched).unwrap_or(Duration::ZERO);
    expiry - REFRESH_BUFFER.min(lifetime / 2)
}

impl fmt::Debug for SharedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedCredentialsProvider")
            .field(&self.inner.provider)
            .finish()
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// Where providers that read the shared files get their profile from.
#[derive(Clone, Debug)]
pub(crate) enum ProfileSource {
    /// Files already read (by `Config::load`) from `env`, with the selected profile.
    Loaded {
        env: Env,
        profiles: Arc<ProfileSet>,
        name: String,
    },
    /// Read the files on each call; the profile is `name`, else `AWS_PROFILE`, else `default`.
    Lazy { env: Env, name: Option<String> },
}

impl ProfileSource {
    fn lazy(env: Env) -> ProfileSource {
        ProfileSource::Lazy { env, name: None }
    }

    fn with_name(self, new_name: String) -> ProfileSource {
        match self {
            ProfileSource::Loaded { env, profiles, .. } => ProfileSource::Loaded {
                env,
                profiles,
                name: new_name,
            },
            ProfileSource::Lazy { env, .. } => ProfileSource::Lazy {
                env,
                name: Some(new_name),
            },
        }
    }

    /// The environment the profile files are found through.
    fn env(&self) -> &Env {
        match self {
            ProfileSource::Loaded { env, .. } | ProfileSource::Lazy { env, .. } => env,
        }
    }

    /// The profile files and the selected profile's name; `provider` names the
    /// caller in the error for an unreadable or malformed file.
    fn resolve(&self, provider: &str) -> Result<(Arc<ProfileSet>, String), CredentialsError> {
        match self {
            ProfileSource::Loaded { profiles, name, .. } => Ok((profiles.clone(), name.clone())),
            ProfileSource::Lazy { env, name } => {
                let name = name
                    .clone()
                    .or_else(|| env.get("AWS_PROFILE"))
                    .unwrap_or_else(|| "default".to_owned());
                let profiles = ProfileSet::load(env).map_err(|error| {
                    CredentialsError::failed(
                        provider,
                        error.to_string(),
                        "Fix the shared AWS config or credentials file",
                    )
                })?;
                Ok((Arc::new(profiles), name))
            }
        }
    }
}

/// The standard chain of credential sources, tried in order until one has
/// credentials (see the [module documentation](self)).
///
/// Nothing is fetched until credentials are first needed. The chain itself does
/// not cache; wrap it in a [`SharedCredentialsProvider`] (as `Config` does).
pub struct DefaultCredentialsChain {
    environment: EnvironmentProvider,
    profile: ProfileProvider,
    process: ProcessProvider,
    container: ContainerProvider,
    imds: ImdsProvider,
}

impl DefaultCredentialsChain {
    /// The chain reading `env`; the shared files are read when credentials are
    /// needed, for the profile named by `AWS_PROFILE` (default `default`).
    pub fn new(env: Env) -> DefaultCredentialsChain {
        DefaultCredentialsChain::from_source(env.clone(), ProfileSource::lazy(env))
    }

    /// This chain, using profile `name` instead of `AWS_PROFILE`.
    pub fn profile_name(self, name: impl Into<String>) -> DefaultCredentialsChain {
        let name = name.into();
        DefaultCredentialsChain {
            profile: self.profile.profile_name(name.clone()),
            process: self.process.profile_name(name),
            ..self
        }
    }

    /// The chain over files already read, with profile `name` selected.
    pub(crate) fn with_profiles(env: Env, profiles: Arc<ProfileSet>, name: String) -> DefaultCredentialsChain {
        DefaultCredentialsChain::from_source(env.clone(), ProfileSource::Loaded { env, profiles, name })
    }

    fn from_source(env: Env, source: ProfileSource) -> DefaultCredentialsChain {
        DefaultCredentialsChain {
            environment: EnvironmentProvider::new(env.clone()),
            profile: ProfileProvider::from_source(source.clone()),
            process: ProcessProvider::from_source(source),
            container: ContainerProvider::new(env.clone()),
            imds: ImdsProvider::new(env),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let sources: [&dyn ProvideCredentials; 5] = [
            &self.environment,
            &self.profile,
            &self.process,
            &self.container,
            &self.imds,
        ];
        let mut looked = Vec::new();
        for source in sources {
            match source.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(provider = credentials.provider_name(), "loaded AWS credentials");
                    return Ok(credentials);
                }
                Err(CredentialsError::NotFound { looked: more }) => {
                    tracing::trace!(looked = ?more, "no AWS credentials from this source");
                    looked.extend(more);
                }
                Err(CredentialsError::Failed {
                    provider,
                    message,
                    help,
                    looked: more,
                }) => {
                    looked.extend(more);
                    return Err(CredentialsError::Failed {
                        provider,
                        message,
                        help,
                        looked,
                    });
                }
            }
        }
        Err(CredentialsError::NotFound { looked })
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let profile = match &self.profile.source {
            ProfileSource::Loaded { name, .. } => Some(name.as_str()),
            ProfileSource::Lazy { name, .. } => name.as_deref(),
        };
        f.debug_struct("DefaultCredentialsChain")
            .field("profile", &profile.unwrap_or("(from AWS_PROFILE)"))
            .field("env", self.profile.source.env())
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// Builds credentials from a JSON document with `AccessKeyId`, `SecretAccessKey`,
/// an optional session token under `token_field`, and an optional RFC 3339
/// `Expiration`. Messages never quote the secret fields.
pub(crate) fn credentials_from_json(
    document: &Document,
    token_field: &str,
    provider_name: &'static str,
) -> Result<Credentials, String> {
    let Some(object) = document.as_object() else {
        return Err("expected a JSON object".to_owned());
    };
    let required = |field: &str| match object.get(field) {
        Some(Document::String(text)) if !text.is_empty() => Ok(text.clone()),
        Some(Document::String(_)) => Err(format!("`{field}` is empty")),
        Some(_) => Err(format!("`{field}` is not a string")),
        None => Err(format!("`{field}` is missing")),
    };
    let access_key_id = required("AccessKeyId")?;
    let secret_access_key = required("SecretAccessKey")?;
    let session_token = match object.get(token_field) {
        None | Some(Document::Null) => None,
        Some(Document::String(text)) if text.is_empty() => None,
        Some(Document::String(text)) => Some(text.clone()),
        Some(_) => return Err(format!("`{token_field}` is not a string")),
    };
    let expiry = match object.get("Expiration") {
        None | Some(Document::Null) => None,
        Some(Document::String(text)) => Some(parse_expiration(text)?),
        Some(_) => return Err("`Expiration` is not a string".to_owned()),
    };
    Ok(Credentials::new(
        access_key_id,
        secret_access_key,
        session_token,
        expiry,
        provider_name,
    ))
}

fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    let parsed = apprunner_smithy::DateTime::parse(text, apprunner_smithy::TimestampFormat::DateTime)
        .map_err(|_| format!("`Expiration` `{text}` is not an RFC 3339 timestamp such as 2030-01-01T00:00:00Z"))?;
    let seconds = u64::try_from(parsed.secs()).map_err(|_| format!("`Expiration` `{text}` is before 1970"))?;
    Ok(SystemTime::UNIX_EPOCH + Duration::new(seconds, parsed.subsec_nanos()))
}

/// Reads a credentials document. The reader's errors name the position and the
/// kind of value found, never the text, so no part of the document (which may
/// hold a secret) is quoted.
pub(crate) fn parse_json_document(bytes: &[u8]) -> Result<Document, String> {
    apprunner_smithy::json::from_slice(bytes).map_err(|error| format!("not valid JSON ({error})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "SECRETEXAMPLE",
            Some("TOKENEXAMPLE".to_owned()),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000)),
            "test",
        );
        let text = format!("{credentials:?}");
        assert!(text.contains("AKIDEXAMPLE"));
        assert!(!text.contains("SECRETEXAMPLE"));
        assert!(!text.contains("TOKENEXAMPLE"));
        assert!(text.contains("2030-03-17"), "{text}");
    }

    #[test]
    fn refresh_time_uses_buffer_or_half_life() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            refresh_time(t0, t0 + Duration::from_secs(3600)),
            t0 + Duration::from_secs(3300)
        );
        assert_eq!(
            refresh_time(t0, t0 + Duration::from_secs(60)),
            t0 + Duration::from_secs(30)
        );
        assert_eq!(
            refresh_time(t0, t0 - Duration::from_secs(60)),
            t0 - Duration::from_secs(60)
        );
    }

    #[test]
    fn json_credentials() {
        let doc = parse_json_document(br#"{ "AccessKeyId": "AKID", "SecretAccessKey": "SECRET", "Token": "TOKEN", "Expiration": "2030-01-01T00:00:00Z"}"#).unwrap();
        let credentials = credentials_from_json(&doc, "Token", "container").unwrap();
        assert_eq!(credentials.session_token(), Some("TOKEN"));
        assert_eq!(
            credentials.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000))
        );
        let missing = parse_json_document(br#"{"AccessKeyId": "AKID"}"#).unwrap();
        assert_eq!(
            credentials_from_json(&missing, "Token", "x").unwrap_err(),
            "`SecretAccessKey` is missing"
        );
        let bad_time =
            parse_json_document(br#"{"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "soon"}"#).unwrap();
        assert!(
            credentials_from_json(&bad_time, "Token", "x")
                .unwrap_err()
                .contains("RFC 3339")
        );
        let wrong_type = parse_json_document(br#"{"AccessKeyId": "A", "SecretAccessKey": 5}"#).unwrap();
        let message = credentials_from_json(&wrong_type, "Token", "x").unwrap_err();
        assert_eq!(message, "`SecretAccessKey` is not a string");
    }

    #[derive(Debug)]
    struct FailsAfterFirst(std::sync::atomic::AtomicUsize);

    impl ProvideCredentials for FailsAfterFirst {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            let call = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async move {
                if call == 0 {
                    let expiry = SystemTime::now() + Duration::from_secs(3600);
                    Ok(Credentials::new("AKID", "S", None, Some(expiry), "test"))
                } else {
                    Err(CredentialsError::failed("test", "down", "wait"))
                }
            })
        }
    }

    #[tokio::test]
    async fn failed_refresh_keeps_still_valid_credentials() {
        let shared = SharedCredentialsProvider::new(FailsAfterFirst(Default::default()));
        shared.credentials().await.unwrap();
        // Pretend the refresh time has come.
        let past = SystemTime::now() - Duration::from_secs(1);
        shared.write().as_mut().unwrap().refresh_at = Some(past);
        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID");
        let retry_at = shared.write().as_ref().unwrap().refresh_at.unwrap();
        assert!(retry_at > SystemTime::now() + Duration::from_secs(5));
        // Once the credentials are gone, the error comes through.
        shared.invalidate().await;
        assert!(shared.credentials().await.is_err());
    }

    /// Counts fetches; each fetch yields to the scheduler before answering, so
    /// concurrent callers overlap with it.
    #[derive(Debug, Default)]
    struct CountsFetches(std::sync::atomic::AtomicUsize);

    impl ProvideCredentials for CountsFetches {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            let call = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async move {
                tokio::task::yield_now().await;
                Ok(Credentials::new(format!("AKID{call}"), "S", None, None, "test"))
            })
        }
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch_and_fresh_credentials_are_not_fetched_again() {
        let shared = SharedCredentialsProvider::new(CountsFetches::default());
        let callers: Vec<_> = (0..8)
            .map(|_| {
                let shared = shared.clone();
                tokio::spawn(async move { shared.credentials().await })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap().access_key_id(), "AKID0");
        }
        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID0");
        shared.invalidate().await;
        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID1");
    }

    #[test]
    fn json_errors_do_not_quote_the_document() {
        let text = parse_json_document(b"{\"SecretAccessKey\": SECRETVALUE}").unwrap_err();
        assert!(!text.contains("SECRETVALUE"));
        assert!(text.contains("line 1"));
    }
}
