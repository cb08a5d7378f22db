//! Durable state: services and operations in SQLite (`state.sqlite3` under the data directory).
//!
//! # Why SQLite
//!
//! SQLite (through rusqlite, built from its bundled C source, so no system library is needed)
//! gives what the endpoint needs with nothing written by hand: transactions that a killed
//! process never leaves half-applied (write-ahead log, `synchronous=FULL`, so an acknowledged
//! change is on disk), a partial unique index that makes a live service name unique per Region
//! even under concurrent calls, and a file other tools (`sqlite3`) can read when something
//! needs looking into. redb would serve too, but name uniqueness, ordering and paging would be
//! indexes kept by hand.
//!
//! Every state change is one transaction: a service is created together with its
//! `CREATE_SERVICE` operation (and the quota check), a deletion is started together with its
//! `DELETE_SERVICE` operation (and the state check), and an operation ends together with the
//! service status it leads to. Services and operations are stored as their wire JSON (the
//! generated `Service` and `OperationSummary` types), with the columns queries need beside it.

use std::path::Path;
use std::sync::{Arc, Mutex};

use apprunner_smithy::json::{ReadJson, WriteJson};
use apprunner_types::{DateTime, OperationStatus, OperationSummary, Service, ServiceStatus};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// What can go wrong with the store.
#[derive(Debug)]
pub(crate) enum StoreError {
    /// SQLite failed.
    Db(rusqlite::Error),
    /// A live service of that name exists in the Region.
    NameTaken(String),
    /// The Region has as many live services as the quota allows.
    Quota(usize),
    /// No live service has that ARN.
    NotFound,
    /// The service's status does not allow the change.
    InvalidState(String),
    /// A stored document does not parse.
    Corrupt(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Db(error) => write!(f, "database error: {error}"),
            StoreError::NameTaken(name) => write!(f, "a service named {name} exists"),
            StoreError::Quota(max) => write!(f, "the quota of {max} services is reached"),
            StoreError::NotFound => f.write_str("no such service"),
            StoreError::InvalidState(status) => write!(f, "the service is {status}"),
            StoreError::Corrupt(what) => write!(f, "stored data does not parse: {what}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Db(error)
    }
}

/// A stored service.
#[derive(Debug, Clone)]
pub(crate) struct ServiceRecord {
    /// Creation order.
    pub(crate) seq: i64,
    /// The Region it lives in.
    pub(crate) region: String,
    /// The local port its URL points at.
    pub(crate) port: u16,
    /// Its description, as DescribeService returns it.
    pub(crate) service: Service,
}

/// A stored operation.
#[derive(Debug, Clone)]
pub(crate) struct OperationRecord {
    /// Start order.
    pub(crate) seq: i64,
    /// The service it acts on.
    pub(crate) service_arn: String,
    /// Its summary, as ListOperations returns it.
    pub(crate) summary: OperationSummary,
}

/// The database, shared by the request handlers and the background tasks.
#[derive(Clone)]
pub(crate) struct Store {
    connection: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS services (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    arn TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    port INTEGER NOT NULL,
    document TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS services_live_name ON services(region, name) WHERE status <> 'DELETED';
CREATE TABLE IF NOT EXISTS operations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    service_arn TEXT NOT NULL REFERENCES services(arn),
    status TEXT NOT NULL,
    document TEXT NOT NULL,
    message TEXT
);
CREATE INDEX IF NOT EXISTS operations_by_service ON operations(service_arn, seq);
PRAGMA user_version = 1;
";

fn to_json<T: WriteJson>(value: &T) -> Result<String, StoreError> {
    let bytes = apprunner_smithy::json::to_vec(value).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    String::from_utf8(bytes).map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn from_json<T: ReadJson>(text: &str) -> Result<T, StoreError> {
    apprunner_smithy::json::from_slice(text.as_bytes()).map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn service_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, u16, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn service_record((seq, region, port, document): (i64, String, u16, String)) -> Result<ServiceRecord, StoreError> {
    Ok(ServiceRecord {
        seq,
        region,
        port,
        service: from_json(&document)?,
    })
}

fn operation_record((seq, service_arn, document): (i64, String, String)) -> Result<OperationRecord, StoreError> {
    Ok(OperationRecord {
        seq,
        service_arn,
        summary: from_json(&document)?,
    })
}

const SERVICE_COLUMNS: &str = "seq, region, port, document";

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "SQLite did not switch to write-ahead logging");
        }
        connection.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        connection.execute_batch(SCHEMA)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` on the connection on a blocking thread.
    pub(crate) async fn call<R, F>(&self, work: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R, StoreError> + Send + 'static,
    {
        let connection = self.connection.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut guard)
        })
        .await
        .map_err(|error| StoreError::Corrupt(format!("database task failed: {error}")))?
    }

    /// Stores a new service and its `CREATE_SERVICE` operation, if the name is free and the
    /// Region is under `max_services` live services.
    pub(crate) async fn insert_service(
        &self,
        record: ServiceRecord,
        operation: OperationSummary,
        max_services: usize,
    ) -> Result<(), StoreError> {
        self.call(move |connection| {
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let live: i64 = tx.query_row(
                "SELECT COUNT(*) FROM services WHERE region = ?1 AND status <> 'DELETED'",
                params![record.region],
                |row| row.get(0),
            )?;
            let name = record.service.service_name.clone();
            let taken: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM services WHERE region = ?1 AND name = ?2 AND status <> 'DELETED')",
                params![record.region, name],
                |row| row.get(0),
            )?;
            if taken {
                return Err(StoreError::NameTaken(name));
            }
            if usize::try_from(live).unwrap_or(usize::MAX) >= max_services {
                return Err(StoreError::Quota(max_services));
            }
            let service = &record.service;
            let inserted = tx.execute(
                "INSERT INTO services (arn, id, region, name, status, port, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    service.service_arn,
                    service.service_id,
                    record.region,
                    service.service_name,
                    service.status.as_str(),
                    record.port,
                    to_json(service)?
                ],
            );
            match inserted {
                Ok(_) => {}
                Err(rusqlite::Error::SqliteFailure(error, _)) if error.code == rusqlite::ErrorCode::ConstraintViolation => {
                    return Err(StoreError::NameTaken(name));
                }
                Err(error) => return Err(error.into()),
            }
            insert_operation(&tx, &operation)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The service with this ARN, deleted ones included.
    pub(crate) async fn service(&self, arn: String) -> Result<Option<ServiceRecord>, StoreError> {
        self.call(move |connection| {
            let row = connection
                .query_row(
                    &format!("SELECT {SERVICE_COLUMNS} FROM services WHERE arn = ?1"),
                    params![arn],
                    service_from_row,
                )
                .optional()?;
            row.map(service_record).transpose()
        })
        .await
    }

    /// Live services of a Region in creation order after `after` (a `seq`), at most `limit`
    /// (plus one, so the caller knows whether more follow).
    pub(crate) async fn list_services(
        &self,
        region: String,
        after: i64,
        limit: usize,
    ) -> Result<Vec<ServiceRecord>, StoreError> {
        self.call(move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {SERVICE_COLUMNS} FROM services WHERE region = ?1 AND status <> 'DELETED' AND seq > ?2 \
                 ORDER BY seq LIMIT ?3"
            ))?;
            let rows = statement.query_map(params![region, after, limit_param(limit)], service_from_row)?;
            rows.map(|row| service_record(row?)).collect()
        })
        .await
    }

    /// Every service that is not deleted, in creation order.
    pub(crate) async fn live_services(&self) -> Result<Vec<ServiceRecord>, StoreError> {
        self.call(|connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {SERVICE_COLUMNS} FROM services WHERE status <> 'DELETED' ORDER BY seq"
            ))?;
            let rows = statement.query_map([], service_from_row)?;
            rows.map(|row| service_record(row?)).collect()
        })
        .await
    }

    /// The operations of a service, newest first, started before `before` (a `seq`).
    pub(crate) async fn list_operations(
        &self,
        arn: String,
        before: i64,
        limit: usize,
    ) -> Result<Vec<OperationRecord>, StoreError> {
        self.call(move |connection| {
            let mut statement = connection.prepare(
                "SELECT seq, service_arn, document FROM operations WHERE service_arn = ?1 AND seq < ?2 \
                 ORDER BY seq DESC LIMIT ?3",
            )?;
            let rows = statement.query_map(params![arn, before, limit_param(limit)], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            rows.map(|row| operation_record(row?)).collect()
        })
        .await
    }

    /// Operations that have not ended, oldest first (to resume after a restart).
    pub(crate) async fn unfinished_operations(&self) -> Result<Vec<OperationRecord>, StoreError> {
        self.call(|connection| {
            let mut statement = connection.prepare(
                "SELECT seq, service_arn, document FROM operations WHERE status IN ('PENDING', 'IN_PROGRESS') \
                 ORDER BY seq",
            )?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            rows.map(|row| operation_record(row?)).collect()
        })
        .await
    }

    /// Starts deleting a service: unless an operation is in progress, the service becomes
    /// `OPERATION_IN_PROGRESS` and `operation` is stored, in one transaction.
    pub(crate) async fn start_delete(
        &self,
        arn: String,
        operation: OperationSummary,
        now: DateTime,
    ) -> Result<ServiceRecord, StoreError> {
        self.call(move |connection| {
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row = tx
                .query_row(
                    &format!("SELECT {SERVICE_COLUMNS} FROM services WHERE arn = ?1 AND status <> 'DELETED'"),
                    params![arn],
                    service_from_row,
                )
                .optional()?;
            let Some(mut record) = row.map(service_record).transpose()? else {
                return Err(StoreError::NotFound);
            };
            if record.service.status == ServiceStatus::OperationInProgress {
                return Err(StoreError::InvalidState(record.service.status.as_str().to_owned()));
            }
            record.service.status = ServiceStatus::OperationInProgress;
            record.service.updated_at = now;
            update_service(&tx, &record)?;
            insert_operation(&tx, &operation)?;
            tx.commit()?;
            Ok(record)
        })
        .await
    }

    /// Ends an operation with `status` and moves its service to `service_status`, in one
    /// transaction; `message` (why it failed) is kept with the operation.
    pub(crate) async fn finish_operation(
        &self,
        operation_id: String,
        status: OperationStatus,
        service_status: ServiceStatus,
        message: Option<String>,
    ) -> Result<(), StoreError> {
        self.call(move |connection| {
            let now = crate::ids::now();
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (arn, document): (String, String) = tx.query_row(
                "SELECT service_arn, document FROM operations WHERE id = ?1",
                params![operation_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let mut summary: OperationSummary = from_json(&document)?;
            summary.status = Some(status.clone());
            summary.ended_at = Some(now);
            summary.updated_at = Some(now);
            tx.execute(
                "UPDATE operations SET status = ?2, document = ?3, message = ?4 WHERE id = ?1",
                params![operation_id, status.as_str(), to_json(&summary)?, message],
            )?;
            let row = tx.query_row(
                &format!("SELECT {SERVICE_COLUMNS} FROM services WHERE arn = ?1"),
                params![arn],
                service_from_row,
            )?;
            let mut record = service_record(row)?;
            record.service.status = service_status.clone();
            record.service.updated_at = now;
            if service_status == ServiceStatus::Deleted {
                record.service.deleted_at = Some(now);
            }
            update_service(&tx, &record)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// Points a service at another local port (when its old one is taken after a restart).
    pub(crate) async fn set_port(&self, arn: String, port: u16, url: String) -> Result<(), StoreError> {
        self.call(move |connection| {
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row = tx.query_row(
                &format!("SELECT {SERVICE_COLUMNS} FROM services WHERE arn = ?1"),
                params![arn],
                service_from_row,
            )?;
            let mut record = service_record(row)?;
            record.port = port;
            record.service.service_url = Some(url);
            update_service(&tx, &record)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

fn limit_param(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

fn insert_operation(tx: &rusqlite::Transaction<'_>, operation: &OperationSummary) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO operations (id, service_arn, status, document) VALUES (?1, ?2, ?3, ?4)",
        params![
            operation.id.as_deref().unwrap_or_default(),
            operation.target_arn.as_deref().unwrap_or_default(),
            operation.status.as_ref().map_or("IN_PROGRESS", OperationStatus::as_str),
            to_json(operation)?
        ],
    )?;
    Ok(())
}

fn update_service(tx: &rusqlite::Transaction<'_>, record: &ServiceRecord) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE services SET status = ?2, port = ?3, document = ?4 WHERE arn = ?1",
        params![
            record.service.service_arn,
            record.service.status.as_str(),
            record.port,
            to_json(&record.service)?
        ],
    )?;
    Ok(())
}
