//! Pagination as the AWS CLI does it: every page by default, `--no-paginate` for one,
//! `--max-items` and `--starting-token` to read a long list in pieces, `--page-size` for the
//! size of each request.
//!
//! The paginated operations and their token members come from the model's `@paginated` trait.
//! The merged result holds the item list of every page (the `items` member of the trait, or,
//! as App Runner's model names none, the output's one list member) and, when `--max-items`
//! stopped early, `NextToken`: a token for `--starting-token`. Tokens use the AWS CLI's
//! encoding, base64 of the JSON `{"NextToken": "...", "boto_truncate_amount": k}` (the service
//! token, and how many items of that page were already shown), so a token from one tool
//! resumes in the other. A starting token that is not in that form is passed to the service
//! as it is (optionally with `___k` for the items to skip), as the AWS CLI does.

use crate::output::json;
use crate::output::node::Node;
use apprunner_client::Client;
use apprunner_runtime::SdkError;
use apprunner_smithy::schema::{OperationSchema, Shape, TypeKind};
use apprunner_smithy::{ErrorMetadata, ValidationError, Violation};
use base64::Engine as _;
use serde_json::{Map, Value};

/// The pagination options of the command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaginationOptions {
    /// `--no-paginate`: one request, the service's token left in the output.
    pub no_paginate: bool,
    /// `--max-items`: stop after this many items.
    pub max_items: Option<u64>,
    /// `--starting-token`: resume where a `--max-items` run stopped.
    pub starting_token: Option<String>,
    /// `--page-size`: items per request.
    pub page_size: Option<u64>,
}

/// The responses of one command, page by page.
#[derive(Clone, Debug, PartialEq)]
pub struct Pages {
    pages: Vec<Value>,
    result_key: Option<String>,
    resume_token: Option<String>,
}

impl Pages {
    /// A single response, not paginated.
    pub fn single(response: Value) -> Self {
        Pages {
            pages: vec![response],
            result_key: None,
            resume_token: None,
        }
    }

    /// The pages as received (the first and last possibly trimmed to the items shown).
    pub fn pages(&self) -> &[Value] {
        &self.pages
    }

    /// The member holding each page's items, when the pages were fetched automatically.
    pub fn result_key(&self) -> Option<&str> {
        self.result_key.as_deref()
    }

    /// The token to pass to `--starting-token` to continue, when `--max-items` stopped early.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume_token.as_deref()
    }

    /// The result the AWS CLI prints for the whole call: the items of all pages, and
    /// `NextToken` when there are more. Without automatic pagination, the response itself.
    pub fn merged(&self) -> Value {
        let Some(key) = &self.result_key else {
            return self.pages.first().cloned().unwrap_or(Value::Object(Map::new()));
        };
        let mut merged = Map::new();
        let mut items: Option<Vec<Value>> = None;
        for page in &self.pages {
            match page.get(key) {
                Some(Value::Array(page_items)) => items.get_or_insert_with(Vec::new).extend(page_items.iter().cloned()),
                Some(Value::Null) | None => {}
                Some(other) => {
                    items.get_or_insert_with(Vec::new).push(other.clone());
                }
            }
        }
        if let Some(items) = items {
            merged.insert(key.clone(), Value::Array(items));
        }
        if let Some(token) = &self.resume_token {
            merged.insert("NextToken".to_owned(), Value::String(token.clone()));
        }
        Value::Object(merged)
    }
}

/// Calls `operation` and returns what the AWS CLI prints before `--query`: all pages merged
/// (see [`Pages::merged`]), or the single response for `--no-paginate` and operations that are
/// not paginated.
///
/// # Errors
///
/// The first failed request's error; a `--starting-token` that cannot be read, or a service
/// that repeats a token, as [`SdkError::InvalidInput`].
pub async fn call_paginated(
    client: &Client,
    operation: &'static OperationSchema,
    input: Value,
    options: &PaginationOptions,
) -> Result<Value, SdkError<ErrorMetadata>> {
    Ok(fetch_pages(client, operation, input, options).await?.merged())
}

/// Calls `operation` page by page as the AWS CLI does (see the module documentation).
///
/// # Errors
///
/// As [`call_paginated`].
pub async fn fetch_pages(
    client: &Client,
    operation: &'static OperationSchema,
    mut input: Value,
    options: &PaginationOptions,
) -> Result<Pages, SdkError<ErrorMetadata>> {
    let plan = match (operation.paginated, result_key(operation)) {
        (Some(pagination), Some(result_key)) if !options.no_paginate => (pagination, result_key),
        _ => {
            return Ok(Pages::single(
                crate::call::send_json(client, operation.name, &input).await?,
            ));
        }
    };
    let (pagination, result_key) = plan;
    let input_token = pagination.input_token;
    let object = match &mut input {
        Value::Object(map) => map,
        _ => {
            return Ok(Pages::single(
                crate::call::send_json(client, operation.name, &input).await?,
            ));
        }
    };
    if let (Some(member), Some(size)) = (pagination.page_size, options.page_size) {
        object.insert(member.to_owned(), Value::from(size));
    }
    let (mut next_token, starting_truncation) = match &options.starting_token {
        Some(token) => parse_starting_token(token).map_err(invalid)?,
        None => (None, 0),
    };
    set_token(object, input_token, next_token.as_deref());

    let max_items = options.max_items;
    let mut pages = Vec::new();
    let mut total: u64 = 0;
    let mut previous: Option<String> = None;
    let mut resume_token = None;
    let mut first = true;
    loop {
        let mut page = crate::call::send_json(client, operation.name, &input).await?;
        let mut skipped = 0;
        if first && options.starting_token.is_some() {
            skipped = starting_truncation;
            drop_leading(&mut page, &result_key, starting_truncation);
        }
        first = false;
        let count = item_count(&page, &result_key);
        if let Some(max) = max_items {
            let over = (total + count).saturating_sub(max);
            if over > 0 {
                let keep = count - over;
                keep_leading(&mut page, &result_key, keep);
                resume_token = Some(encode_token(input_token, next_token.as_deref(), Some(keep + skipped)));
                pages.push(page);
                break;
            }
        }
        total += count;
        let token = output_token(&page, pagination.output_token);
        pages.push(page);
        let Some(token) = token else {
            break;
        };
        if max_items == Some(total) {
            resume_token = Some(encode_token(input_token, Some(&token), None));
            break;
        }
        if previous.as_deref() == Some(token.as_str()) {
            return Err(invalid(format!(
                "The same next token was received twice: {{'{input_token}': '{token}'}}"
            )));
        }
        if let Value::Object(map) = &mut input {
            set_token(map, input_token, Some(&token));
        }
        previous = Some(token.clone());
        next_token = Some(token);
    }
    Ok(Pages {
        pages,
        result_key: Some(result_key),
        resume_token,
    })
}

/// The output member holding a page's items: the trait's `items`, else the output's only list.
pub fn result_key(operation: &OperationSchema) -> Option<String> {
    let pagination = operation.paginated?;
    if let Some(items) = pagination.items {
        return Some(items.to_owned());
    }
    let lists: Vec<&str> = list_members(operation.output);
    match lists.as_slice() {
        [only] => Some((*only).to_owned()),
        _ => None,
    }
}

fn list_members(shape: &Shape) -> Vec<&'static str> {
    shape
        .members()
        .iter()
        .filter(|m| matches!(m.ty.kind, TypeKind::List(_)))
        .map(|m| m.name)
        .collect()
}

fn invalid(message: String) -> SdkError<ErrorMetadata> {
    SdkError::InvalidInput(ValidationError::new(vec![Violation {
        path: String::new(),
        message,
    }]))
}

fn set_token(input: &mut Map<String, Value>, member: &str, token: Option<&str>) {
    match token {
        Some(token) if token != "None" => {
            input.insert(member.to_owned(), Value::String(token.to_owned()));
        }
        _ => {
            input.remove(member);
        }
    }
}

fn output_token(page: &Value, path: &str) -> Option<String> {
    let mut current = page;
    for part in path.split('.') {
        current = current.get(part)?;
    }
    match current {
        Value::String(token) => Some(token.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn item_count(page: &Value, key: &str) -> u64 {
    match page.get(key) {
        Some(Value::Array(items)) => items.len() as u64,
        _ => 0,
    }
}

fn drop_leading(page: &mut Value, key: &str, count: u64) {
    if let Some(Value::Array(items)) = page.get_mut(key) {
        let count = (count as usize).min(items.len());
        items.drain(..count);
    }
}

fn keep_leading(page: &mut Value, key: &str, count: u64) {
    if let Some(Value::Array(items)) = page.get_mut(key) {
        items.truncate(count as usize);
    }
}

/// The AWS CLI's resume token: base64 of `{"<input token>": <token or null>}` plus
/// `"boto_truncate_amount": k` when `k` items of that page were already shown.
pub fn encode_token(input_token: &str, token: Option<&str>, truncate_amount: Option<u64>) -> String {
    let mut members = vec![(
        input_token.to_owned(),
        token.map_or(Node::Null, |t| Node::String(t.to_owned())),
    )];
    if let Some(amount) = truncate_amount {
        members.push(("boto_truncate_amount".to_owned(), Node::Int(amount as i64)));
    }
    let text = json::dumps(&Node::Object(members), ", ", ": ", true);
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Reads a `--starting-token`: the service token to send (if any) and how many items of that
/// page to skip.
///
/// # Errors
///
/// A token in the old `a___b___c` form with more parts than the operation has token members.
pub fn parse_starting_token(token: &str) -> Result<(Option<String>, u64), String> {
    if let Some(decoded) = decode_token(token) {
        return Ok(decoded);
    }
    // The older form: the service token, optionally followed by `___<items to skip>`.
    let mut parts: Vec<&str> = token.split("___").collect();
    let mut skip = 0;
    if parts.len() == 2 {
        match parts[1].trim().parse::<i64>() {
            Ok(n) => {
                skip = n.max(0) as u64;
                parts.pop();
            }
            Err(_) => parts = vec![token],
        }
    }
    if parts.len() > 1 {
        return Err(format!("Bad starting token: {token}"));
    }
    let service_token = parts
        .first()
        .filter(|part| **part != "None")
        .map(|part| (*part).to_owned());
    Ok((service_token, skip))
}

fn decode_token(token: &str) -> Option<(Option<String>, u64)> {
    let cleaned: String = token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(cleaned).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&text) else {
        return None;
    };
    let skip = map.get("boto_truncate_amount").and_then(Value::as_u64).unwrap_or(0);
    let service_token = map
        .iter()
        .find(|(key, _)| key.as_str() != "boto_truncate_amount" && key.as_str() != "boto_encoded_keys")
        .and_then(|(_, value)| value.as_str().map(str::to_owned));
    Some((service_token, skip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_the_aws_cli_tokens() {
        // The tokens AWS CLI 2.38.5 printed for the same positions.
        assert_eq!(
            encode_token("NextToken", None, Some(1)),
            "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
        );
        assert_eq!(
            encode_token("NextToken", Some("page2"), None),
            "eyJOZXh0VG9rZW4iOiAicGFnZTIifQ=="
        );
        assert_eq!(
            parse_starting_token("eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="),
            Ok((None, 1))
        );
        assert_eq!(
            parse_starting_token("eyJOZXh0VG9rZW4iOiAicGFnZTIifQ=="),
            Ok((Some("page2".to_owned()), 0))
        );
    }

    #[test]
    fn other_tokens_go_to_the_service_as_they_are() {
        assert_eq!(parse_starting_token("page3"), Ok((Some("page3".to_owned()), 0)));
        assert_eq!(parse_starting_token("garbage___1"), Ok((Some("garbage".to_owned()), 1)));
        assert_eq!(parse_starting_token("a___b"), Ok((Some("a___b".to_owned()), 0)));
        assert_eq!(parse_starting_token("None___2"), Ok((None, 2)));
        assert!(parse_starting_token("a___b___c").is_err());
        let unicode = encode_token("NextToken", Some("é"), Some(3));
        assert_eq!(parse_starting_token(&unicode), Ok((Some("é".to_owned()), 3)));
    }

    #[test]
    fn the_result_key_is_the_only_list_when_the_model_names_none() {
        let op = apprunner_types::schema::SERVICE.operation("list-services").unwrap();
        assert_eq!(result_key(op).as_deref(), Some("ServiceSummaryList"));
        let op = apprunner_types::schema::SERVICE.operation("create-service").unwrap();
        assert_eq!(result_key(op), None);
    }
}
