//! Credentials from environment variables.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::env::Env;

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
/// `AWS_SESSION_TOKEN` (or its legacy name `AWS_SECURITY_TOKEN`).
///
/// Neither key set means "not configured"; only one of the two set is an error,
/// as it is almost certainly a mistake.
#[derive(Clone, Debug)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// A provider reading `env`.
    pub fn new(env: Env) -> EnvironmentProvider {
        EnvironmentProvider { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let access_key_id = self.env.get("AWS_ACCESS_KEY_ID");
        let secret_access_key = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => {
                let session_token = self
                    .env
                    .get("AWS_SESSION_TOKEN")
                    .or_else(|| self.env.get("AWS_SECURITY_TOKEN"));
                Ok(Credentials::new(
                    access_key_id.trim(),
                    secret_access_key.trim(),
                    session_token.map(|t| t.trim().to_owned()),
                    None,
                    "environment",
                ))
            }
            (None, None) => Err(CredentialsError::not_found(
                "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)",
            )),
            (Some(_), None) => Err(partial("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")),
            (None, Some(_)) => Err(partial("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID")),
        }
    }
}

fn partial(set: &str, missing: &str) -> CredentialsError {
    CredentialsError::failed(
        "environment variables",
        format!("{set} is set but {missing} is not"),
        format!("Set {missing} too, or unset {set} to use other credential sources"),
    )
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}
