//! The five operations: typed inputs in, typed outputs out, App Runner's rules in between.
//!
//! The JSON has already been checked against the model ([`crate::validate`]); what is checked
//! here are the rules the model cannot state (one source kind, a CPU and memory combination
//! App Runner offers, reserved variable names, ...) and the service's state. Defaults are
//! filled in as App Runner fills them, so DescribeService shows the complete configuration.

use std::sync::Arc;

use apprunner_smithy::json::{ReadJson, WriteJson};
use apprunner_types::{
    AutoScalingConfigurationStatus, AutoScalingConfigurationSummary, ConfigurationSource, CreateServiceInput,
    CreateServiceOutput, DeleteServiceInput, DeleteServiceOutput, DescribeServiceInput, DescribeServiceOutput,
    EgressConfiguration, EgressType, HealthCheckConfiguration, HealthCheckProtocol, ImageRepositoryType,
    IngressConfiguration, InstanceConfiguration, IpAddressType, ListOperationsInput, ListOperationsOutput,
    ListServicesInput, ListServicesOutput, NetworkConfiguration, OperationStatus, OperationSummary, OperationType,
    Service, ServiceObservabilityConfiguration, ServiceStatus, ServiceSummary, SourceConfiguration,
};
use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ErrorCode};
use crate::ids;
use crate::store::{ServiceRecord, StoreError};

/// Who is calling: the Region the request is for.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) region: String,
}

/// Runs `operation` (already known to exist and already checked against the model).
pub(crate) async fn dispatch(
    engine: &Arc<Engine>,
    caller: &Caller,
    operation: &str,
    input: Value,
) -> Result<Value, ApiError> {
    fn parse<T: ReadJson>(input: Value) -> Result<T, ApiError> {
        let text = serde_json::to_vec(&input).map_err(ApiError::internal)?;
        apprunner_smithy::json::from_slice(&text)
            .map_err(|error| ApiError::new(ErrorCode::Serialization, error.to_string()))
    }
    fn json<T: WriteJson>(output: &T) -> Result<Value, ApiError> {
        let bytes = apprunner_smithy::json::to_vec(output).map_err(ApiError::internal)?;
        serde_json::from_slice(&bytes).map_err(ApiError::internal)
    }
    match operation {
        "CreateService" => json(&create_service(engine, caller, parse(input)?).await?),
        "DescribeService" => json(&describe_service(engine, caller, parse(input)?).await?),
        "DeleteService" => json(&delete_service(engine, caller, parse(input)?).await?),
        "ListServices" => json(&list_services(engine, caller, parse(input)?).await?),
        "ListOperations" => json(&list_operations(engine, caller, parse(input)?).await?),
        other => Err(ApiError::new(
            ErrorCode::UnknownOperation,
            format!("The operation {other} is not implemented."),
        )),
    }
}

fn store_error(error: StoreError, arn: &str) -> ApiError {
    match error {
        StoreError::NameTaken(name) => ApiError::invalid_request(format!(
            "A service named {name} already exists in this account and Region; service names must be unique."
        )),
        StoreError::Quota(max) => ApiError::new(
            ErrorCode::ServiceQuotaExceeded,
            format!(
                "This account already has {max} services in this Region, the most its quota allows. Delete a service first."
            ),
        ),
        StoreError::NotFound => ApiError::service_not_found(arn),
        StoreError::InvalidState(status) => ApiError::new(
            ErrorCode::InvalidState,
            format!("The service {arn} is {status}; wait for its current operation to end before changing it."),
        ),
        other => ApiError::internal(other),
    }
}

async fn create_service(
    engine: &Arc<Engine>,
    caller: &Caller,
    input: CreateServiceInput,
) -> Result<CreateServiceOutput, ApiError> {
    let options = engine.options();
    let id = ids::service_id();
    let arn = ids::service_arn(&caller.region, &options.account_id, &input.service_name, &id);
    let now = ids::now();
    let mut service = describe_new_service(input, &caller.region, &options.account_id, &id, &arn, now)?;
    let listener = engine.bind_service_port(None).await.map_err(ApiError::internal)?;
    let port = listener.local_addr().map_err(ApiError::internal)?.port();
    service.service_url = Some(engine.service_url(port));
    let operation_id = ids::uuid();
    let operation = OperationSummary::builder()
        .id(operation_id.clone())
        .r#type(OperationType::CreateService)
        .status(OperationStatus::InProgress)
        .target_arn(arn.clone())
        .started_at(now)
        .updated_at(now)
        .build();
    let record = ServiceRecord {
        seq: 0,
        region: caller.region.clone(),
        port,
        service: service.clone(),
    };
    engine
        .store()
        .insert_service(record.clone(), operation, options.max_services)
        .await
        .map_err(|error| store_error(error, &arn))?;
    tracing::info!(service = %service.service_name, %arn, url = ?service.service_url, "service created");
    engine.attach(&record, listener);
    engine.spawn_create(operation_id.clone(), arn);
    CreateServiceOutput::builder()
        .service(service)
        .operation_id(operation_id)
        .build()
        .map_err(ApiError::internal)
}

/// The live service `arn` of the caller's Region.
async fn live_service(engine: &Engine, caller: &Caller, arn: &str) -> Result<ServiceRecord, ApiError> {
    let record = engine
        .store()
        .service(arn.to_owned())
        .await
        .map_err(ApiError::internal)?
        .filter(|record| record.region == caller.region && record.service.status != ServiceStatus::Deleted);
    record.ok_or_else(|| ApiError::service_not_found(arn))
}

async fn describe_service(
    engine: &Arc<Engine>,
    caller: &Caller,
    input: DescribeServiceInput,
) -> Result<DescribeServiceOutput, ApiError> {
    let record = live_service(engine, caller, &input.service_arn).await?;
    DescribeServiceOutput::builder()
        .service(record.service)
        .build()
        .map_err(ApiError::internal)
}

async fn delete_service(
    engine: &Arc<Engine>,
    caller: &Caller,
    input: DeleteServiceInput,
) -> Result<DeleteServiceOutput, ApiError> {
    let arn = input.service_arn;
    live_service(engine, caller, &arn).await?;
    let now = ids::now();
    let operation_id = ids::uuid();
    let operation = OperationSummary::builder()
        .id(operation_id.clone())
        .r#type(OperationType::DeleteService)
        .status(OperationStatus::InProgress)
        .target_arn(arn.clone())
        .started_at(now)
        .updated_at(now)
        .build();
    let record = engine
        .store()
        .start_delete(arn.clone(), operation, now)
        .await
        .map_err(|error| store_error(error, &arn))?;
    tracing::info!(%arn, "service deletion started");
    engine.spawn_delete(operation_id.clone(), arn);
    DeleteServiceOutput::builder()
        .service(record.service)
        .operation_id(operation_id)
        .build()
        .map_err(ApiError::internal)
}

/// Page tokens: a prefix naming the list and the position after which the next page starts.
fn decode_token(token: Option<&str>, prefix: &str) -> Result<Option<i64>, ApiError> {
    let Some(token) = token else { return Ok(None) };
    token
        .strip_prefix(prefix)
        .and_then(|rest| rest.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| ApiError::invalid_request("The NextToken is not one this operation returned."))
}

const SERVICES_TOKEN: &str = "services.v1.";
const OPERATIONS_TOKEN: &str = "operations.v1.";

/// The page size: `MaxResults`, or everything when it is not set (as App Runner documents).
fn page_size(max_results: Option<i32>) -> usize {
    max_results
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(usize::MAX - 1)
}

async fn list_services(
    engine: &Arc<Engine>,
    caller: &Caller,
    input: ListServicesInput,
) -> Result<ListServicesOutput, ApiError> {
    let after = decode_token(input.next_token.as_deref(), SERVICES_TOKEN)?.unwrap_or(0);
    let size = page_size(input.max_results);
    let mut records = engine
        .store()
        .list_services(caller.region.clone(), after, size + 1)
        .await
        .map_err(ApiError::internal)?;
    let more = records.len() > size;
    records.truncate(size);
    let next_token = more
        .then(|| records.last().map(|last| format!("{SERVICES_TOKEN}{}", last.seq)))
        .flatten();
    let summaries: Vec<ServiceSummary> = records
        .into_iter()
        .map(|record| {
            let service = record.service;
            ServiceSummary::builder()
                .service_name(service.service_name)
                .service_id(service.service_id)
                .service_arn(service.service_arn)
                .set_service_url(service.service_url)
                .created_at(service.created_at)
                .updated_at(service.updated_at)
                .status(service.status)
                .build()
        })
        .collect();
    ListServicesOutput::builder()
        .set_service_summary_list(Some(summaries))
        .set_next_token(next_token)
        .build()
        .map_err(ApiError::internal)
}

async fn list_operations(
    engine: &Arc<Engine>,
    caller: &Caller,
    input: ListOperationsInput,
) -> Result<ListOperationsOutput, ApiError> {
    let arn = input.service_arn;
    // A deleted service keeps its history, so a caller can see its deletion succeed.
    let known = engine
        .store()
        .service(arn.clone())
        .await
        .map_err(ApiError::internal)?
        .is_some_and(|record| record.region == caller.region);
    if !known {
        return Err(ApiError::service_not_found(&arn));
    }
    let before = decode_token(input.next_token.as_deref(), OPERATIONS_TOKEN)?.unwrap_or(i64::MAX);
    let size = page_size(input.max_results);
    let mut records = engine
        .store()
        .list_operations(arn, before, size + 1)
        .await
        .map_err(ApiError::internal)?;
    let more = records.len() > size;
    records.truncate(size);
    let next_token = more
        .then(|| records.last().map(|last| format!("{OPERATIONS_TOKEN}{}", last.seq)))
        .flatten();
    Ok(ListOperationsOutput::builder()
        .set_operation_summary_list(Some(records.into_iter().map(|record| record.summary).collect()))
        .set_next_token(next_token)
        .build())
}

/// CPU sizes App Runner offers, in CPU units, with the memory sizes (MB) each allows.
const SIZES: &[(u32, &[u32])] = &[
    (256, &[512, 1024]),
    (512, &[1024]),
    (1024, &[2048, 3072, 4096]),
    (2048, &[4096, 6144]),
    (4096, &[8192, 10240, 12288]),
];

/// `1 vCPU` or `1024` as CPU units.
fn cpu_units(text: &str) -> Option<u32> {
    let units = match text.trim() {
        "0.25 vCPU" | "256" => 256,
        "0.5 vCPU" | "512" => 512,
        "1 vCPU" | "1024" => 1024,
        "2 vCPU" | "2048" => 2048,
        "4 vCPU" | "4096" => 4096,
        _ => return None,
    };
    Some(units)
}

/// `2 GB` or `2048` as megabytes.
fn memory_mb(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Some(gb) = text.strip_suffix(" GB") {
        let mb = match gb {
            "0.5" => 512,
            other => other.parse::<u32>().ok()? * 1024,
        };
        return SIZES.iter().any(|(_, memories)| memories.contains(&mb)).then_some(mb);
    }
    let mb = text.parse::<u32>().ok()?;
    SIZES.iter().any(|(_, memories)| memories.contains(&mb)).then_some(mb)
}

/// The instance configuration with App Runner's defaults (1 vCPU, 2 GB) and its units
/// (`Cpu` in CPU units, `Memory` in MB, as DescribeService reports them).
fn instance_configuration(given: Option<InstanceConfiguration>) -> Result<InstanceConfiguration, ApiError> {
    let given = given.unwrap_or_else(|| InstanceConfiguration::builder().build());
    let cpu = match &given.cpu {
        Some(text) => cpu_units(text).ok_or_else(|| {
            ApiError::invalid_request(format!(
                "InstanceConfiguration.Cpu {text:?} is not a size App Runner offers (0.25, 0.5, 1, 2 or 4 vCPU)."
            ))
        })?,
        None => 1024,
    };
    let memory = match &given.memory {
        Some(text) => memory_mb(text).ok_or_else(|| {
            ApiError::invalid_request(format!(
                "InstanceConfiguration.Memory {text:?} is not a size App Runner offers (0.5 to 12 GB)."
            ))
        })?,
        None => 2048,
    };
    let allowed = SIZES
        .iter()
        .find(|(units, _)| *units == cpu)
        .map_or(&[][..], |(_, m)| *m);
    if !allowed.contains(&memory) {
        let options: Vec<String> = allowed.iter().map(|mb| format!("{mb} MB")).collect();
        return Err(ApiError::invalid_request(format!(
            "InstanceConfiguration: {cpu} CPU units do not go with {memory} MB of memory; that CPU size allows {}.",
            options.join(", ")
        )));
    }
    Ok(InstanceConfiguration::builder()
        .cpu(cpu.to_string())
        .memory(memory.to_string())
        .set_instance_role_arn(given.instance_role_arn)
        .build())
}

/// The health check with App Runner's defaults: TCP, path `/`, every 5 s, 2 s timeout,
/// healthy after 1 success, unhealthy after 5 failures.
pub(crate) fn health_check(given: Option<HealthCheckConfiguration>) -> HealthCheckConfiguration {
    let given = given.unwrap_or_else(|| HealthCheckConfiguration::builder().build());
    HealthCheckConfiguration::builder()
        .protocol(given.protocol.unwrap_or(HealthCheckProtocol::Tcp))
        .path(given.path.unwrap_or_else(|| "/".to_owned()))
        .interval(given.interval.unwrap_or(5))
        .timeout(given.timeout.unwrap_or(2))
        .healthy_threshold(given.healthy_threshold.unwrap_or(1))
        .unhealthy_threshold(given.unhealthy_threshold.unwrap_or(5))
        .build()
}

fn network_configuration(given: Option<NetworkConfiguration>) -> Result<NetworkConfiguration, ApiError> {
    let given = given.unwrap_or_else(|| NetworkConfiguration::builder().build());
    let egress = given
        .egress_configuration
        .unwrap_or_else(|| EgressConfiguration::builder().build());
    let egress_type = egress.egress_type.unwrap_or(EgressType::Default);
    if egress_type == EgressType::Vpc && egress.vpc_connector_arn.is_none() {
        return Err(ApiError::invalid_request(
            "NetworkConfiguration.EgressConfiguration: a VpcConnectorArn is required when EgressType is VPC.",
        ));
    }
    let ingress = given
        .ingress_configuration
        .unwrap_or_else(|| IngressConfiguration::builder().is_publicly_accessible(true).build());
    Ok(NetworkConfiguration::builder()
        .egress_configuration(
            EgressConfiguration::builder()
                .egress_type(egress_type)
                .set_vpc_connector_arn(egress.vpc_connector_arn)
                .build(),
        )
        .ingress_configuration(ingress)
        .ip_address_type(given.ip_address_type.unwrap_or(IpAddressType::Ipv4))
        .build())
}

fn auto_scaling_summary(
    given: Option<&str>,
    region: &str,
    account: &str,
) -> Result<AutoScalingConfigurationSummary, ApiError> {
    let arn = given.map_or_else(|| ids::default_auto_scaling_arn(region, account), str::to_owned);
    // arn:aws:apprunner:<region>:<account>:autoscalingconfiguration/<name>/<revision>/<id>
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    let parts: Vec<&str> = resource.split('/').collect();
    let (name, revision) = match parts[..] {
        ["autoscalingconfiguration", name, revision, _id] => (name, revision.parse::<i32>().ok()),
        _ => ("", None),
    };
    let Some(revision) = revision else {
        return Err(ApiError::invalid_request(format!(
            "AutoScalingConfigurationArn {arn:?} does not name an auto scaling configuration revision."
        )));
    };
    Ok(AutoScalingConfigurationSummary::builder()
        .auto_scaling_configuration_arn(arn.clone())
        .auto_scaling_configuration_name(name)
        .auto_scaling_configuration_revision(revision)
        .status(AutoScalingConfigurationStatus::Active)
        .is_default(name == "DefaultConfiguration")
        .has_associated_service(true)
        .build())
}

/// The reserved prefix of environment variable names.
const RESERVED_PREFIX: &str = "AWSAPPRUNNER";

fn check_variables<'a>(path: &str, names: impl IntoIterator<Item = &'a String>) -> Result<(), ApiError> {
    for name in names {
        if name.starts_with(RESERVED_PREFIX) {
            return Err(ApiError::invalid_request(format!(
                "{path}: names starting with {RESERVED_PREFIX} are reserved for App Runner."
            )));
        }
    }
    Ok(())
}

fn source_configuration(mut source: SourceConfiguration, account: &str) -> Result<SourceConfiguration, ApiError> {
    match (&source.code_repository, &source.image_repository) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(ApiError::invalid_request(
                "SourceConfiguration must have exactly one of CodeRepository and ImageRepository.",
            ));
        }
        (Some(code), None) => {
            let Some(configuration) = &code.code_configuration else {
                return Err(ApiError::invalid_request(
                    "SourceConfiguration.CodeRepository.CodeConfiguration is required to create a service from a code repository.",
                ));
            };
            if configuration.configuration_source == ConfigurationSource::Api {
                let Some(values) = &configuration.code_configuration_values else {
                    return Err(ApiError::invalid_request(
                        "SourceConfiguration.CodeRepository.CodeConfiguration.CodeConfigurationValues is required when ConfigurationSource is API.",
                    ));
                };
                if let Some(variables) = &values.runtime_environment_variables {
                    check_variables(
                        "SourceConfiguration.CodeRepository.CodeConfiguration.CodeConfigurationValues.RuntimeEnvironmentVariables",
                        variables.keys(),
                    )?;
                }
            }
            if source.auto_deployments_enabled.is_none() {
                source.auto_deployments_enabled = Some(true);
            }
        }
        (None, Some(image)) => {
            let same_account = image.image_identifier.starts_with(&format!("{account}."));
            if image.image_repository_type == ImageRepositoryType::Ecr
                && source
                    .authentication_configuration
                    .as_ref()
                    .and_then(|auth| auth.access_role_arn.as_ref())
                    .is_none()
            {
                return Err(ApiError::invalid_request(
                    "SourceConfiguration.AuthenticationConfiguration.AccessRoleArn is required for an ECR image repository.",
                ));
            }
            if let Some(variables) = image
                .image_configuration
                .as_ref()
                .and_then(|c| c.runtime_environment_variables.as_ref())
            {
                check_variables(
                    "SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables",
                    variables.keys(),
                )?;
            }
            if source.auto_deployments_enabled.is_none() {
                let automatic = image.image_repository_type == ImageRepositoryType::Ecr && same_account;
                source.auto_deployments_enabled = Some(automatic);
            }
        }
    }
    Ok(source)
}

/// The description of a new service: the input checked against App Runner's rules, with
/// every default filled in.
fn describe_new_service(
    input: CreateServiceInput,
    region: &str,
    account: &str,
    id: &str,
    arn: &str,
    now: apprunner_types::DateTime,
) -> Result<Service, ApiError> {
    let source = source_configuration(input.source_configuration, account)?;
    let observability = match input.observability_configuration {
        Some(given) if given.observability_enabled && given.observability_configuration_arn.is_none() => {
            return Err(ApiError::invalid_request(
                "ObservabilityConfiguration: an ObservabilityConfigurationArn is required when ObservabilityEnabled is true.",
            ));
        }
        Some(given) => given,
        None => ServiceObservabilityConfiguration::builder()
            .observability_enabled(false)
            .build(),
    };
    Service::builder()
        .service_name(input.service_name)
        .service_id(id)
        .service_arn(arn)
        .created_at(now)
        .updated_at(now)
        .status(ServiceStatus::OperationInProgress)
        .source_configuration(source)
        .instance_configuration(instance_configuration(input.instance_configuration)?)
        .set_encryption_configuration(input.encryption_configuration)
        .health_check_configuration(health_check(input.health_check_configuration))
        .auto_scaling_configuration_summary(auto_scaling_summary(
            input.auto_scaling_configuration_arn.as_deref(),
            region,
            account,
        )?)
        .network_configuration(network_configuration(input.network_configuration)?)
        .observability_configuration(observability)
        .build()
        .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_normalized_to_units() {
        let config = instance_configuration(None).unwrap();
        assert_eq!(
            (config.cpu.as_deref(), config.memory.as_deref()),
            (Some("1024"), Some("2048"))
        );
        let config = instance_configuration(Some(
            InstanceConfiguration::builder().cpu("1 vCPU").memory("3 GB").build(),
        ))
        .unwrap();
        assert_eq!(
            (config.cpu.as_deref(), config.memory.as_deref()),
            (Some("1024"), Some("3072"))
        );
        let config = instance_configuration(Some(
            InstanceConfiguration::builder()
                .cpu("0.25 vCPU")
                .memory("0.5 GB")
                .build(),
        ))
        .unwrap();
        assert_eq!(
            (config.cpu.as_deref(), config.memory.as_deref()),
            (Some("256"), Some("512"))
        );
        let error = instance_configuration(Some(InstanceConfiguration::builder().cpu("4 vCPU").build())).unwrap_err();
        assert!(
            error.message.contains("4096 CPU units do not go with 2048 MB"),
            "{}",
            error.message
        );
    }

    #[test]
    fn health_check_defaults() {
        let check = health_check(Some(HealthCheckConfiguration::builder().interval(1).build()));
        assert_eq!(check.protocol, Some(HealthCheckProtocol::Tcp));
        assert_eq!(check.path.as_deref(), Some("/"));
        assert_eq!(
            (
                check.interval,
                check.timeout,
                check.healthy_threshold,
                check.unhealthy_threshold
            ),
            (Some(1), Some(2), Some(1), Some(5))
        );
    }

    #[test]
    fn default_auto_scaling_summary() {
        let summary = auto_scaling_summary(None, "us-east-1", "123456789012").unwrap();
        assert_eq!(
            summary.auto_scaling_configuration_name.as_deref(),
            Some("DefaultConfiguration")
        );
        assert_eq!(summary.auto_scaling_configuration_revision, 1);
        assert_eq!(summary.is_default, Some(true));
        assert!(auto_scaling_summary(Some("arn:aws:apprunner:us-east-1:1:other/x"), "us-east-1", "1").is_err());
    }

    #[test]
    fn page_tokens_round_trip_and_reject_strangers() {
        assert_eq!(decode_token(Some("services.v1.42"), SERVICES_TOKEN).unwrap(), Some(42));
        assert_eq!(decode_token(None, SERVICES_TOKEN).unwrap(), None);
        assert_eq!(
            decode_token(Some("operations.v1.42"), SERVICES_TOKEN).unwrap_err().code,
            ErrorCode::InvalidRequest
        );
    }
}
