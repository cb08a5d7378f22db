//! Static credentials from a profile of the shared config and credentials files.

use super::{Credentials, CredentialsError, CredentialsFuture, ProfileSource, ProvideCredentials};
use crate::env::Env;
use crate::profile::{Profile, ProfileSet};

/// Profile settings for credential sources this client does not implement.
/// A profile using one of them is an error rather than a silent fall-through to
/// another source (which could be a different identity).
const UNSUPPORTED: [(&str, &str); 5] = [
    ("role_arn", "assume-role profiles (role_arn)"),
    (
        "web_identity_token_file",
        "web identity profiles (web_identity_token_file)",
    ),
    ("sso_session", "IAM Identity Center profiles (sso_session)"),
    ("sso_start_url", "IAM Identity Center profiles (sso_start_url)"),
    ("sso_account_id", "IAM Identity Center profiles (sso_account_id)"),
];

/// Reads `aws_access_key_id`, `aws_secret_access_key` and the optional
/// `aws_session_token` from the selected profile (`AWS_PROFILE`, default
/// `default`) of the shared files; the credentials file wins over the config file.
///
/// A missing `default` profile means "not configured". A missing profile that
/// was asked for by name, a profile with only one of the two keys, and a profile
/// relying on assume-role or IAM Identity Center (not supported by this client)
/// are errors.
#[derive(Clone, Debug)]
pub struct ProfileProvider {
    pub(super) source: ProfileSource,
}

impl ProfileProvider {
    /// A provider reading the shared files named by `env` when credentials are needed.
    pub fn new(env: Env) -> ProfileProvider {
        ProfileProvider::from_source(ProfileSource::lazy(env))
    }

    /// This provider, using profile `name` instead of `AWS_PROFILE`.
    pub fn profile_name(self, name: impl Into<String>) -> ProfileProvider {
        ProfileProvider {
            source: self.source.with_name(name.into()),
        }
    }

    pub(crate) fn from_source(source: ProfileSource) -> ProfileProvider {
        ProfileProvider { source }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let (profiles, name) = self.source.resolve("the shared AWS config files")?;
        let profile = selected_profile(&profiles, &name, "static keys")?;
        let Some(profile) = profile else {
            return Err(CredentialsError::not_found(
                profiles.describe(&name, "profile not defined"),
            ));
        };
        check_supported(profile)?;
        let provider = format!("profile `{name}`");
        let key = profile.get("aws_access_key_id").filter(|v| !v.is_empty());
        let secret = profile.get("aws_secret_access_key").filter(|v| !v.is_empty());
        match (key, secret) {
            (Some(key), Some(secret)) => {
                let token = profile
                    .get("aws_session_token")
                    .or_else(|| profile.get("aws_security_token"))
                    .filter(|v| !v.is_empty());
                Ok(Credentials::new(key, secret, token.map(str::to_owned), None, "profile"))
            }
            (None, None) => {
                let why = if profile.get("credential_process").is_some() {
                    "no aws_access_key_id; using its credential_process next"
                } else {
                    "no aws_access_key_id in the profile"
                };
                Err(CredentialsError::not_found(profiles.describe(&name, why)))
            }
            (Some(_), None) => Err(CredentialsError::failed(
                provider,
                format!(
                    "aws_access_key_id is set ({}) but aws_secret_access_key is not",
                    profile.location("aws_access_key_id").unwrap_or_default()
                ),
                "Add aws_secret_access_key to the profile, or run `aws configure`",
            )),
            (None, Some(_)) => Err(CredentialsError::failed(
                provider,
                format!(
                    "aws_secret_access_key is set ({}) but aws_access_key_id is not",
                    profile.location("aws_secret_access_key").unwrap_or_default()
                ),
                "Add aws_access_key_id to the profile, or run `aws configure`",
            )),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// The profile `name`, or `None` when it is the implicit `default` and absent.
/// A named profile that does not exist is an error.
pub(super) fn selected_profile<'a>(
    profiles: &'a ProfileSet,
    name: &str,
    what: &str,
) -> Result<Option<&'a Profile>, CredentialsError> {
    match profiles.profile(name) {
        Some(profile) => Ok(Some(profile)),
        None if name == "default" => Ok(None),
        None => {
            let known: Vec<&str> = profiles.profile_names().collect();
            let known = if known.is_empty() {
                "no profiles are defined".to_owned()
            } else {
                format!("defined profiles: {}", known.join(", "))
            };
            Err(CredentialsError::failed(
                format!("profile `{name}` ({what})"),
                format!("the profile is not defined in {} ({known})", profiles.files_shown()),
                "Check the profile name (AWS_PROFILE or the configured profile), or add the profile with \
                 `aws configure --profile NAME`",
            ))
        }
    }
}

/// Fails for a profile that relies on a credential source this client lacks.
pub(super) fn check_supported(profile: &Profile) -> Result<(), CredentialsError> {
    for (key, what) in UNSUPPORTED {
        if profile.get(key).is_some() {
            return Err(CredentialsError::failed(
                format!("profile `{}`", profile.name()),
                format!(
                    "it relies on {what} (`{key}` at {}), which this client does not support",
                    profile.location(key).unwrap_or_default()
                ),
                format!(
                    "Use a credential_process in another profile instead, for example \
                     `credential_process = aws configure export-credentials --profile {} --format process`",
                    profile.name()
                ),
            ));
        }
    }
    Ok(())
}
