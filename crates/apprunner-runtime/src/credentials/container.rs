//! Credentials from the ECS or EKS container credentials endpoint.

use super::http::{client, excerpt, fetch};
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, credentials_from_json, parse_json_document,
};
use crate::env::Env;
use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

/// The ECS task metadata host that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
const ECS_HOST: &str = "http://169.254.170.2";
const ATTEMPTS: u32 = 2;

/// Fetches credentials from the container credentials endpoint that ECS and EKS
/// Pod Identity provide.
///
/// The endpoint is `http://169.254.170.2` plus `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`,
/// or else `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must use HTTPS or point
/// at a loopback address or at the ECS (`169.254.170.2`) or EKS
/// (`169.254.170.23`, `fd00:ec2::23`) hosts. The `Authorization` header comes
/// from the file named by `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every
/// fetch, as it rotates) or else from `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
/// Neither URI variable set means "not configured".
#[derive(Debug)]
pub struct ContainerProvider {
    env: Env,
    client: OnceLock<reqwest::Client>,
}

impl ContainerProvider {
    /// A provider reading its settings from `env`.
    pub fn new(env: Env) -> ContainerProvider {
        ContainerProvider {
            env,
            client: OnceLock::new(),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(url) = endpoint(&self.env)? else {
            return Err(CredentialsError::not_found(
                "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and \
                 AWS_CONTAINER_CREDENTIALS_FULL_URI not set)",
            ));
        };
        let provider = format!("the container credentials endpoint {}", shown(&url));
        let token = authorization(&self.env, &provider)?;
        let client = match self.client.get() {
            Some(client) => client,
            None => {
                let built = client(Duration::from_secs(2), Duration::from_secs(5), Duration::from_secs(5))
                    .map_err(|message| CredentialsError::failed(provider.clone(), message, "Report this as a bug"))?;
                self.client.get_or_init(|| built)
            }
        };
        let help = "Check that the task or pod has an IAM role and that the AWS_CONTAINER_* variables \
                    are the ones the platform set";
        let mut attempt = 0;
        let (status, body) = loop {
            attempt += 1;
            let mut request = client.get(url.clone()).header("Accept", "application/json");
            if let Some(token) = &token {
                request = request.header("Authorization", token.as_str());
            }
            match fetch(request).await {
                Ok((status, _)) if status.is_server_error() && attempt < ATTEMPTS => {}
                Ok(done) => break done,
                Err(_) if attempt < ATTEMPTS => {}
                Err(message) => {
                    return Err(CredentialsError::failed(
                        provider,
                        format!("request failed: {message}"),
                        help,
                    ));
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        if !status.is_success() {
            return Err(CredentialsError::failed(
                provider,
                format!(
                    "HTTP status {}; response: {}",
                    status.as_u16(),
                    excerpt(&String::from_utf8_lossy(&body))
                ),
                help,
            ));
        }
        let document =
            parse_json_document(&body).map_err(|error| CredentialsError::failed(provider.clone(), error, help))?;
        credentials_from_json(&document, "Token", "container")
            .map_err(|problem| CredentialsError::failed(provider, format!("unexpected response: {problem}"), help))
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The URL without query or credentials, for messages.
fn shown(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    let _ = url.set_password(None);
    let _ = url.set_username("");
    url.to_string()
}

/// The endpoint to call, `None` when neither variable is set, or an error for an
/// unusable value.
pub(crate) fn endpoint(env: &Env) -> Result<Option<reqwest::Url>, CredentialsError> {
    if let Some(relative) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        let relative = relative.trim();
        let joined = if relative.starts_with('/') {
            format!("{ECS_HOST}{relative}")
        } else {
            format!("{ECS_HOST}/{relative}")
        };
        return reqwest::Url::parse(&joined).map(Some).map_err(|error| {
            CredentialsError::failed(
                "container credentials",
                format!("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI does not make a valid URL: {error}"),
                "Unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, or set it to a path such as /v2/credentials/ID",
            )
        });
    }
    let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
        return Ok(None);
    };
    let invalid = |message: String| {
        CredentialsError::failed(
            "container credentials",
            message,
            "Set AWS_CONTAINER_CREDENTIALS_FULL_URI to an https:// URL, or an http:// URL on a loopback address \
             or on 169.254.170.2, 169.254.170.23 or [fd00:ec2::23]",
        )
    };
    let url = reqwest::Url::parse(full.trim()).map_err(|error| {
        invalid(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL: {error}"
        ))
    })?;
    match url.scheme() {
        "https" => Ok(Some(url)),
        "http" if host_allowed_for_http(url.host_str().unwrap_or("")) => Ok(Some(url)),
        "http" => Err(invalid(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI uses plain HTTP to `{}`, which is not a loopback or container \
             metadata address",
            url.host_str().unwrap_or("")
        ))),
        scheme => Err(invalid(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI has unsupported scheme `{scheme}`"
        ))),
    }
}

fn host_allowed_for_http(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(IpAddr::V4(v4)) => v4.octets() == [169, 254, 170, 2] || v4.octets() == [169, 254, 170, 23],
        Ok(IpAddr::V6(v6)) => v6.segments() == [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23],
        Err(_) => false,
    }
}

/// The `Authorization` header value, if configured.
fn authorization(env: &Env, provider: &str) -> Result<Option<String>, CredentialsError> {
    let (token, origin) = if let Some(path) = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        let text = std::fs::read_to_string(path.trim()).map_err(|error| {
            CredentialsError::failed(
                provider,
                format!(
                    "could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ({}): {error}",
                    path.trim()
                ),
                "Check that the token file the platform mounted exists and is readable",
            )
        })?;
        (text, "the file at AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    } else if let Some(token) = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
        (token, "AWS_CONTAINER_AUTHORIZATION_TOKEN")
    } else {
        return Ok(None);
    };
    let token = token.trim();
    if token.is_empty() {
        return Ok(None);
    }
    if token.chars().any(|c| c.is_control()) {
        return Err(CredentialsError::failed(
            provider,
            format!("the authorization token from {origin} contains control characters (such as line breaks)"),
            "Fix the authorization token",
        ));
    }
    Ok(Some(token.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_uri_goes_to_the_ecs_host_and_wins() {
        let env = Env::from_vars([
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/x"),
        ]);
        assert_eq!(
            endpoint(&env).unwrap().unwrap().as_str(),
            "http://169.254.170.2/v2/credentials/abc"
        );
    }

    #[test]
    fn full_uri_hosts() {
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/creds",
            "http://localhost/creds",
            "http://[::1]:80/creds",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "http://169.254.170.2/creds",
            "https://creds.example.com/x",
        ] {
            let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok)]);
            assert!(endpoint(&env).unwrap().is_some(), "{ok}");
        }
        for bad in [
            "http://example.com/creds",
            "http://10.0.0.1/creds",
            "http://169.254.169.254/latest",
            "ftp://127.0.0.1/x",
            "not a url",
        ] {
            let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad)]);
            let error = endpoint(&env).unwrap_err();
            assert!(!error.is_not_found(), "{bad}");
            assert!(
                error.to_string().contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
                "{error}"
            );
        }
        assert!(endpoint(&Env::from_vars([("X", "y")])).unwrap().is_none());
    }

    #[test]
    fn token_with_line_break_is_refused() {
        let env = Env::from_vars([("AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nInjected: 1")]);
        assert!(authorization(&env, "p").is_err());
        let env = Env::from_vars([("AWS_CONTAINER_AUTHORIZATION_TOKEN", " tok \n")]);
        assert_eq!(authorization(&env, "p").unwrap().as_deref(), Some("tok"));
    }
}
