//! The service lifecycle in simulated mode, through the generated client.

use std::time::Duration;

use apprunner_client::types::{
    CodeConfiguration, CodeConfigurationValues, CodeRepository, ConfigurationSource, OperationStatus, OperationType,
    Runtime, ServiceStatus, SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
};
use serde_json::json;

use crate::support::{self, TempDir, call};

fn source() -> SourceConfiguration {
    SourceConfiguration::builder()
        .code_repository(
            CodeRepository::builder()
                .repository_url("https://example.invalid/python-hello")
                .source_code_version(
                    SourceCodeVersion::builder()
                        .r#type(SourceCodeVersionType::Branch)
                        .value("main")
                        .build()
                        .unwrap(),
                )
                .code_configuration(
                    CodeConfiguration::builder()
                        .configuration_source(ConfigurationSource::Api)
                        .code_configuration_values(
                            CodeConfigurationValues::builder()
                                .runtime(Runtime::Python3)
                                .build_command("pip install -r requirements.txt")
                                .start_command("python server.py")
                                .port("8080")
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .build()
}

#[tokio::test]
async fn create_describe_list_delete_in_simulated_mode() {
    let dir = TempDir::new("lifecycle");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let client = support::client(&endpoint.url());

    let created = client
        .create_service()
        .service_name("python-app")
        .source_configuration(source())
        .send()
        .await
        .expect("create");
    let service = &created.service;
    assert_eq!(service.status, ServiceStatus::OperationInProgress);
    assert_eq!(service.service_id.len(), 32);
    assert!(service.service_id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        service.service_arn,
        format!(
            "arn:aws:apprunner:us-east-1:123456789012:service/python-app/{}",
            service.service_id
        )
    );
    let url = service.service_url.clone().expect("a service URL");
    assert!(url.starts_with("127.0.0.1:"), "{url}");
    assert_eq!(created.operation_id.len(), 36);
    // Defaults as App Runner fills them.
    assert_eq!(service.instance_configuration.cpu.as_deref(), Some("1024"));
    assert_eq!(service.instance_configuration.memory.as_deref(), Some("2048"));
    let health = service.health_check_configuration.as_ref().expect("health check");
    assert_eq!(health.protocol.as_ref().map(|p| p.as_str()), Some("TCP"));
    assert_eq!(
        (
            health.interval,
            health.timeout,
            health.healthy_threshold,
            health.unhealthy_threshold
        ),
        (Some(5), Some(2), Some(1), Some(5))
    );
    assert_eq!(
        service
            .auto_scaling_configuration_summary
            .auto_scaling_configuration_name
            .as_deref(),
        Some("DefaultConfiguration")
    );
    let egress = service
        .network_configuration
        .egress_configuration
        .as_ref()
        .expect("egress");
    assert_eq!(egress.egress_type.as_ref().map(|e| e.as_str()), Some("DEFAULT"));
    assert_eq!(service.source_configuration.auto_deployments_enabled, Some(true));

    // The operation is in progress at first, then succeeds.
    let operations = client
        .list_operations()
        .service_arn(&service.service_arn)
        .send()
        .await
        .expect("list operations");
    let first = &operations.operation_summary_list.as_ref().expect("a list")[0];
    assert_eq!(first.id.as_deref(), Some(created.operation_id.as_str()));
    assert_eq!(first.r#type, Some(OperationType::CreateService));
    assert_eq!(first.status, Some(OperationStatus::InProgress));
    assert!(first.ended_at.is_none());

    let settled = support::wait_settled(&client, &service.service_arn, Duration::from_secs(10)).await;
    assert_eq!(settled["Status"], "RUNNING");
    let operations = call(&client, "ListOperations", json!({"ServiceArn": service.service_arn}))
        .await
        .unwrap();
    let op = &operations["OperationSummaryList"][0];
    assert_eq!(op["Status"], "SUCCEEDED");
    let (started, ended, updated) = (
        op["StartedAt"].as_f64().unwrap(),
        op["EndedAt"].as_f64().unwrap(),
        op["UpdatedAt"].as_f64().unwrap(),
    );
    assert!(ended - started >= 0.29 && ended - started < 5.0, "{op}");
    assert_eq!(ended, updated);
    assert!(settled["UpdatedAt"].as_f64().unwrap() >= ended);

    // The simulated service answers at its URL.
    let page = support::raw(url.parse().unwrap(), "GET", "/", &[], b"").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("simulated"), "{}", page.text());

    let listed = client.list_services().send().await.expect("list services");
    assert_eq!(listed.service_summary_list.len(), 1);
    assert_eq!(listed.service_summary_list[0].status, Some(ServiceStatus::Running));

    // Delete: DELETE_SERVICE in progress, then the service is gone.
    let deleted = client
        .delete_service()
        .service_arn(&service.service_arn)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.service.status, ServiceStatus::OperationInProgress);
    assert_ne!(deleted.operation_id, created.operation_id);
    support::wait_gone(&client, &service.service_arn, Duration::from_secs(10)).await;
    let operations = call(&client, "ListOperations", json!({"ServiceArn": service.service_arn}))
        .await
        .unwrap();
    let newest = &operations["OperationSummaryList"][0];
    assert_eq!(newest["Type"], "DELETE_SERVICE");
    assert_eq!(newest["Status"], "SUCCEEDED");
    assert_eq!(operations["OperationSummaryList"].as_array().unwrap().len(), 2);
    let listed = call(&client, "ListServices", json!({})).await.unwrap();
    assert_eq!(listed["ServiceSummaryList"], json!([]));
    let error = call(&client, "DeleteService", json!({"ServiceArn": service.service_arn}))
        .await
        .unwrap_err();
    assert_eq!(error.0, "ResourceNotFoundException");
    // The port is closed with the service (allow the proxy a moment on a loaded machine).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(url.as_str()).await.is_ok() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        tokio::net::TcpStream::connect(url.as_str()).await.is_err(),
        "{url} still accepts connections"
    );

    // The name is free again.
    let again = call(&client, "CreateService", support::create_input("python-app"))
        .await
        .unwrap();
    assert_ne!(again["Service"]["ServiceId"], service.service_id.as_str());
    endpoint.shutdown().await;
}

#[tokio::test]
async fn example_one_sizes_are_reported_in_units() {
    let dir = TempDir::new("sizes");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let client = support::client(&endpoint.url());
    let mut input = support::create_input("sized-app");
    input["InstanceConfiguration"] = json!({"Cpu": "1 vCPU", "Memory": "3 GB"});
    input["SourceConfiguration"]["CodeRepository"]["CodeConfiguration"]["CodeConfigurationValues"]["RuntimeEnvironmentVariables"] =
        json!({"NAME": "Jane"});
    let created = call(&client, "CreateService", input).await.unwrap();
    assert_eq!(
        created["Service"]["InstanceConfiguration"],
        json!({"Cpu": "1024", "Memory": "3072"})
    );
    assert_eq!(
        created["Service"]["SourceConfiguration"]["CodeRepository"]["CodeConfiguration"]["CodeConfigurationValues"]["RuntimeEnvironmentVariables"],
        json!({"NAME": "Jane"})
    );
    assert_eq!(
        created["Service"]["NetworkConfiguration"]["IngressConfiguration"],
        json!({"IsPubliclyAccessible": true})
    );
    endpoint.shutdown().await;
}

#[tokio::test]
async fn list_operations_and_list_services_paginate() {
    let dir = TempDir::new("pages");
    let mut options = support::simulated(dir.path());
    options.simulate_delay = Duration::from_millis(50);
    let endpoint = support::start(options).await;
    let client = support::client(&endpoint.url());
    let mut arns = Vec::new();
    for index in 0..5 {
        let created = call(&client, "CreateService", support::create_input(&format!("svc-{index}")))
            .await
            .unwrap();
        arns.push(created["Service"]["ServiceArn"].as_str().unwrap().to_owned());
    }
    // Pages of two, in creation order, through the client's paginator.
    let mut pages = client.list_services().max_results(2).into_paginator();
    let mut names = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next_page().await {
        let page = page.expect("page");
        page_count += 1;
        assert!(page.service_summary_list.len() <= 2);
        names.extend(page.service_summary_list.into_iter().filter_map(|s| s.service_name));
    }
    assert_eq!(page_count, 3);
    assert_eq!(names, ["svc-0", "svc-1", "svc-2", "svc-3", "svc-4"]);
    // Without MaxResults, everything comes at once.
    let all = call(&client, "ListServices", json!({})).await.unwrap();
    assert_eq!(all["ServiceSummaryList"].as_array().unwrap().len(), 5);
    assert!(all.get("NextToken").is_none());
    // A foreign token is refused.
    let error = call(&client, "ListServices", json!({"NextToken": "bogus"}))
        .await
        .unwrap_err();
    assert_eq!(error.0, "InvalidRequestException");

    // Operations: newest first, one per page.
    support::wait_settled(&client, &arns[0], Duration::from_secs(10)).await;
    call(&client, "DeleteService", json!({"ServiceArn": arns[0]}))
        .await
        .unwrap();
    let first = call(
        &client,
        "ListOperations",
        json!({"ServiceArn": arns[0], "MaxResults": 1}),
    )
    .await
    .unwrap();
    assert_eq!(first["OperationSummaryList"][0]["Type"], "DELETE_SERVICE");
    let token = first["NextToken"].as_str().expect("a next token").to_owned();
    let second = call(
        &client,
        "ListOperations",
        json!({"ServiceArn": arns[0], "MaxResults": 1, "NextToken": token}),
    )
    .await
    .unwrap();
    assert_eq!(second["OperationSummaryList"][0]["Type"], "CREATE_SERVICE");
    assert!(second.get("NextToken").is_none());
    endpoint.shutdown().await;
}

#[tokio::test]
async fn quota_counts_live_services_per_region() {
    let dir = TempDir::new("quota");
    let mut options = support::simulated(dir.path());
    options.max_services = 2;
    options.simulate_delay = Duration::from_millis(50);
    let endpoint = support::start(options).await;
    let client = support::client(&endpoint.url());
    let first = call(&client, "CreateService", support::create_input("one-svc"))
        .await
        .unwrap();
    call(&client, "CreateService", support::create_input("two-svc"))
        .await
        .unwrap();
    let error = call(&client, "CreateService", support::create_input("three-svc"))
        .await
        .unwrap_err();
    assert_eq!(error.0, "ServiceQuotaExceededException");
    assert_eq!(error.2, 400);
    assert!(error.1.contains('2'), "{}", error.1);
    // Deleting one frees a place.
    let arn = first["Service"]["ServiceArn"].as_str().unwrap();
    support::wait_settled(&client, arn, Duration::from_secs(10)).await;
    call(&client, "DeleteService", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    support::wait_gone(&client, arn, Duration::from_secs(10)).await;
    call(&client, "CreateService", support::create_input("three-svc"))
        .await
        .unwrap();
    endpoint.shutdown().await;
}
