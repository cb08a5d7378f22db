//! Calling an operation with JSON values: the command line works from the model
//! at run time, so it hands the client JSON and gets JSON back.

use apprunner_client::Client;
use apprunner_runtime::{ResponseError, SdkError};
use apprunner_smithy::ErrorMetadata;
use serde_json::Value;

/// Sends `operation` with `input` and returns its output, both in the wire form.
///
/// # Errors
///
/// Whatever [`Client::send_json`] reports.
pub async fn send_json(
    client: &Client,
    operation: &'static str,
    input: &Value,
) -> Result<Value, SdkError<ErrorMetadata>> {
    // A `Value` always serializes, and the client writes well-formed JSON; the
    // errors below are for the impossible case, not a panic.
    let text = serde_json::to_vec(input).map_err(|error| unreadable(operation, &error))?;
    let output = client.send_json(operation, &text).await?;
    serde_json::from_slice(&output).map_err(|error| unreadable(operation, &error))
}

fn unreadable(operation: &'static str, error: &serde_json::Error) -> SdkError<ErrorMetadata> {
    SdkError::MalformedResponse(ResponseError::new(
        operation,
        200,
        None,
        format!("the JSON could not be handled: {error}"),
    ))
}
