//! Credentials from the EC2 instance metadata service (IMDSv2).

use super::http::{client, excerpt, fetch};
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, credentials_from_json, parse_json_document,
};
use crate::env::{Env, parse_bool};
use std::sync::OnceLock;
use std::time::Duration;

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_TTL_SECONDS: &str = "21600";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const ATTEMPTS: u32 = 2;

/// Fetches the credentials of the IAM role attached to the EC2 instance, from the
/// instance metadata service, using IMDSv2 session tokens only (no IMDSv1 fallback).
///
/// The endpoint is `http://169.254.169.254`, or `http://[fd00:ec2::254]` when
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`, or whatever
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` says. `AWS_EC2_METADATA_DISABLED=true`
/// turns the provider off. Timeouts are short (1 s to connect, 1 s per read) and
/// only server errors are retried, once, so hosts that are not on EC2 move on
/// quickly. An unreachable endpoint or an instance without a role means "not
/// configured".
#[derive(Debug)]
pub struct ImdsProvider {
    env: Env,
    client: OnceLock<reqwest::Client>,
}

/// The outcome of one metadata request.
enum Reply {
    Answered(reqwest::StatusCode, String),
    Unreachable(String),
}

impl ImdsProvider {
    /// A provider reading its settings from `env`.
    pub fn new(env: Env) -> ImdsProvider {
        ImdsProvider {
            env,
            client: OnceLock::new(),
        }
    }

    fn endpoint(&self) -> Result<String, CredentialsError> {
        let (endpoint, origin) = if let Some(endpoint) = self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            (endpoint.trim().to_owned(), "AWS_EC2_METADATA_SERVICE_ENDPOINT")
        } else {
            match self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
                None => (DEFAULT_ENDPOINT.to_owned(), ""),
                Some(mode) if mode.trim().eq_ignore_ascii_case("ipv4") => (DEFAULT_ENDPOINT.to_owned(), ""),
                Some(mode) if mode.trim().eq_ignore_ascii_case("ipv6") => (IPV6_ENDPOINT.to_owned(), ""),
                Some(mode) => {
                    return Err(CredentialsError::failed(
                        "EC2 instance metadata",
                        format!("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is `{}`", mode.trim()),
                        "Set AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE to IPv4 or IPv6",
                    ));
                }
            }
        };
        match reqwest::Url::parse(&endpoint) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(endpoint.trim_end_matches('/').to_owned()),
            _ => Err(CredentialsError::failed(
                "EC2 instance metadata",
                format!("{origin} is not an http:// or https:// URL: `{endpoint}`"),
                "Set AWS_EC2_METADATA_SERVICE_ENDPOINT to a URL such as http://169.254.169.254",
            )),
        }
    }

    async fn send(&self, request: &(dyn Fn() -> reqwest::RequestBuilder + Sync)) -> Reply {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let reply = match fetch(request()).await {
                Ok((status, body)) => Reply::Answered(status, String::from_utf8_lossy(&body).into_owned()),
                Err(reason) => Reply::Unreachable(reason),
            };
            match reply {
                Reply::Answered(status, _) if status.is_server_error() && attempt < ATTEMPTS => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self
            .env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| parse_bool(&v) == Some(true))
        {
            return Err(CredentialsError::not_found(
                "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)",
            ));
        }
        let endpoint = self.endpoint()?;
        let place = format!("EC2 instance metadata at {endpoint}");
        let client = match self.client.get() {
            Some(client) => client,
            None => {
                let built = client(Duration::from_secs(1), Duration::from_secs(1), Duration::from_secs(3))
                    .map_err(|message| CredentialsError::failed(place.clone(), message, "Report this as a bug"))?;
                self.client.get_or_init(|| built)
            }
        };
        let help = "Check the instance's IAM role and metadata options (IMDSv2, hop limit), \
                    or set AWS_EC2_METADATA_DISABLED=true and configure credentials another way";

        let token_url = format!("{endpoint}/latest/api/token");
        let token = match self
            .send(&|| {
                client
                    .put(&token_url)
                    .header("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)
            })
            .await
        {
            Reply::Answered(status, body) if status.is_success() => body.trim().to_owned(),
            Reply::Answered(status, _) => {
                return Err(CredentialsError::not_found(format!(
                    "{place} (session token request answered with HTTP status {})",
                    status.as_u16()
                )));
            }
            Reply::Unreachable(why) => {
                return Err(CredentialsError::not_found(format!("{place} (not reachable: {why})")));
            }
        };
        if token.is_empty() || token.chars().any(|c| c.is_control()) {
            return Err(CredentialsError::failed(place, "the session token is malformed", help));
        }

        let roles_url = format!("{endpoint}{CREDENTIALS_PATH}");
        let role = match self
            .send(&|| client.get(&roles_url).header("x-aws-ec2-metadata-token", &token))
            .await
        {
            Reply::Answered(status, body) if status.is_success() => body
                .lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
                .map(str::to_owned),
            Reply::Answered(status, _) if status.as_u16() == 404 => None,
            Reply::Answered(status, body) => {
                return Err(CredentialsError::failed(
                    place,
                    format!(
                        "listing the instance's IAM role gave HTTP status {}: {}",
                        status.as_u16(),
                        excerpt(&body)
                    ),
                    help,
                ));
            }
            Reply::Unreachable(why) => {
                return Err(CredentialsError::failed(
                    place,
                    format!("listing the instance's IAM role failed: {why}"),
                    help,
                ));
            }
        };
        let Some(role) = role else {
            return Err(CredentialsError::not_found(format!(
                "{place} (no IAM role attached to the instance)"
            )));
        };
        if !role.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) {
            return Err(CredentialsError::failed(
                place,
                "the instance metadata returned a malformed IAM role name",
                help,
            ));
        }

        let credentials_url = format!("{endpoint}{CREDENTIALS_PATH}{role}");
        let body = match self
            .send(&|| client.get(&credentials_url).header("x-aws-ec2-metadata-token", &token))
            .await
        {
            Reply::Answered(status, body) if status.is_success() => body,
            Reply::Answered(status, body) => {
                return Err(CredentialsError::failed(
                    place,
                    format!(
                        "fetching the credentials of role `{role}` gave HTTP status {}: {}",
                        status.as_u16(),
                        excerpt(&body)
                    ),
                    help,
                ));
            }
            Reply::Unreachable(why) => {
                return Err(CredentialsError::failed(
                    place,
                    format!("fetching the credentials of role `{role}` failed: {why}"),
                    help,
                ));
            }
        };
        let document = parse_json_document(body.as_bytes())
            .map_err(|error| CredentialsError::failed(place.clone(), error, help))?;
        if let Some(code) = document.get("Code").and_then(|c| c.as_str())
            && code != "Success"
        {
            let message = document.get("Message").and_then(|m| m.as_str()).unwrap_or("");
            return Err(CredentialsError::failed(
                place,
                format!(
                    "the credentials of role `{role}` are not available: {code} {}",
                    excerpt(message)
                ),
                help,
            ));
        }
        credentials_from_json(&document, "Token", "imds")
            .map_err(|problem| CredentialsError::failed(place, format!("unexpected response: {problem}"), help))
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
