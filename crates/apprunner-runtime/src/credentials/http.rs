//! Helpers shared by the HTTP-based credential sources and `credential_process`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// An HTTP client for a metadata endpoint: no proxy (the endpoints are
/// link-local or loopback), no redirects (they would carry the token elsewhere),
/// and the given timeouts.
pub(super) fn client(connect: Duration, read: Duration, total: Duration) -> Result<reqwest::Client, String> {
    let tls = crate::tls::client_config(true).map_err(|error| format!("could not configure TLS: {error}"))?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect)
        .read_timeout(read)
        .timeout(total)
        .build()
        .map_err(|error| format!("could not build an HTTP client: {}", error_chain(&error)))
}

/// What one request to a metadata endpoint got: the status and the whole body, or
/// a [`short_reason`] why there is none.
pub(super) type Fetched = Result<(reqwest::StatusCode, Vec<u8>), String>;

/// Sends `request` and reads the whole response body.
///
/// Boxed and not generic, so that the request and body-reading futures are
/// compiled once for every HTTP-based credential source and request, instead of
/// into each caller's state machine.
pub(super) fn fetch(request: reqwest::RequestBuilder) -> Pin<Box<dyn Future<Output = Fetched> + Send>> {
    Box::pin(async move {
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                match response.bytes().await {
                    Ok(body) => Ok((status, body.to_vec())),
                    Err(error) => Err(short_reason(&error)),
                }
            }
            Err(error) => Err(short_reason(&error)),
        }
    })
}

/// An error and its causes, joined with `: `.
pub(super) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// A short reason for a failed request: "timed out", or the innermost cause
/// (such as "Connection refused (os error 111)").
pub(super) fn short_reason(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    let mut innermost: &(dyn std::error::Error + 'static) = error;
    while let Some(cause) = innermost.source() {
        innermost = cause;
    }
    let reason = innermost.to_string();
    if error.is_connect() {
        format!("could not connect: {reason}")
    } else {
        reason
    }
}

/// A short excerpt of diagnostic output (stderr, an error response body) for a
/// message. Text that looks like it holds credentials is withheld.
pub(super) fn excerpt(text: &str) -> String {
    const LIMIT: usize = 400;
    let text = text.trim();
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    let lower = text.to_ascii_lowercase();
    if ["secretaccesskey", "secret_access_key", "sessiontoken", "session_token"]
        .iter()
        .any(|needle| lower.contains(needle))
    {
        return "(withheld: it appears to contain credentials)".to_owned();
    }
    let single_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if single_line.chars().count() <= LIMIT {
        single_line
    } else {
        let cut: String = single_line.chars().take(LIMIT).collect();
        format!("{cut}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts() {
        assert_eq!(excerpt("  \n"), "(empty)");
        assert_eq!(excerpt("line one\n  line two\n"), "line one line two");
        assert!(excerpt(&"x".repeat(1000)).ends_with("..."));
        assert!(excerpt("{\"SecretAccessKey\": \"abc\"}").starts_with("(withheld"));
    }
}
