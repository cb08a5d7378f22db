//! Real deployments (to come).

use std::sync::Arc;

use apprunner_types::Service;

use crate::engine::{Engine, ServiceRuntime};

/// Deploys a service.
pub(crate) async fn deploy(
    _engine: &Arc<Engine>,
    _runtime: &Arc<ServiceRuntime>,
    _service: &Service,
) -> Result<(), String> {
    Err("real deployments are not supported yet".to_owned())
}

/// Restarts the application of a running service.
pub(crate) async fn relaunch(_engine: &Arc<Engine>, _runtime: &Arc<ServiceRuntime>, _service: &Service) {}

/// Kills processes a crashed run left behind.
pub(crate) fn kill_orphans(_runtime: &ServiceRuntime) {}

/// Sends a signal to a process group.
pub(crate) fn signal_group(pgid: u32, signal: &str) {
    let _ = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{pgid}"))
        .stderr(std::process::Stdio::null())
        .status();
}
