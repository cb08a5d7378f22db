//! Printing a response as the AWS CLI prints it: `--output json|yaml|yaml-stream|text|table`,
//! after `--query`.
//!
//! The pipeline: the wire form of the output is converted into what the AWS CLI shows
//! ([`convert`]: timestamps as local ISO 8601 text, members in model order) → the `--query`
//! expression is applied to that ([`crate::query`]) → the result is formatted. Like the AWS CLI,
//! `json`, `yaml` and `table` format the merged result of all pages, while `text` and
//! `yaml-stream` format page by page ([`render_pages`]).
//!
//! Member order: the AWS CLI prints members in the order the service sent them. The client
//! reads responses into typed structures, so that order is gone by the time we see the output;
//! members come in the order of the model schema (`apprunner_types::schema`, which lists them
//! alphabetically), map entries in key order, and `--query` multi-select hashes in the order the
//! expression names them. `text`, `table` and `yaml` sort keys anyway, as the AWS CLI does.

pub mod convert;
mod east_asian_width;
pub mod json;
pub mod node;
pub mod table;
pub mod text;
pub mod yaml;

use crate::paginate::Pages;
use crate::query::{Query, QueryEvalError};
use apprunner_smithy::schema::Shape;
use jiff::tz::TimeZone;
pub use node::Node;
use std::io::IsTerminal as _;

/// The `--output` formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// `json`: indented JSON.
    Json,
    /// `yaml`: one YAML document.
    Yaml,
    /// `yaml-stream`: a YAML list item per response page.
    YamlStream,
    /// `text`: tab-separated lines.
    Text,
    /// `table`: boxed tables.
    Table,
}

impl OutputFormat {
    /// The names `--output` accepts, in the order the AWS CLI lists them.
    pub const NAMES: [&'static str; 5] = ["json", "text", "table", "yaml", "yaml-stream"];

    /// The name of the format (`yaml-stream`).
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Yaml => "yaml",
            OutputFormat::YamlStream => "yaml-stream",
            OutputFormat::Text => "text",
            OutputFormat::Table => "table",
        }
    }
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    /// Reads a format name; the error lists the valid ones, in argparse's words:
    /// `invalid choice: 'xml' (choose from 'json', 'text', 'table', 'yaml', 'yaml-stream')`
    /// (AWS CLI 2.38 says `Found invalid choice 'xml'` without the list).
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "json" => Ok(OutputFormat::Json),
            "yaml" => Ok(OutputFormat::Yaml),
            "yaml-stream" => Ok(OutputFormat::YamlStream),
            "text" => Ok(OutputFormat::Text),
            "table" => Ok(OutputFormat::Table),
            other => Err(format!(
                "invalid choice: '{other}' (choose from {})",
                OutputFormat::NAMES.map(|n| format!("'{n}'")).join(", ")
            )),
        }
    }
}

/// Everything that decides how a response prints, besides the response.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// The format.
    pub format: OutputFormat,
    /// The zone timestamps are shown in (the local one by default, as the AWS CLI does).
    pub time_zone: TimeZone,
    /// Columns available to `table` output; wider tables turn single-row sections vertical.
    pub terminal_width: usize,
    /// Whether `table` output is coloured (the AWS CLI colours it on a terminal).
    pub color: bool,
}

impl RenderOptions {
    /// Options for printing to this process's standard output: the system time zone (`TZ`, then
    /// `/etc/localtime`), the terminal's width (80 when standard output is not a terminal) and
    /// colour on a terminal.
    pub fn for_stdout(format: OutputFormat) -> Self {
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        let width = terminal_size::terminal_size_of(&stdout).map_or(80, |(width, _)| usize::from(width.0));
        RenderOptions {
            format,
            time_zone: TimeZone::try_system().unwrap_or(TimeZone::UTC),
            terminal_width: width,
            color: terminal,
        }
    }

    /// Fixed options, for tests and reproducible output: UTC, 80 columns, no colour.
    pub fn plain(format: OutputFormat) -> Self {
        RenderOptions {
            format,
            time_zone: TimeZone::UTC,
            terminal_width: 80,
            color: false,
        }
    }
}

/// Prints one response (`value`, the output in the wire form) of the operation whose output
/// shape is `output_shape`, for standard output, without `--query`.
pub fn render(value: &serde_json::Value, format: OutputFormat, output_shape: &'static Shape) -> String {
    render_with(value, None, &RenderOptions::for_stdout(format), output_shape).unwrap_or_default()
}

/// Prints one response with an optional `--query`.
///
/// # Errors
///
/// A query that fails while it is evaluated (a function given the wrong type, an unknown
/// function): the AWS CLI reports those and exits 255.
pub fn render_with(
    value: &serde_json::Value,
    query: Option<&Query>,
    options: &RenderOptions,
    output_shape: &'static Shape,
) -> Result<String, QueryEvalError> {
    let document = convert::output_document(value, output_shape, &options.time_zone);
    let shown = match query {
        Some(query) => query.search(&document)?,
        None => document,
    };
    Ok(format_document(&shown, options, &title(output_shape)))
}

/// Prints the pages of a (possibly) paginated call with an optional `--query`, as the AWS CLI
/// does: `text` prints each page's items as it comes (the query applied to each) and then
/// `NEXTTOKEN` with the token to resume from; `yaml-stream` prints each page as a list item;
/// the other formats print the merged result.
///
/// # Errors
///
/// As [`render_with`].
pub fn render_pages(
    pages: &Pages,
    query: Option<&Query>,
    options: &RenderOptions,
    output_shape: &'static Shape,
) -> Result<String, QueryEvalError> {
    let apply = |node: Node| -> Result<Node, QueryEvalError> {
        match query {
            Some(query) => query.search(&node),
            None => Ok(node),
        }
    };
    let convert = |value: &serde_json::Value| convert::output_document(value, output_shape, &options.time_zone);
    match (options.format, pages.result_key()) {
        (OutputFormat::Text, Some(result_key)) => {
            let mut out = String::new();
            for page in pages.pages() {
                let page = convert(page);
                let items = page.get(result_key).cloned().unwrap_or(Node::Null);
                let current = Node::Object(vec![(result_key.to_owned(), items)]);
                out.push_str(&text::render(&apply(current)?));
            }
            if let Some(token) = pages.resume_token() {
                let token = Node::Object(vec![(
                    "NextToken".to_owned(),
                    Node::Object(vec![("NextToken".to_owned(), Node::String(token.to_owned()))]),
                )]);
                out.push_str(&text::render(&apply(token)?));
            }
            Ok(out)
        }
        (OutputFormat::YamlStream, _) => {
            let shown = pages
                .pages()
                .iter()
                .map(|page| apply(convert(page)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(yaml::render_stream(&shown))
        }
        (_, Some(result_key)) => {
            // The AWS CLI builds the merged result with the items first and `NextToken` last.
            let mut document = convert(&pages.merged());
            if let Node::Object(members) = &mut document {
                members.sort_by_key(|(key, _)| match key.as_str() {
                    k if k == result_key => 0,
                    "NextToken" => 2,
                    _ => 1,
                });
            }
            let shown = apply(document)?;
            Ok(format_document(&shown, options, &title(output_shape)))
        }
        _ => render_with(&pages.merged(), query, options, output_shape),
    }
}

/// Formats a document that is already in its final form (converted, queried).
pub fn format_document(value: &Node, options: &RenderOptions, title: &str) -> String {
    match options.format {
        OutputFormat::Json => json::render(value),
        OutputFormat::Yaml => yaml::render(value),
        OutputFormat::YamlStream => yaml::render_stream([value]),
        OutputFormat::Text => text::render(value),
        OutputFormat::Table => table::render(value, title, options.terminal_width, options.color),
    }
}

/// The table title: the operation's name (`CreateService`), found from its output shape.
fn title(output_shape: &'static Shape) -> String {
    apprunner_types::schema::SERVICE
        .operations
        .iter()
        .find(|op| std::ptr::eq(op.output, output_shape))
        .map(|op| op.name.to_owned())
        .unwrap_or_else(|| {
            let name = output_shape.name;
            name.strip_suffix("Output").unwrap_or(name).to_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip_and_errors_list_the_choices() {
        for name in OutputFormat::NAMES {
            assert_eq!(name.parse::<OutputFormat>().unwrap().name(), name);
        }
        assert_eq!(
            "xml".parse::<OutputFormat>().unwrap_err(),
            "invalid choice: 'xml' (choose from 'json', 'text', 'table', 'yaml', 'yaml-stream')"
        );
    }

    #[test]
    fn titles_come_from_the_operation() {
        let op = apprunner_types::schema::SERVICE.operation("list-services").unwrap();
        assert_eq!(title(op.output), "ListServices");
    }
}
