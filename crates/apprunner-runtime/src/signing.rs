//! SigV4 request signing, delegated to `aws-sigv4`.
//!
//! Only the headers the signature must cover are handed to the signer (`host`,
//! `content-type`, `x-amz-target`; the signer adds `x-amz-date` and, with temporary
//! credentials, `x-amz-security-token`), and the body only as its SHA-256 digest,
//! so nothing the signer might log can contain the body. The signer runs with
//! tracing switched off: its TRACE output includes the access key id and the
//! string to sign, neither of which belongs in a caller's logs.

use std::fmt;
use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::credentials::Credentials;
use crate::sdk_error::BoxError;

/// Where a signature is valid: the SigV4 signing name and region.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SigningScope<'a> {
    pub(crate) name: &'a str,
    pub(crate) region: &'a str,
}

/// The request could not be signed.
#[derive(Debug)]
pub(crate) struct SigningError(BoxError);

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigV4 signing failed: {}", self.0)
    }
}

impl std::error::Error for SigningError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Lower-case hex SHA-256 of `bytes`, the SigV4 payload hash.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = String::with_capacity(64);
    for byte in digest.as_ref() {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    out
}

/// Signs a `POST` of `body` to `url` carrying `headers`, at `time`; returns the
/// headers to add to the request (`x-amz-date`, `x-amz-security-token` when the
/// credentials have a session token, and `authorization`).
pub(crate) fn sign_post(
    url: &str,
    headers: &[(&str, &str)],
    payload_sha256: String,
    credentials: &Credentials,
    scope: SigningScope<'_>,
    time: SystemTime,
) -> Result<Vec<(&'static str, String)>, SigningError> {
    let identity: Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        credentials.expiry(),
        "apprunner-runtime",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|error| SigningError(Box::new(error)))?
        .into();
    let request = SignableRequest::new(
        "POST",
        url,
        headers.iter().copied(),
        SignableBody::Precomputed(payload_sha256),
    )
    .map_err(|error| SigningError(Box::new(error)))?;
    let output = tracing::dispatcher::with_default(&tracing::Dispatch::none(), || sign(request, &params))
        .map_err(|error| SigningError(Box::new(error)))?;
    let (instructions, _signature) = output.into_parts();
    let (signed_headers, _params) = instructions.into_parts();
    Ok(signed_headers
        .into_iter()
        .map(|header| (header.name(), header.value().to_owned()))
        .collect())
}

/// Signs like a call at `time` would: `headers` are the headers to cover (`host`,
/// `content-type`, `x-amz-target`), and the result is the headers the runtime adds.
///
/// For tests that check signatures against an independent SigV4 computation.
#[doc(hidden)]
pub fn sign_request_at(
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    credentials: &Credentials,
    signing_name: &str,
    signing_region: &str,
    time: SystemTime,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error + Send + Sync>> {
    let scope = SigningScope {
        name: signing_name,
        region: signing_region,
    };
    let added = sign_post(url, headers, sha256_hex(body), credentials, scope, time)?;
    Ok(added
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::sha256_hex;

    #[test]
    fn payload_hash_of_empty_and_json_bodies() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"{}"),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}
