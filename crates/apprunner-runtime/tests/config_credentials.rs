//! Configuration and credentials: resolution order, profile files, every
//! credential source against local fakes, caching, messages, and redaction.
//!
//! Everything is offline: HTTP sources talk to servers on 127.0.0.1 started
//! here, and every default-chain test points IMDS at a local port or disables it.

use apprunner_runtime::credentials::{
    ContainerProvider, Credentials, CredentialsError, CredentialsFuture, DefaultCredentialsChain, EnvironmentProvider,
    ImdsProvider, ProcessProvider, ProfileProvider, ProvideCredentials, SharedCredentialsProvider,
};
use apprunner_runtime::profile::ProfileSet;
use apprunner_runtime::{Config, ConfigError, Env, Protocol, RetryMode, ServiceSpec, Timeouts};
use apprunner_smithy::rules::RuleSet;
use std::borrow::Cow;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

static APPRUNNER: ServiceSpec = ServiceSpec {
    sdk_id: "AppRunner",
    target_prefix: "AppRunner",
    api_version: "2020-05-15",
    protocol: Protocol::AwsJson1_0,
    signing_name: "apprunner",
    endpoint_rule_set: &RuleSet {
        parameters: Cow::Borrowed(&[]),
        rules: Cow::Borrowed(&[]),
    },
};

// ---------------------------------------------------------------------------
// Helpers: temporary home directories and a tiny HTTP/1.1 server.
// ---------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir = std::env::temp_dir().join(format!(
            "apprunner-config-test-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn config(&self, text: &str) -> &Self {
        self.write(".aws/config", text);
        self
    }

    fn credentials(&self, text: &str) -> &Self {
        self.write(".aws/credentials", text);
        self
    }

    /// An environment whose home is this directory, plus `vars`.
    fn env(&self, vars: &[(&str, &str)]) -> Env {
        Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))).with_home(self.path())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A request as the fake server saw it.
#[derive(Clone, Debug)]
struct SeenRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl SeenRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = Arc<dyn Fn(&SeenRequest) -> (u16, String) + Send + Sync>;

/// An HTTP/1.1 server on 127.0.0.1 answering each request with `handler` and
/// closing the connection afterwards.
struct FakeServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    async fn start(handler: impl Fn(&SeenRequest) -> (u16, String) + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let task = {
            let seen = seen.clone();
            tokio::spawn(async move {
                loop {
                    let Ok((mut socket, _)) = listener.accept().await else {
                        return;
                    };
                    let seen = seen.clone();
                    let handler = handler.clone();
                    tokio::spawn(async move {
                        let mut buffer = Vec::new();
                        let mut chunk = [0u8; 4096];
                        let head_end = loop {
                            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                                break end;
                            }
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
                        let mut lines = head.split("\r\n");
                        let mut request_line = lines.next().unwrap_or("").split(' ');
                        let method = request_line.next().unwrap_or("").to_owned();
                        let path = request_line.next().unwrap_or("").to_owned();
                        let headers: Vec<(String, String)> = lines
                            .filter_map(|l| l.split_once(':'))
                            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                            .collect();
                        let length: usize = headers
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                            .and_then(|(_, v)| v.parse().ok())
                            .unwrap_or(0);
                        let mut body_read = buffer.len() - head_end - 4;
                        while body_read < length {
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => body_read += n,
                            }
                        }
                        let request = SeenRequest { method, path, headers };
                        let (status, body) = handler(&request);
                        seen.lock().unwrap().push(request);
                        let response = format!(
                            "HTTP/1.1 {status} Whatever\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                             connection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = socket.write_all(response.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    });
                }
            })
        };
        FakeServer { addr, seen, task }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A loopback address where nothing listens.
async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

fn rfc3339(time: SystemTime) -> String {
    apprunner_smithy::DateTime::from(time).fmt(apprunner_smithy::TimestampFormat::DateTime)
}

fn credentials_json(access_key_id: &str, token_field: &str, expiry: SystemTime) -> String {
    format!(
        r#"{{"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "{access_key_id}", "SecretAccessKey": "{SECRET}",
            "{token_field}": "{TOKEN}", "Expiration": "{}"}}"#,
        rfc3339(expiry)
    )
}

/// A fake IMDS with role `web-role`, answering only requests carrying the token.
async fn fake_imds(access_key_id: &'static str) -> FakeServer {
    FakeServer::start(move |request| match (request.method.as_str(), request.path.as_str()) {
        ("PUT", "/latest/api/token") => match request.header("x-aws-ec2-metadata-token-ttl-seconds") {
            Some("21600") => (200, "imds-session-token".to_owned()),
            _ => (400, "missing ttl".to_owned()),
        },
        (_, _) if request.header("x-aws-ec2-metadata-token") != Some("imds-session-token") => (401, String::new()),
        ("GET", "/latest/meta-data/iam/security-credentials/") => (200, "web-role\n".to_owned()),
        ("GET", "/latest/meta-data/iam/security-credentials/web-role") => (
            200,
            credentials_json(
                access_key_id,
                "Token",
                SystemTime::now() + Duration::from_secs(6 * 3600),
            ),
        ),
        _ => (404, String::new()),
    })
    .await
}

/// A fake container credentials endpoint requiring `Authorization: expected`.
async fn fake_container(expected: &'static str, access_key_id: &'static str) -> FakeServer {
    FakeServer::start(move |request| {
        if request.path != "/creds" {
            return (404, String::new());
        }
        if request.header("authorization") != Some(expected) {
            return (401, r#"{"message": "bad token"}"#.to_owned());
        }
        (
            200,
            credentials_json(access_key_id, "Token", SystemTime::now() + Duration::from_secs(3600)),
        )
    })
    .await
}

/// A credentials provider counting its calls, returning credentials that
/// expire `lifetime` after each call (never, for `None`).
#[derive(Debug)]
struct Counting {
    calls: Arc<AtomicUsize>,
    lifetime: Option<Duration>,
    delay: Duration,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            Ok(Credentials::new(
                format!("AKID{n}"),
                SECRET,
                None,
                self.lifetime.map(|l| SystemTime::now() + l),
                "counting",
            ))
        })
    }
}

fn counting(lifetime: Option<Duration>, delay: Duration) -> (SharedCredentialsProvider, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let provider = SharedCredentialsProvider::new(Counting {
        calls: calls.clone(),
        lifetime,
        delay,
    });
    (provider, calls)
}

// ---------------------------------------------------------------------------
// Region and settings
// ---------------------------------------------------------------------------

#[test]
fn region_resolution_order() {
    let home = TempDir::new();
    home.config("[default]\nregion = eu-central-1\n[profile other]\nregion = ap-south-1\n");
    let load = |vars: &[(&str, &str)]| Config::builder().env(home.env(vars)).load().unwrap();

    assert_eq!(load(&[]).region().unwrap(), "eu-central-1");
    assert_eq!(load(&[("AWS_PROFILE", "other")]).region().unwrap(), "ap-south-1");
    assert_eq!(
        load(&[("AWS_DEFAULT_REGION", "us-west-1")]).region().unwrap(),
        "us-west-1"
    );
    assert_eq!(
        load(&[("AWS_DEFAULT_REGION", "us-west-1"), ("AWS_REGION", "us-east-2")])
            .region()
            .unwrap(),
        "us-east-2"
    );
    let explicit = Config::builder()
        .env(home.env(&[("AWS_REGION", "us-east-2")]))
        .region("sa-east-1")
        .load()
        .unwrap();
    assert_eq!(explicit.region().unwrap(), "sa-east-1");
    let by_builder_profile = Config::builder()
        .env(home.env(&[("AWS_PROFILE", "default")]))
        .profile("other")
        .load()
        .unwrap();
    assert_eq!(by_builder_profile.region().unwrap(), "ap-south-1");
    assert_eq!(by_builder_profile.profile_name(), "other");
}

#[test]
fn missing_region_lists_every_place_looked() {
    let home = TempDir::new();
    let config = Config::builder().env(home.env(&[])).load().unwrap();
    let error = config.region().unwrap_err();
    let text = error.to_string();
    let ConfigError::NoRegion { looked } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(looked.len(), 3, "{looked:?}");
    assert!(text.contains("environment variable AWS_REGION (not set)"), "{text}");
    assert!(text.contains("AWS_DEFAULT_REGION (not set)"), "{text}");
    let credentials_file = home.path().join(".aws/credentials");
    assert!(
        text.contains(&format!("profile `default` in {}", credentials_file.display())),
        "{text}"
    );
    assert!(text.contains("(files not found)"), "{text}");
    assert!(text.contains("Set AWS_REGION"), "{text}");

    // A profile that exists but has no region says so.
    home.config("[default]\noutput = json\n");
    let text = Config::builder()
        .env(home.env(&[]))
        .load()
        .unwrap()
        .region()
        .unwrap_err()
        .to_string();
    assert!(text.contains("no `region` in the profile"), "{text}");
}

#[test]
fn invalid_values_name_the_setting_and_accepted_values() {
    let home = TempDir::new();
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case<'_>; 6] = [
        (&[("AWS_MAX_ATTEMPTS", "abc")], "AWS_MAX_ATTEMPTS", "whole number"),
        (&[("AWS_MAX_ATTEMPTS", "0")], "AWS_MAX_ATTEMPTS", "at least 1"),
        (
            &[("AWS_USE_FIPS_ENDPOINT", "maybe")],
            "AWS_USE_FIPS_ENDPOINT",
            "true or false",
        ),
        (
            &[("AWS_USE_DUALSTACK_ENDPOINT", "yes")],
            "AWS_USE_DUALSTACK_ENDPOINT",
            "true or false",
        ),
        (
            &[("AWS_RETRY_MODE", "fast")],
            "AWS_RETRY_MODE",
            "standard, adaptive or legacy",
        ),
        (&[("AWS_REGION", "us-east-1.evil.com/")], "AWS_REGION", "region name"),
    ];
    for (vars, name, expected) in cases {
        let error = Config::builder().env(home.env(vars)).load().unwrap_err();
        match &error {
            ConfigError::InvalidSetting {
                name: got_name,
                expected: got_expected,
                ..
            } => {
                assert_eq!(got_name, name);
                assert!(got_expected.contains(expected), "{got_expected}");
            }
            other => panic!("{vars:?}: {other:?}"),
        }
        assert!(error.to_string().contains(vars[0].1), "{error}");
    }

    home.config("[default]\nregion = us-east-1\nmax_attempts = lots\n");
    let error = Config::builder().env(home.env(&[])).load().unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`max_attempts` in profile `default`"), "{text}");
    assert!(text.contains(".aws/config line 3"), "{text}");
    assert!(text.contains("`lots`"), "{text}");
}

#[test]
fn settings_resolve_builder_then_env_then_profile() {
    let home = TempDir::new();
    home.config(
        "[default]\nmax_attempts = 5\nretry_mode = adaptive\nuse_fips_endpoint = true\n\
         use_dualstack_endpoint = TRUE\nsdk_ua_app_id = from-profile\n",
    );
    let from_profile = Config::builder().env(home.env(&[])).load().unwrap();
    assert_eq!(from_profile.retry().max_attempts, 5);
    assert_eq!(from_profile.retry().mode, RetryMode::Adaptive);
    assert!(from_profile.use_fips());
    assert!(from_profile.use_dual_stack());
    assert_eq!(from_profile.app_name(), Some("from-profile"));

    let from_env = Config::builder()
        .env(home.env(&[
            ("AWS_MAX_ATTEMPTS", "7"),
            ("AWS_RETRY_MODE", "legacy"),
            ("AWS_USE_FIPS_ENDPOINT", "false"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
            ("AWS_SDK_UA_APP_ID", "from-env"),
        ]))
        .load()
        .unwrap();
    assert_eq!(from_env.retry().max_attempts, 7);
    assert_eq!(from_env.retry().mode, RetryMode::Legacy);
    assert!(!from_env.use_fips());
    assert!(!from_env.use_dual_stack());
    assert_eq!(from_env.app_name(), Some("from-env"));

    let explicit = Config::builder()
        .env(home.env(&[("AWS_MAX_ATTEMPTS", "7")]))
        .max_attempts(1)
        .retry_mode(RetryMode::Standard)
        .use_fips(false)
        .use_dual_stack(false)
        .app_name("explicit")
        .verify_tls(false)
        .load()
        .unwrap();
    assert_eq!(explicit.retry().max_attempts, 1);
    assert_eq!(explicit.retry().mode, RetryMode::Standard);
    assert!(!explicit.use_fips());
    assert_eq!(explicit.app_name(), Some("explicit"));
    assert!(!explicit.verify_tls());

    let defaults = Config::builder().env(TempDir::new().env(&[])).load().unwrap();
    assert_eq!(defaults.retry().max_attempts, 3);
    assert_eq!(defaults.retry().mode, RetryMode::Standard);
    assert_eq!(defaults.retry().max_backoff, Duration::from_secs(20));
    assert!(!defaults.use_fips() && !defaults.use_dual_stack());
    assert!(defaults.verify_tls());
    assert_eq!(defaults.app_name(), None);
    assert_eq!(defaults.profile_name(), "default");
    assert_eq!(*defaults.timeouts(), Timeouts::default());
}

#[test]
fn timeouts_are_configurable() {
    let config = Config::builder()
        .env(TempDir::new().env(&[]))
        .timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: None,
            operation: None,
        })
        .operation_timeout(Duration::from_secs(10))
        .load()
        .unwrap();
    assert_eq!(config.timeouts().connect, Duration::from_secs(1));
    assert_eq!(config.timeouts().attempt, None);
    assert_eq!(config.timeouts().operation, Some(Duration::from_secs(10)));

    let config = Config::builder()
        .env(TempDir::new().env(&[]))
        .connect_timeout(Duration::from_millis(500))
        .attempt_timeout(Duration::from_secs(5))
        .load()
        .unwrap();
    assert_eq!(config.timeouts().connect, Duration::from_millis(500));
    assert_eq!(config.timeouts().attempt, Some(Duration::from_secs(5)));
    assert_eq!(config.timeouts().operation, Some(Duration::from_secs(90)));
}

#[test]
fn endpoint_url_resolution_order() {
    let home = TempDir::new();
    home.config(
        "[default]\nservices = dev\nendpoint_url = http://profile-wide:1\n\
         [services dev]\napprunner =\n  endpoint_url = http://services-section:2\ns3 =\n  endpoint_url = http://s3:3\n\
         [profile bare]\nendpoint_url = http://bare-profile:4\n\
         [profile ignoring]\nendpoint_url = http://ignored:5\nignore_configured_endpoint_urls = true\n",
    );
    let url = |vars: &[(&str, &str)], explicit: Option<&str>| {
        let mut builder = Config::builder().env(home.env(vars));
        if let Some(explicit) = explicit {
            builder = builder.endpoint_url(explicit);
        }
        builder.load().unwrap().endpoint_url(&APPRUNNER)
    };
    assert_eq!(url(&[], None).as_deref(), Some("http://services-section:2"));
    assert_eq!(
        url(&[("AWS_PROFILE", "bare")], None).as_deref(),
        Some("http://bare-profile:4")
    );
    assert_eq!(
        url(&[("AWS_ENDPOINT_URL", "http://global-env:6")], None).as_deref(),
        Some("http://global-env:6")
    );
    let both = [
        ("AWS_ENDPOINT_URL", "http://global-env:6"),
        ("AWS_ENDPOINT_URL_APPRUNNER", "http://service-env:7"),
    ];
    assert_eq!(url(&both, None).as_deref(), Some("http://service-env:7"));
    assert_eq!(
        url(&both, Some("https://explicit:8")).as_deref(),
        Some("https://explicit:8")
    );
    // Ignoring configured endpoints: by variable or profile; the builder's value still wins.
    let ignoring = [
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ("AWS_ENDPOINT_URL_APPRUNNER", "http://service-env:7"),
    ];
    assert_eq!(url(&ignoring, None), None);
    assert_eq!(url(&[("AWS_PROFILE", "ignoring")], None), None);
    assert_eq!(
        url(&ignoring, Some("https://explicit:8")).as_deref(),
        Some("https://explicit:8")
    );
}

#[test]
fn endpoint_url_mistakes_fail_at_load() {
    let home = TempDir::new();
    let error = Config::builder()
        .env(home.env(&[("AWS_ENDPOINT_URL_APPRUNNER", "localhost:8080")]))
        .load()
        .unwrap_err();
    assert!(error.to_string().contains("AWS_ENDPOINT_URL_APPRUNNER"), "{error}");
    assert!(error.to_string().contains("http:// or https://"), "{error}");

    home.config("[default]\nservices = missing\n");
    let error = Config::builder().env(home.env(&[])).load().unwrap_err();
    assert!(error.to_string().contains("`services` in profile `default`"), "{error}");
    assert!(error.to_string().contains("[services NAME]"), "{error}");

    home.config("[default]\nservices = dev\n[services dev]\napprunner =\n  endpoint_url = nonsense\n");
    let error = Config::builder().env(home.env(&[])).load().unwrap_err();
    assert!(error.to_string().contains("apprunner.endpoint_url"), "{error}");

    let error = Config::builder()
        .env(TempDir::new().env(&[]))
        .endpoint_url("not a url")
        .load()
        .unwrap_err();
    assert!(matches!(error, ConfigError::InvalidSetting { .. }), "{error}");
}

// ---------------------------------------------------------------------------
// Profile files
// ---------------------------------------------------------------------------

#[test]
fn profile_files_are_found_through_env_and_home() {
    let home = TempDir::new();
    let config = home.write("custom-config", "[profile alt]\nregion = us-west-2\n");
    let credentials = home.write("custom-credentials", "[alt]\naws_access_key_id = AKIDALT\n");
    let env = home.env(&[
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
    ]);
    let set = ProfileSet::load(&env).unwrap();
    let alt = set.profile("alt").unwrap();
    assert_eq!(alt.get("region"), Some("us-west-2"));
    assert_eq!(alt.get("aws_access_key_id"), Some("AKIDALT"));
    assert!(set.config_found() && set.credentials_found());

    // `~` in the variables means the home directory.
    let env = home.env(&[("AWS_CONFIG_FILE", "~/custom-config")]);
    assert!(ProfileSet::load(&env).unwrap().profile("alt").is_some());

    // No files at all is fine.
    let set = ProfileSet::load(&TempDir::new().env(&[])).unwrap();
    assert!(!set.config_found() && !set.credentials_found());
    assert_eq!(set.profile_names().count(), 0);
}

#[test]
fn malformed_profile_file_is_an_error_with_file_and_line() {
    let home = TempDir::new();
    home.config("[default]\nregion = us-east-1\n\n# fine\nthis line is wrong\n");
    let error = Config::builder().env(home.env(&[])).load().unwrap_err();
    let ConfigError::ProfileFile { path, line, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(path.ends_with("config"), "{path}");
    assert_eq!(*line, 5);
    assert!(error.to_string().contains("line 5"), "{error}");

    let home = TempDir::new();
    home.credentials("[default]\naws_access_key_id = A\n[broken\n");
    let error = Config::builder().env(home.env(&[])).load().unwrap_err();
    assert!(
        matches!(&error, ConfigError::ProfileFile { path, line: 3, .. } if path.ends_with("credentials")),
        "{error:?}"
    );
}

#[test]
fn selecting_an_undefined_profile_is_an_error() {
    let home = TempDir::new();
    home.config("[profile a]\nregion = x\n[profile b]\nregion = y\n");
    let error = Config::builder()
        .env(home.env(&[("AWS_PROFILE", "typo")]))
        .load()
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`typo`") && text.contains("AWS_PROFILE"), "{text}");
    assert!(text.contains("defined profiles: a, b"), "{text}");
    // A missing `default` is not an error.
    assert!(Config::builder().env(home.env(&[])).load().is_ok());
}

// ---------------------------------------------------------------------------
// Credential sources
// ---------------------------------------------------------------------------

#[tokio::test]
async fn environment_credentials() {
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]);
    let credentials = EnvironmentProvider::new(env).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDENV");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(TOKEN));
    assert_eq!(credentials.provider_name(), "environment");

    let partial = Env::from_vars([("AWS_ACCESS_KEY_ID", "AKIDENV")]);
    let error = EnvironmentProvider::new(partial)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!error.is_not_found());
    assert!(error.to_string().contains("AWS_SECRET_ACCESS_KEY is not"), "{error}");

    let none = EnvironmentProvider::new(Env::from_vars([("X", "y")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(none.is_not_found());
}

#[tokio::test]
async fn profile_credentials_file_wins_over_config() {
    let home = TempDir::new();
    home.config(
        "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n\
         [profile onlyconfig]\naws_access_key_id = AKIDONLYCONFIG\naws_secret_access_key = s\n",
    );
    home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
    ));
    let credentials = ProfileProvider::new(home.env(&[])).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDCREDS");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(TOKEN));

    let other = ProfileProvider::new(home.env(&[]))
        .profile_name("onlyconfig")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(other.access_key_id(), "AKIDONLYCONFIG");

    let via_env = ProfileProvider::new(home.env(&[("AWS_PROFILE", "onlyconfig")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(via_env.access_key_id(), "AKIDONLYCONFIG");
}

#[tokio::test]
async fn profile_problems_are_errors_not_fall_through() {
    let home = TempDir::new();
    home.config(
        "[profile half]\naws_access_key_id = AKID\n\
         [profile assume]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = half\n",
    );
    let error = ProfileProvider::new(home.env(&[]))
        .profile_name("half")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("aws_secret_access_key is not"), "{error}");

    let error = ProfileProvider::new(home.env(&[]))
        .profile_name("assume")
        .provide_credentials()
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("role_arn") && text.contains("not support"), "{text}");
    assert!(text.contains("export-credentials"), "{text}");

    let error = ProfileProvider::new(home.env(&[]))
        .profile_name("absent")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!error.is_not_found());
    assert!(error.to_string().contains("not defined"), "{error}");
}

#[cfg(unix)]
mod process {
    use super::*;

    fn env_with_process(home: &TempDir, command: &str) -> Env {
        home.config(&format!("[default]\ncredential_process = {command}\n"));
        home.env(&[])
    }

    #[tokio::test]
    async fn success_with_token_and_expiration() {
        let home = TempDir::new();
        let expiry = SystemTime::now() + Duration::from_secs(3600);
        let output = format!(
            r#"{{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "{}"}}"#,
            rfc3339(expiry)
        );
        let file = home.write("out.json", &output);
        let env = env_with_process(&home, &format!("cat {}", file.display()));
        let credentials = ProcessProvider::new(env).provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDPROC");
        assert_eq!(credentials.secret_access_key(), SECRET);
        assert_eq!(credentials.session_token(), Some(TOKEN));
        assert_eq!(credentials.provider_name(), "credential_process");
        let got = credentials.expiry().unwrap();
        let diff = got.duration_since(expiry).unwrap_or_else(|e| e.duration());
        assert!(diff < Duration::from_millis(2), "{diff:?}");

        // Without a token or expiry, and given directly.
        let direct = ProcessProvider::from_command(
            r#"printf '%s' '{"Version": 1, "AccessKeyId": "AKIDDIRECT", "SecretAccessKey": "s"}'"#,
        )
        .provide_credentials()
        .await
        .unwrap();
        assert_eq!(direct.access_key_id(), "AKIDDIRECT");
        assert_eq!(direct.session_token(), None);
        assert_eq!(direct.expiry(), None);
    }

    #[tokio::test]
    async fn fake_env_variables_reach_the_command() {
        let home = TempDir::new();
        home.config(
            "[default]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"s\"}' \"$MY_KEY_ID\"\n",
        );
        let credentials = ProcessProvider::new(home.env(&[("MY_KEY_ID", "AKIDFROMVAR")]))
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDFROMVAR");
    }

    #[tokio::test]
    async fn failure_quotes_stderr_but_not_arguments() {
        let home = TempDir::new();
        let env = env_with_process(&home, "sh -c 'echo boom: token expired >&2; exit 3' --password hunter2");
        let error = ProcessProvider::new(env).provide_credentials().await.unwrap_err();
        let text = error.to_string();
        assert!(!error.is_not_found());
        assert!(text.contains("boom: token expired"), "{text}");
        assert!(text.contains("exit status: 3"), "{text}");
        assert!(text.contains("profile `default`"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{error:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn invalid_json_is_a_clear_error_without_the_output() {
        let home = TempDir::new();
        let env = env_with_process(
            &home,
            &format!("echo 'AccessKeyId=AKID SecretAccessKey={SECRET}'; echo warning-on-stderr >&2"),
        );
        let error = ProcessProvider::new(env).provide_credentials().await.unwrap_err();
        let text = error.to_string();
        assert!(text.contains("not a credentials document"), "{text}");
        assert!(text.contains("not valid JSON"), "{text}");
        assert!(text.contains("warning-on-stderr"), "{text}");
        assert!(text.contains("\"Version\": 1"), "{text}");
        assert!(!text.contains(SECRET), "{text}");

        let cases = [
            (
                r#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "unsupported `Version` 2",
            ),
            (
                r#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "`Version` is missing",
            ),
            (r#"{"Version": 1, "AccessKeyId": "A"}"#, "`SecretAccessKey` is missing"),
            (
                r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "tomorrow"}"#,
                "RFC 3339",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2001-01-01T00:00:00Z"}"#,
                "expired at 2001-01-01",
            ),
        ];
        for (output, needle) in cases {
            let file = home.write("out.json", output);
            let error = ProcessProvider::from_command(format!("cat {}", file.display()))
                .provide_credentials()
                .await
                .unwrap_err();
            assert!(error.to_string().contains(needle), "{needle}: {error}");
        }
    }

    #[tokio::test]
    async fn an_abandoned_command_is_killed() {
        let home = TempDir::new();
        let pid_file = home.path().join("pid");
        let command = format!("echo $$ > {}; exec sleep 30", pid_file.display());
        let provider = ProcessProvider::from_command(command);
        let call = provider.provide_credentials();
        assert!(tokio::time::timeout(Duration::from_millis(500), call).await.is_err());
        let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_owned();
        let proc_dir = std::path::Path::new("/proc").join(&pid);
        // The waiting thread notices within milliseconds; allow a slow machine two seconds.
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while proc_dir.exists() && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(!proc_dir.exists(), "the command (pid {pid}) still runs");
    }

    #[tokio::test]
    async fn a_large_standard_error_does_not_stall_the_command() {
        let command = r#"head -c 300000 /dev/zero | tr '\0' x >&2; printf '%s' '{"Version": 1, "AccessKeyId": "AKIDBIG", "SecretAccessKey": "s"}'"#;
        let provider = ProcessProvider::from_command(command);
        let credentials = provider.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDBIG");
    }

    #[tokio::test]
    async fn stderr_that_holds_credentials_is_withheld() {
        let error = ProcessProvider::from_command(format!("echo '{{\"SecretAccessKey\": \"{SECRET}\"}}' >&2; exit 1"))
            .provide_credentials()
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("withheld"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }

    #[tokio::test]
    async fn expiration_is_honoured_by_the_cache() {
        let home = TempDir::new();
        let output = home.path().join("out.json");
        let counter = home.path().join("count");
        let write_output = |expiry: SystemTime, key: &str| {
            std::fs::write(
                &output,
                format!(
                    r#"{{"Version": 1, "AccessKeyId": "{key}", "SecretAccessKey": "{SECRET}", "Expiration": "{}"}}"#,
                    rfc3339(expiry)
                ),
            )
            .unwrap();
        };
        let runs = || std::fs::read_to_string(&counter).unwrap_or_default().lines().count();
        write_output(SystemTime::now() + Duration::from_secs(4), "AKIDFIRST");
        let env = env_with_process(
            &home,
            &format!("cat {}; echo run >> {}", output.display(), counter.display()),
        );
        let shared = SharedCredentialsProvider::new(ProcessProvider::new(env));

        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKIDFIRST");
        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKIDFIRST");
        assert_eq!(runs(), 1);

        // Short-lived credentials are refreshed once half their life has passed.
        write_output(SystemTime::now() + Duration::from_secs(3600), "AKIDSECOND");
        tokio::time::sleep(Duration::from_millis(2200)).await;
        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKIDSECOND");
        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKIDSECOND");
        assert_eq!(runs(), 2);
    }
}

#[tokio::test]
async fn container_credentials_with_token_variable() {
    let server = fake_container("Bearer abc123", "AKIDCONTAINER").await;
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds")),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc123".to_owned()),
    ]);
    let credentials = ContainerProvider::new(env).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDCONTAINER");
    assert_eq!(credentials.session_token(), Some(TOKEN));
    assert!(credentials.expiry().is_some());
    assert_eq!(credentials.provider_name(), "container");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");

    // A wrong token: the server's 401 becomes an error naming the status.
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds")),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong".to_owned()),
    ]);
    let error = ContainerProvider::new(env).provide_credentials().await.unwrap_err();
    assert!(error.to_string().contains("HTTP status 401"), "{error}");
    assert!(error.to_string().contains("bad token"), "{error}");
}

#[tokio::test]
async fn container_credentials_with_token_file_which_wins() {
    let server = fake_container("from-file", "AKIDFILE").await;
    let home = TempDir::new();
    let token_file = home.write("token", "from-file\n");
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds")),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable".to_owned()),
    ]);
    let credentials = ContainerProvider::new(env).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDFILE");

    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds")),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "/nonexistent/token".to_owned(),
        ),
    ]);
    let error = ContainerProvider::new(env).provide_credentials().await.unwrap_err();
    assert!(
        error.to_string().contains("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
        "{error}"
    );
}

#[tokio::test]
async fn container_refuses_plain_http_to_other_hosts_and_handles_bad_bodies() {
    let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://198.51.100.7/creds")]);
    let error = ContainerProvider::new(env).provide_credentials().await.unwrap_err();
    assert!(!error.is_not_found());
    assert!(error.to_string().contains("plain HTTP"), "{error}");

    let server = FakeServer::start(|request| match request.path.as_str() {
        "/garbage" => (200, format!("<html>{SECRET}</html>")),
        "/incomplete" => (200, r#"{"AccessKeyId": "A"}"#.to_owned()),
        _ => (500, "oops".to_owned()),
    })
    .await;
    for (path, needle) in [
        ("/garbage", "not valid JSON"),
        ("/incomplete", "`SecretAccessKey` is missing"),
        ("/down", "HTTP status 500"),
    ] {
        let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url(path))]);
        let error = ContainerProvider::new(env).provide_credentials().await.unwrap_err();
        assert!(error.to_string().contains(needle), "{path}: {error}");
        assert!(!error.to_string().contains(SECRET));
    }
    // Server errors are retried once.
    assert_eq!(server.requests().iter().filter(|r| r.path == "/down").count(), 2);
}

#[tokio::test]
async fn imds_token_flow() {
    let server = fake_imds("AKIDIMDS").await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"))]);
    let credentials = ImdsProvider::new(env).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDIMDS");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(TOKEN));
    assert_eq!(credentials.provider_name(), "imds");

    let requests = server.requests();
    let summary: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.path.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/web-role"),
        ]
    );
    assert_eq!(
        requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for request in &requests[1..] {
        assert_eq!(request.header("x-aws-ec2-metadata-token"), Some("imds-session-token"));
    }
}

#[tokio::test]
async fn imds_disabled_makes_no_request() {
    let server = fake_imds("AKIDIMDS").await;
    let env = Env::from_vars([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("")),
        ("AWS_EC2_METADATA_DISABLED", "TRUE".to_owned()),
    ]);
    let error = ImdsProvider::new(env).provide_credentials().await.unwrap_err();
    assert!(error.is_not_found());
    assert!(
        error.to_string().contains("disabled by AWS_EC2_METADATA_DISABLED"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn imds_unreachable_fails_fast_and_is_not_found() {
    let endpoint = closed_port_url().await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.clone())]);
    let started = Instant::now();
    let error = ImdsProvider::new(env).provide_credentials().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(error.is_not_found());
    assert!(
        error
            .to_string()
            .contains(&format!("EC2 instance metadata at {endpoint} (not reachable")),
        "{error}"
    );
}

#[tokio::test]
async fn imds_without_role_and_with_failed_code() {
    let server = FakeServer::start(|request| match request.path.as_str() {
        "/latest/api/token" => (200, "t".to_owned()),
        _ => (404, String::new()),
    })
    .await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url(""))]);
    let error = ImdsProvider::new(env).provide_credentials().await.unwrap_err();
    assert!(error.is_not_found());
    assert!(error.to_string().contains("no IAM role attached"), "{error}");

    let server = FakeServer::start(|request| match request.path.as_str() {
        "/latest/api/token" => (200, "t".to_owned()),
        "/latest/meta-data/iam/security-credentials/" => (200, "r".to_owned()),
        _ => (
            200,
            r#"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "denied"}"#.to_owned(),
        ),
    })
    .await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url(""))]);
    let error = ImdsProvider::new(env).provide_credentials().await.unwrap_err();
    assert!(!error.is_not_found());
    assert!(error.to_string().contains("AssumeRoleUnauthorizedAccess"), "{error}");
}

// ---------------------------------------------------------------------------
// The default chain
// ---------------------------------------------------------------------------

#[cfg(unix)]
#[tokio::test]
async fn default_chain_order() {
    let imds = fake_imds("AKIDIMDS").await;
    let container = fake_container("tok", "AKIDCONTAINER").await;
    let home = TempDir::new();
    let process_output = home.write(
        "process.json",
        r#"{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "s"}"#,
    );
    let with_static = format!(
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\ncredential_process = cat {}\n",
        process_output.display()
    );
    let process_only = format!("[default]\ncredential_process = cat {}\n", process_output.display());

    let base: Vec<(&str, String)> = vec![
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url("")),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url("/creds")),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok".to_owned()),
        ("AWS_ACCESS_KEY_ID", "AKIDENV".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "s".to_owned()),
    ];
    let source = |vars: &[(&str, String)], profile: &str| {
        home.config(profile);
        let env = Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.clone()))).with_home(home.path());
        Config::builder().env(env).load().unwrap()
    };
    let key = |config: Config| async move {
        config
            .credentials_provider()
            .credentials()
            .await
            .unwrap()
            .access_key_id()
            .to_owned()
    };

    assert_eq!(key(source(&base, &with_static)).await, "AKIDENV");
    assert_eq!(key(source(&base[..3], &with_static)).await, "AKIDPROFILE");
    assert_eq!(key(source(&base[..3], &process_only)).await, "AKIDPROCESS");
    assert_eq!(key(source(&base[..3], "")).await, "AKIDCONTAINER");
    assert_eq!(key(source(&base[..1], "")).await, "AKIDIMDS");

    // Explicit credentials beat everything, and the chain is never consulted.
    home.config(&with_static);
    let env = Env::from_vars(base.iter().map(|(k, v)| (k.to_string(), v.clone()))).with_home(home.path());
    let explicit = Config::builder()
        .env(env)
        .credentials(Credentials::new("AKIDEXPLICIT", "s", None, None, "test"))
        .load()
        .unwrap();
    let before = imds.requests().len() + container.requests().len();
    assert_eq!(key(explicit).await, "AKIDEXPLICIT");
    assert_eq!(imds.requests().len() + container.requests().len(), before);
}

#[tokio::test]
async fn default_chain_error_lists_every_place_looked() {
    let home = TempDir::new();
    let endpoint = closed_port_url().await;
    let env = home.env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.as_str())]);
    let config = Config::builder().env(env.clone()).load().unwrap();
    let error = config.credentials_provider().credentials().await.unwrap_err();
    let CredentialsError::NotFound { looked } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(looked.len(), 5, "{looked:?}");
    let text = error.to_string();
    let credentials_file = home.path().join(".aws/credentials");
    for needle in [
        "no AWS credentials found; looked in: ",
        "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)",
        &format!("profile `default` in {}", credentials_file.display()),
        "(files not found)",
        "credential_process in profile `default`",
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set)",
        &format!("EC2 instance metadata at {endpoint} (not reachable"),
        "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure`",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }

    // The chain used alone says the same, with IMDS disabled this time.
    let env = home.env(&[("AWS_EC2_METADATA_DISABLED", "true")]);
    let error = DefaultCredentialsChain::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("disabled by AWS_EC2_METADATA_DISABLED"),
        "{error}"
    );

    // A source that is configured but broken stops the chain, naming the earlier sources.
    let env = home.env(&[
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"),
    ]);
    let error = DefaultCredentialsChain::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(!error.is_not_found());
    assert!(text.contains("earlier sources had none"), "{text}");
    assert!(
        text.contains("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)"),
        "{text}"
    );
    assert!(text.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"), "{text}");
}

// ---------------------------------------------------------------------------
// Caching and custom providers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn non_expiring_credentials_are_fetched_once() {
    let (shared, calls) = counting(None, Duration::ZERO);
    for _ in 0..5 {
        assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID1");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let (shared, calls) = counting(Some(Duration::from_secs(3600)), Duration::ZERO);
    for _ in 0..5 {
        shared.credentials().await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    shared.invalidate().await;
    assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID2");
}

#[tokio::test]
async fn credentials_near_expiry_are_refreshed() {
    // Refreshed once half the lifetime has passed, as it is shorter than the 5-minute buffer.
    let (shared, calls) = counting(Some(Duration::from_secs(2)), Duration::ZERO);
    assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(shared.credentials().await.unwrap().access_key_id(), "AKID2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    // Already-expired credentials are fetched on every call.
    let calls = Arc::new(AtomicUsize::new(0));
    #[derive(Debug)]
    struct Expired(Arc<AtomicUsize>);
    impl ProvideCredentials for Expired {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            self.0.fetch_add(1, Ordering::SeqCst);
            let expired = SystemTime::now() - Duration::from_secs(1);
            Box::pin(async move { Ok(Credentials::new("A", "S", None, Some(expired), "expired")) })
        }
    }
    let shared = SharedCredentialsProvider::new(Expired(calls.clone()));
    shared.credentials().await.unwrap();
    shared.credentials().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_refresh() {
    let (shared, calls) = counting(Some(Duration::from_secs(3600)), Duration::from_millis(100));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let shared = shared.clone();
            tokio::spawn(async move { shared.credentials().await.unwrap().access_key_id().to_owned() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "AKID1");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<Config>();
    check::<Env>();
    check::<Credentials>();
    check::<SharedCredentialsProvider>();
    fn check_provider<T: ProvideCredentials + 'static>() {}
    check_provider::<DefaultCredentialsChain>();
    check_provider::<EnvironmentProvider>();
    check_provider::<ProfileProvider>();
    check_provider::<ProcessProvider>();
    check_provider::<ContainerProvider>();
    check_provider::<ImdsProvider>();
}

#[tokio::test]
async fn custom_providers_plug_into_config() {
    #[derive(Debug)]
    struct Vault;
    impl ProvideCredentials for Vault {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async { Ok(Credentials::new("AKIDVAULT", SECRET, None, None, "vault")) })
        }
    }
    let config = Config::builder()
        .env(TempDir::new().env(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "s")]))
        .credentials_provider(Vault)
        .load()
        .unwrap();
    let credentials = config.credentials_provider().credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDVAULT");
    assert_eq!(credentials.provider_name(), "vault");

    #[derive(Debug)]
    struct Broken;
    impl ProvideCredentials for Broken {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async { Err(CredentialsError::failed("vault", "sealed", "Unseal the vault")) })
        }
    }
    let error = SharedCredentialsProvider::new(Broken).credentials().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "could not get AWS credentials from vault: sealed. Unseal the vault"
    );

    // A shared provider can be given as it is, keeping its cache.
    let (shared, calls) = counting(None, Duration::ZERO);
    for _ in 0..2 {
        let config = Config::builder()
            .env(TempDir::new().env(&[]))
            .shared_credentials_provider(shared.clone())
            .load()
            .unwrap();
        config.credentials_provider().credentials().await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------
// Secrets never leak
// ---------------------------------------------------------------------------

#[tokio::test]
async fn secrets_never_appear_in_debug_or_messages() {
    let home = TempDir::new();
    home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
    ));
    home.config(&format!(
        "[default]\nregion = us-east-1\ncredential_process = get-creds --secret {SECRET}\n"
    ));
    let env = home.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let mut texts = Vec::new();

    let builder = Config::builder().env(env.clone()).credentials(Credentials::new(
        "AKIDEXPLICIT",
        SECRET,
        Some(TOKEN.to_owned()),
        None,
        "test",
    ));
    texts.push(format!("{builder:?}"));
    let explicit = builder.load().unwrap();
    texts.push(format!("{explicit:?}"));
    let credentials = explicit.credentials_provider().credentials().await.unwrap();
    texts.push(format!("{credentials:?}"));
    texts.push(format!("{:?}", explicit.credentials_provider()));
    texts.push(format!("{explicit:?}"));

    let from_chain = Config::builder().env(env.clone()).load().unwrap();
    let credentials = from_chain.credentials_provider().credentials().await.unwrap();
    assert_eq!(credentials.secret_access_key(), SECRET);
    texts.push(format!("{credentials:?}"));
    texts.push(format!("{from_chain:?}"));
    texts.push(format!("{:?}", from_chain.profiles()));
    texts.push(format!("{env:?}"));
    texts.push(format!("{:?}", DefaultCredentialsChain::new(env.clone())));
    texts.push(format!(
        "{:?}",
        ProcessProvider::from_command(format!("x --secret {SECRET}"))
    ));
    texts.push(format!("{:?}", ContainerProvider::new(env.clone())));

    // Errors from providers that handled the secret.
    let partial = Env::from_vars([("AWS_SECRET_ACCESS_KEY", SECRET)]);
    let error = EnvironmentProvider::new(partial)
        .provide_credentials()
        .await
        .unwrap_err();
    texts.push(format!("{error} {error:?}"));
    let half = TempDir::new();
    half.credentials(&format!("[default]\naws_secret_access_key = {SECRET}\n"));
    let error = ProfileProvider::new(half.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    texts.push(format!("{error} {error:?}"));
    let bad = TempDir::new();
    bad.config(&format!("[default]\nregion = us-east-1\nbroken {SECRET}\n"));
    if let Err(error) = Config::builder().env(bad.env(&[])).load() {
        texts.push(format!("{error:?}"));
    }

    for text in &texts {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
    assert!(texts.iter().any(|t| t.contains("AKIDEXPLICIT")));
}
