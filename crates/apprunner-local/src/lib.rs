//! `apprunner-local`: an AWS App Runner endpoint on your own machine.
//!
//! It speaks App Runner's awsJson 1.0 API (CreateService, DescribeService, ListServices,
//! ListOperations, DeleteService) the way App Runner does — SigV4, error codes and statuses,
//! asynchronous operations, defaults — so the generated client, the CLI and the AWS CLI work
//! against it unchanged, with no AWS account and no network.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use apprunner_local::{LocalEndpoint, Options};
//!
//! let mut options = Options::new("target/apprunner-local");
//! options.port = 0; // any free port
//! let endpoint = LocalEndpoint::start(options).await?;
//! println!("App Runner at {}", endpoint.url()); // give it to a client as its endpoint URL
//! endpoint.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # What happens to a service
//!
//! CreateService answers at once with the service `OPERATION_IN_PROGRESS` and the id of a
//! `CREATE_SERVICE` operation; ListOperations follows it to `SUCCEEDED` (service `RUNNING`) or
//! `FAILED` (service `CREATE_FAILED`). DeleteService starts a `DELETE_SERVICE` operation that
//! ends with the service `DELETED`: gone from ListServices, `ResourceNotFoundException` for
//! DescribeService (ListOperations still shows its history).
//!
//! - With [`Options::simulate`], nothing runs: operations end after [`Options::simulate_delay`].
//! - Otherwise a code repository reachable from this machine (a local path, a `file://` URL, or
//!   a remote URL when online) is cloned at its branch, built and started with the machine's
//!   own language tools, health-checked as the service's `HealthCheckConfiguration` says, and
//!   served at its `ServiceUrl` through a local reverse proxy. An image repository needs a
//!   container engine (docker or podman with a running daemon); without one the operation
//!   fails with that reason. See the `deploy` module for the details.
//!
//! # Errors
//!
//! As App Runner answers them, with `x-amzn-ErrorType`, a JSON body with `__type` and a
//! message, and `x-amzn-RequestId` (every response also carries `Date`):
//!
//! | code | status | when |
//! | --- | --- | --- |
//! | `InvalidRequestException` | 400 | a missing required member, an unknown enum value, a broken length, pattern or range (every member path named), a rule of App Runner (one source kind, CPU and memory sizes, reserved variable names), a name in use |
//! | `ResourceNotFoundException` | 400 | no live service has the ARN in this account and Region |
//! | `InvalidStateException` | 400 | DeleteService while an operation is in progress |
//! | `ServiceQuotaExceededException` | 400 | [`Options::max_services`] live services in the Region |
//! | `SerializationException` | 400 | the body is not JSON, or a member has the wrong JSON type |
//! | `UnknownOperationException` | 400 / 404 | an `X-Amz-Target` naming no operation / not `POST` with `application/x-amz-json-1.0` |
//! | `MissingAuthenticationTokenException` | 403 | no `Authorization` header |
//! | `IncompleteSignatureException` | 400 | a malformed `Authorization` header, no date, `host` unsigned |
//! | `UnrecognizedClientException` | 403 | an access key id the endpoint does not know |
//! | `InvalidSignatureException` | 403 / 400 | the signature differs / it is dated more than 5 minutes off ("Signature expired") |
//!
//! # Where things are
//!
//! Everything lives under the data directory: `state.sqlite3` (services and operations, see
//! the `store` module for why SQLite), `lock` (one endpoint per data directory), and
//! `services/<service id>/` with `source/` (the checkout) and `logs/` (`build.log`, `app.log`,
//! `events.log`). A service's `ServiceUrl` is `127.0.0.1:<port>`, a port of its own that the
//! endpoint keeps across restarts when it is still free.
//!
//! # Differences from App Runner
//!
//! The endpoint is one account (`123456789012` unless [`Options::account_id`] says otherwise);
//! the Region is the one of each request's signature. Applications run directly on this machine
//! (not in containers), receive a free local port in `PORT` rather than the configured `Port`,
//! and are served over plain HTTP. Auto deployments, custom domains, VPC egress and
//! observability are recorded as configured but have no effect.
#![warn(missing_docs)]

mod api;
mod auth;
mod deploy;
mod engine;
mod error;
mod ids;
mod proxy;
mod server;
mod store;
mod validate;

use std::fs::File;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use auth::{EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY, KeyStore};
pub use error::{ApiError, ErrorCode};

/// The default API port of the `apprunner-local` binary.
pub const DEFAULT_PORT: u16 = 8787;

/// How an endpoint runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address the API and the service ports listen on (127.0.0.1 by default).
    pub host: IpAddr,
    /// The API port; 0 takes any free port.
    pub port: u16,
    /// Where state, checkouts and logs are kept.
    pub data_dir: PathBuf,
    /// Complete operations after [`Options::simulate_delay`] without running anything.
    pub simulate: bool,
    /// How long a simulated operation takes.
    pub simulate_delay: Duration,
    /// Whether requests must carry a valid SigV4 signature from one of [`Options::keys`].
    pub require_auth: bool,
    /// The key pairs signatures are checked against (the AWS documentation's example pair by default).
    pub keys: KeyStore,
    /// The account id in ARNs.
    pub account_id: String,
    /// The Region of requests that carry no signature to take it from (with authentication off).
    pub default_region: String,
    /// How many live services (`CREATE_FAILED` ones included) a Region may hold; App Runner's
    /// default quota is 30.
    pub max_services: usize,
    /// How long cloning a repository may take.
    pub clone_timeout: Duration,
    /// How long the build commands of a deployment may take altogether.
    pub build_timeout: Duration,
    /// The directory a relative `RepositoryUrl` path is resolved against (the process's
    /// working directory when `None`).
    pub working_dir: Option<PathBuf>,
}

impl Options {
    /// The defaults, with state under `data_dir`: 127.0.0.1, port [`DEFAULT_PORT`], real
    /// deployments, SigV4 required with the example key pair, account `123456789012`,
    /// Region `us-east-1` for unsigned requests, 30 services, 5 minutes to clone and
    /// 20 minutes to build.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            data_dir: data_dir.into(),
            simulate: false,
            simulate_delay: Duration::from_secs(2),
            require_auth: true,
            keys: KeyStore::example(),
            account_id: "123456789012".to_owned(),
            default_region: "us-east-1".to_owned(),
            max_services: 30,
            clone_timeout: Duration::from_secs(5 * 60),
            build_timeout: Duration::from_secs(20 * 60),
            working_dir: None,
        }
    }

    /// The host that URLs name: the listening address, or 127.0.0.1 when that is a wildcard.
    fn public_host(&self) -> IpAddr {
        if self.host.is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            self.host
        }
    }
}

/// Why an endpoint could not start.
#[derive(Debug)]
pub struct StartError(String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// A running endpoint. [`LocalEndpoint::shutdown`] stops it gracefully; dropping it stops it
/// abruptly (applications are killed, operations in progress resume at the next start).
#[derive(Debug)]
pub struct LocalEndpoint {
    addr: SocketAddr,
    data_dir: PathBuf,
    engine: Arc<engine::Engine>,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    _lock: File,
}

/// How long [`LocalEndpoint::start`] waits for the data directory's lock before
/// reporting the directory in use.
///
/// The lock is released when its holder closes the lock file, but a process being
/// started at that moment anywhere in the holder's program (a build command, `git`,
/// `kill`) holds a copy of every open file until it has started, and with it the
/// lock. A restart in the same program can meet that window.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Takes the exclusive lock on `lock`, retrying while it is held for up to [`LOCK_WAIT`].
async fn wait_for_lock(lock: &File) -> Result<(), std::fs::TryLockError> {
    let deadline = tokio::time::Instant::now() + LOCK_WAIT;
    loop {
        match lock.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            outcome => return outcome,
        }
    }
}

impl LocalEndpoint {
    /// Opens the data directory (creating it), resumes what a previous run left, and starts
    /// serving.
    pub async fn start(mut options: Options) -> Result<Self, StartError> {
        std::fs::create_dir_all(options.data_dir.join("services")).map_err(|error| {
            StartError(format!(
                "cannot create the data directory {}: {error}",
                options.data_dir.display()
            ))
        })?;
        // Commands run in other directories, so every path derived from this one is absolute.
        options.data_dir = std::fs::canonicalize(&options.data_dir)
            .map_err(|error| StartError(format!("cannot resolve {}: {error}", options.data_dir.display())))?;
        let data_dir = options.data_dir.clone();
        let lock_path = data_dir.join("lock");
        let lock = File::create(&lock_path)
            .map_err(|error| StartError(format!("cannot create {}: {error}", lock_path.display())))?;
        match wait_for_lock(&lock).await {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StartError(format!(
                    "the data directory {} is in use by another apprunner-local",
                    data_dir.display()
                )));
            }
            Err(std::fs::TryLockError::Error(error)) => {
                return Err(StartError(format!("cannot lock {}: {error}", lock_path.display())));
            }
        }
        let store = store::Store::open(&data_dir.join("state.sqlite3"))
            .map_err(|error| StartError(format!("cannot open the state database: {error}")))?;
        let listener = TcpListener::bind(SocketAddr::new(options.host, options.port))
            .await
            .map_err(|error| StartError(format!("cannot listen on {}:{}: {error}", options.host, options.port)))?;
        let addr = listener
            .local_addr()
            .map_err(|error| StartError(format!("cannot read the listening address: {error}")))?;
        let engine = engine::Engine::new(Arc::new(options), store);
        engine
            .resume()
            .await
            .map_err(|error| StartError(format!("cannot resume the stored services: {error}")))?;
        let (stop, stopped) = watch::channel(false);
        let server = tokio::spawn(server::serve(listener, engine.clone(), stopped));
        Ok(Self {
            addr,
            data_dir,
            engine,
            stop,
            server: Some(server),
            _lock: lock,
        })
    }

    /// The endpoint URL to give clients (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        let host = if self.addr.ip().is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            self.addr.ip()
        };
        format!("http://{}", SocketAddr::new(host, self.addr.port()))
    }

    /// The address the API listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// Stops accepting requests, lets those in flight finish, stops the applications and
    /// closes the service ports. Operations in progress stay so and resume at the next start.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.engine.shutdown().await;
    }
}

impl Drop for LocalEndpoint {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
            self.engine.abort_now();
        }
    }
}
