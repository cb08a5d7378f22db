//! The lifecycle engine: runs the operations the API starts, in the background, and keeps
//! each live service's proxy listener and application process.
//!
//! A CreateService operation deploys (or, with `--simulate`, waits the simulated delay) and
//! then ends `SUCCEEDED` with the service `RUNNING`, or `FAILED` with it `CREATE_FAILED`. A
//! DeleteService operation stops the application, closes the service's port and ends with the
//! service `DELETED`. Each end is one store transaction, so a restart finds every operation
//! either finished or still `IN_PROGRESS`; [`Engine::resume`] restarts the unfinished ones from
//! the beginning and relaunches the applications of running services.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use apprunner_types::{OperationStatus, OperationType, ServiceStatus};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::Options;
use crate::store::{ServiceRecord, Store, StoreError};

/// Where a service's traffic goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Backend {
    /// Being created or resumed: nothing answers yet.
    Starting,
    /// Created with `--simulate`: the proxy answers for the application.
    Simulated,
    /// The application listens on this local port.
    App(u16),
    /// Not serving, and why.
    Down(String),
}

/// What the engine keeps for one live service.
#[derive(Debug)]
pub(crate) struct ServiceRuntime {
    /// The service ARN.
    pub(crate) arn: String,
    /// The service name.
    pub(crate) name: String,
    /// `<data dir>/services/<id>`: the checkout, logs and process file.
    pub(crate) dir: PathBuf,
    backend: RwLock<Backend>,
    proxy: Mutex<Option<JoinHandle<()>>>,
    /// Process groups started for the service that are still running, with their start
    /// times; mirrored in `<dir>/processes` so a restart after a crash can find them.
    processes: Mutex<HashMap<u32, String>>,
    /// Flipped to `true` to make the supervisor stop the application.
    stop: watch::Sender<bool>,
    supervisor: Mutex<Option<JoinHandle<()>>>,
}

impl ServiceRuntime {
    /// Where traffic goes now.
    pub(crate) fn backend(&self) -> Backend {
        self.backend.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Changes where traffic goes.
    pub(crate) fn set_backend(&self, backend: Backend) {
        *self.backend.write().unwrap_or_else(|p| p.into_inner()) = backend;
    }

    /// The directory of the service's logs.
    pub(crate) fn log_dir(&self) -> PathBuf {
        self.dir.join("logs")
    }

    /// Appends a line to the service's event log (`logs/events.log`), as App Runner keeps a
    /// service event log, and to the endpoint's own log.
    pub(crate) fn event(&self, message: &str) {
        use std::io::Write;
        tracing::info!(service = %self.name, "{message}");
        let dir = self.log_dir();
        let line = format!(
            "{} {message}\n",
            crate::ids::now().fmt(apprunner_smithy::TimestampFormat::DateTime)
        );
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("events.log"))?
                .write_all(line.as_bytes())
        });
        if let Err(error) = written {
            tracing::warn!(%error, "cannot write the service event log");
        }
    }

    /// Records a running process group.
    pub(crate) fn track(&self, pgid: u32) {
        let start = crate::deploy::process_start_time(pgid).unwrap_or_default();
        let mut processes = self.processes.lock().unwrap_or_else(|p| p.into_inner());
        processes.insert(pgid, start);
        self.save_processes(&processes);
    }

    /// Forgets a process group that has ended.
    pub(crate) fn untrack(&self, pgid: u32) {
        let mut processes = self.processes.lock().unwrap_or_else(|p| p.into_inner());
        processes.remove(&pgid);
        self.save_processes(&processes);
    }

    /// Writes `<dir>/processes`: one `pgid start-time` line per running process group.
    fn save_processes(&self, processes: &HashMap<u32, String>) {
        let path = self.dir.join("processes");
        if processes.is_empty() {
            let _ = std::fs::remove_file(path);
            return;
        }
        let text: String = processes
            .iter()
            .map(|(pgid, start)| format!("{pgid} {start}\n"))
            .collect();
        let _ = std::fs::create_dir_all(&self.dir).and_then(|()| std::fs::write(path, text));
    }

    /// Sends `signal` to every process group still running.
    pub(crate) fn signal_all(&self, signal: &str) {
        let groups: Vec<u32> = self
            .processes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys()
            .copied()
            .collect();
        for pgid in groups {
            crate::deploy::signal_group(pgid, signal);
        }
    }

    /// A receiver that turns `true` when the application must stop.
    pub(crate) fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// Installs the task that keeps the application running.
    pub(crate) fn set_supervisor(&self, handle: JoinHandle<()>) {
        let old = self
            .supervisor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(handle);
        if let Some(old) = old {
            old.abort();
        }
    }

    /// Stops the application (TERM, then KILL after a grace period) and any build still
    /// running, and waits for them.
    pub(crate) async fn stop_app(&self) {
        self.stop.send_replace(true);
        let supervisor = self.supervisor.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(supervisor) = supervisor
            && tokio::time::timeout(Duration::from_secs(15), supervisor).await.is_err()
        {
            tracing::warn!(service = %self.name, "the application supervisor did not stop in time");
        }
        self.signal_all("KILL");
    }

    /// Closes the service's port (ending its connections), and waits until it is closed.
    async fn close_proxy(&self) {
        let proxy = self.proxy.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(proxy) = proxy {
            proxy.abort();
            let _ = proxy.await;
        }
    }

    /// Closes the service's port without waiting.
    fn abort_proxy(&self) {
        if let Some(proxy) = self.proxy.lock().unwrap_or_else(|p| p.into_inner()).take() {
            proxy.abort();
        }
    }
}

/// The engine: options, store, live services and background tasks.
#[derive(Debug)]
pub(crate) struct Engine {
    options: Arc<Options>,
    store: Store,
    services: Mutex<HashMap<String, Arc<ServiceRuntime>>>,
    tasks: Mutex<JoinSet<()>>,
    shutting_down: AtomicBool,
}

impl Engine {
    pub(crate) fn new(options: Arc<Options>, store: Store) -> Arc<Self> {
        Arc::new(Self {
            options,
            store,
            services: Mutex::new(HashMap::new()),
            tasks: Mutex::new(JoinSet::new()),
            shutting_down: AtomicBool::new(false),
        })
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The `ServiceUrl` of a service served on `port`: `host:port`, without a scheme, as App
    /// Runner gives a bare domain name.
    pub(crate) fn service_url(&self, port: u16) -> String {
        SocketAddr::new(self.options.public_host(), port).to_string()
    }

    /// Opens a listener for a service, on `preferred` if it is free, else on any free port.
    pub(crate) async fn bind_service_port(&self, preferred: Option<u16>) -> std::io::Result<TcpListener> {
        if let Some(port) = preferred {
            match TcpListener::bind(SocketAddr::new(self.options.host, port)).await {
                Ok(listener) => return Ok(listener),
                Err(error) => tracing::warn!(port, %error, "a service's port is taken; it gets a new one"),
            }
        }
        TcpListener::bind(SocketAddr::new(self.options.host, 0)).await
    }

    /// The runtime of a live service.
    pub(crate) fn runtime(&self, arn: &str) -> Option<Arc<ServiceRuntime>> {
        self.services
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(arn)
            .cloned()
    }

    /// Registers a live service and starts serving its port.
    pub(crate) fn attach(self: &Arc<Self>, record: &ServiceRecord, listener: TcpListener) -> Arc<ServiceRuntime> {
        let service = &record.service;
        let initial = match service.status {
            ServiceStatus::Running if self.options.simulate => Backend::Simulated,
            ServiceStatus::CreateFailed => Backend::Down("the service failed to create".to_owned()),
            _ => Backend::Starting,
        };
        let runtime = Arc::new(ServiceRuntime {
            arn: service.service_arn.clone(),
            name: service.service_name.clone(),
            dir: self.options.data_dir.join("services").join(&service.service_id),
            backend: RwLock::new(initial),
            proxy: Mutex::new(None),
            processes: Mutex::new(HashMap::new()),
            stop: watch::Sender::new(false),
            supervisor: Mutex::new(None),
        });
        let proxy = tokio::spawn(crate::proxy::serve(listener, runtime.clone()));
        *runtime.proxy.lock().unwrap_or_else(|p| p.into_inner()) = Some(proxy);
        let old = self
            .services
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(runtime.arn.clone(), runtime.clone());
        if let Some(old) = old {
            old.abort_proxy();
        }
        runtime
    }

    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        if self.shutting_down.load(Ordering::SeqCst) {
            return;
        }
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        while tasks.try_join_next().is_some() {}
        tasks.spawn(task);
    }

    /// Runs a CreateService operation in the background.
    pub(crate) fn spawn_create(self: &Arc<Self>, operation_id: String, arn: String) {
        let engine = self.clone();
        self.spawn(async move { engine.run_create(operation_id, arn).await });
    }

    /// Runs a DeleteService operation in the background.
    pub(crate) fn spawn_delete(self: &Arc<Self>, operation_id: String, arn: String) {
        let engine = self.clone();
        self.spawn(async move { engine.run_delete(operation_id, arn).await });
    }

    async fn run_create(self: Arc<Self>, operation_id: String, arn: String) {
        let (Some(runtime), Ok(Some(record))) = (self.runtime(&arn), self.store.service(arn.clone()).await) else {
            tracing::error!(%arn, "a create operation lost its service");
            return;
        };
        runtime.event("Service creation started.");
        let result = if self.options.simulate {
            tokio::time::sleep(self.options.simulate_delay).await;
            runtime.set_backend(Backend::Simulated);
            Ok(())
        } else {
            crate::deploy::deploy(&self, &runtime, &record.service).await
        };
        let finished = match &result {
            Ok(()) => {
                runtime.event("Service creation succeeded: the service is RUNNING.");
                self.store
                    .finish_operation(operation_id, OperationStatus::Succeeded, ServiceStatus::Running, None)
                    .await
            }
            Err(reason) => {
                runtime.event(&format!("Service creation failed: {reason}"));
                runtime.set_backend(Backend::Down(reason.clone()));
                runtime.stop_app().await;
                self.store
                    .finish_operation(
                        operation_id,
                        OperationStatus::Failed,
                        ServiceStatus::CreateFailed,
                        Some(reason.clone()),
                    )
                    .await
            }
        };
        if let Err(error) = finished {
            tracing::error!(%arn, %error, "cannot record the end of a create operation");
        }
    }

    async fn run_delete(self: Arc<Self>, operation_id: String, arn: String) {
        let runtime = self.runtime(&arn);
        if let Some(runtime) = &runtime {
            runtime.event("Service deletion started.");
            runtime.set_backend(Backend::Down("the service is being deleted".to_owned()));
            runtime.stop_app().await;
        }
        if self.options.simulate {
            tokio::time::sleep(self.options.simulate_delay).await;
        }
        let finished = self
            .store
            .finish_operation(operation_id, OperationStatus::Succeeded, ServiceStatus::Deleted, None)
            .await;
        if let Err(error) = finished {
            tracing::error!(%arn, %error, "cannot record the end of a delete operation");
            return;
        }
        let removed = self.services.lock().unwrap_or_else(|p| p.into_inner()).remove(&arn);
        if let Some(runtime) = removed.or(runtime) {
            runtime.close_proxy().await;
            runtime.event("Service deleted.");
            // The checkout goes; the logs stay for inspection.
            let _ = std::fs::remove_dir_all(runtime.dir.join("source"));
            let _ = std::fs::remove_dir_all(runtime.dir.join("venv"));
        }
    }

    /// After a start: serves the port of every live service again, relaunches the applications
    /// of running ones, and restarts the operations a previous run left unfinished.
    pub(crate) async fn resume(self: &Arc<Self>) -> Result<(), StoreError> {
        let live = self.store.live_services().await?;
        for record in live {
            let listener = match self.bind_service_port(Some(record.port)).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::error!(arn = %record.service.service_arn, %error, "cannot open a port for a service");
                    continue;
                }
            };
            let port = listener.local_addr().map(|a| a.port()).unwrap_or(record.port);
            let mut record = record;
            if port != record.port {
                let url = self.service_url(port);
                self.store
                    .set_port(record.service.service_arn.clone(), port, url.clone())
                    .await?;
                record.port = port;
                record.service.service_url = Some(url);
            }
            let runtime = self.attach(&record, listener);
            crate::deploy::kill_orphans(&runtime);
            if record.service.status == ServiceStatus::Running && !self.options.simulate {
                let engine = self.clone();
                let service = record.service.clone();
                self.spawn(async move { crate::deploy::relaunch(&engine, &runtime, &service).await });
            }
        }
        for operation in self.store.unfinished_operations().await? {
            let Some(id) = operation.summary.id.clone() else {
                continue;
            };
            tracing::info!(operation = %id, arn = %operation.service_arn, "resuming an unfinished operation");
            match operation.summary.r#type {
                Some(OperationType::CreateService) => self.spawn_create(id, operation.service_arn),
                Some(OperationType::DeleteService) => self.spawn_delete(id, operation.service_arn),
                _ => {}
            }
        }
        Ok(())
    }

    /// Stops everything: background operations (left `IN_PROGRESS` for the next start to
    /// resume), applications, builds and service ports.
    pub(crate) async fn shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        let runtimes: Vec<Arc<ServiceRuntime>> = self
            .services
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(_, runtime)| runtime)
            .collect();
        let mut tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|p| p.into_inner()));
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        let mut stops = JoinSet::new();
        for runtime in &runtimes {
            let runtime = runtime.clone();
            stops.spawn(async move { runtime.stop_app().await });
        }
        while stops.join_next().await.is_some() {}
        for runtime in &runtimes {
            runtime.close_proxy().await;
        }
    }

    /// Stops everything at once, without waiting (for `Drop`).
    pub(crate) fn abort_now(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.tasks.lock().unwrap_or_else(|p| p.into_inner()).abort_all();
        let runtimes: Vec<Arc<ServiceRuntime>> = self
            .services
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(_, runtime)| runtime)
            .collect();
        for runtime in runtimes {
            if let Some(supervisor) = runtime.supervisor.lock().unwrap_or_else(|p| p.into_inner()).take() {
                supervisor.abort();
            }
            runtime.signal_all("KILL");
            runtime.abort_proxy();
        }
    }
}
