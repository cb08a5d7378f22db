//! `--output table`: the AWS CLI's boxed tables.
//!
//! The response becomes a list of sections, each with a title (the operation name at the top,
//! the member name below), optional column headers and rows, and an indentation level (one per
//! level of nesting, drawn as an extra `|` on each side):
//! - an object's scalar members make one section: a two-column `key | value` row when there is
//!   one scalar, otherwise a header row of the (sorted) keys over one row of values; each list
//!   or object member, in key order, becomes a nested section titled with its key;
//! - a list of objects makes a header row of the union of their scalar keys and one row per
//!   object (a fresh section per object when they have nested members);
//! - a list of scalars makes one row per item.
//!
//! Every section is as wide as the widest one; columns are scaled to fill the width. When the
//! table is wider than the terminal (80 columns when standard output is not a terminal),
//! single-row sections with headers turn into `key | value` rows. Characters of East Asian
//! wide, full-width or ambiguous width count as two columns. On a terminal the values and
//! the nesting bars are coloured, as the AWS CLI colours them.

use super::node::{Node, py_str};

/// ANSI sequences of the AWS CLI's coloured style (bright blue values, dim yellow nesting bars).
const VALUE_STYLE: &str = "\u{1b}[1m\u{1b}[34m";
const BAR_STYLE: &str = "\u{1b}[2m\u{1b}[33m";
const RESET: &str = "\u{1b}[0m";

/// The `--output table` text of `value` under `title`; empty for a false value (`{}`, `[]`,
/// `""`, `0`, `null`, `false`), as the AWS CLI prints nothing for those.
pub fn render(value: &Node, title: &str, terminal_width: usize, color: bool) -> String {
    let mut table = Table::default();
    if !build(&mut table, Some(title), value, 0) {
        return String::new();
    }
    table.render(terminal_width, color)
}

#[derive(Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    columns: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        if self.columns.is_none() {
            self.columns = Some(headers.len());
        }
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        if self.columns.is_none() {
            self.columns = Some(row.len());
        }
        self.update_widths(&row);
        self.rows.push(row);
    }

    fn update_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|cell| text_width(cell)).collect();
        } else {
            for (i, cell) in row.iter().enumerate() {
                let width = text_width(cell);
                match self.max_widths.get_mut(i) {
                    Some(slot) => *slot = (*slot).max(width),
                    None => self.max_widths.push(width),
                }
            }
        }
    }

    /// Column widths with `padding` added, scaled so that they add up to `max_width`.
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let Some(max_width) = max_width else {
            return unscaled;
        };
        if unscaled.is_empty() {
            return unscaled;
        }
        let total: usize = unscaled.iter().sum();
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled.iter().map(|w| py_round(scale * *w as f64)).collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self, padding: usize, outer_padding: usize) -> usize {
        let columns: usize = self.column_widths(0, None).iter().map(|w| w + padding).sum();
        let total = columns + 2 + 2 * outer_padding;
        total.max(text_width(&self.title) + 2 + 2 * outer_padding)
    }
}

/// Python's `round()`: halves go to the even neighbour.
fn py_round(value: f64) -> i64 {
    let floor = value.floor();
    let diff = value - floor;
    let up = diff > 0.5 || (diff == 0.5 && (floor as i64) % 2 != 0);
    let rounded = if up { floor + 1.0 } else { floor };
    rounded as i64
}

#[derive(Default)]
struct Table {
    sections: Vec<Section>,
}

impl Table {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: &str, indent_level: usize) {
        self.sections.push(Section {
            title: title.to_owned(),
            indent_level,
            ..Section::default()
        });
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.total_width(4, s.indent_level))
            .max()
            .unwrap_or(0)
    }

    fn render(mut self, terminal_width: usize, color: bool) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            self.convert_to_vertical();
            max_width = self.max_width();
        }
        let mut out = String::new();
        out.push_str(&"-".repeat(max_width));
        out.push('\n');
        if color {
            out.push_str(RESET);
        }
        for section in &self.sections {
            render_section(&mut out, section, max_width, color);
        }
        out
    }

    /// Single-row sections with headers become `header | value` rows.
    fn convert_to_vertical(&mut self) {
        for section in &mut self.sections {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let mut vertical = Section {
                    title: section.title.clone(),
                    indent_level: section.indent_level,
                    ..Section::default()
                };
                let headers = std::mem::take(&mut section.headers);
                let row = std::mem::take(&mut section.rows[0]);
                for (header, cell) in headers.into_iter().zip(row) {
                    vertical.add_row(vec![header, cell]);
                }
                *section = vertical;
            }
        }
    }
}

fn render_section(out: &mut String, section: &Section, max_width: usize, color: bool) {
    let bars = if color {
        format!("{BAR_STYLE}|{RESET}").repeat(section.indent_level)
    } else {
        "|".repeat(section.indent_level)
    };
    let width = max_width.saturating_sub(section.indent_level * 2);
    // With colour, the AWS CLI's terminal wrapper adds a reset after each of its writes: the
    // left bars, the line, the right bars and the line break.
    let reset = if color { RESET } else { "" };
    let mut line = |text: String| {
        for part in [bars.as_str(), text.as_str(), bars.as_str(), "\n"] {
            out.push_str(part);
            out.push_str(reset);
        }
    };
    if !section.title.is_empty() {
        line(center(&section.title, width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(format!("+{}+", "-".repeat(width.saturating_sub(2))));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, Some(width));
        line(line_break(&widths));
        let mut text = String::new();
        for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            text.push_str(&center(header, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        line(text);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, Some(width));
        if widths.is_empty() {
            return;
        }
        line(line_break(&widths));
        for row in &section.rows {
            let mut text = String::new();
            for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                text.push_str(&align_left(cell, *w, if i == 0 { "|" } else { "" }, "|", color));
            }
            line(text);
        }
        line(line_break(&widths));
    }
}

/// `+-----+------+`: the first cell has both corners, the others only the right one.
fn line_break(widths: &[usize]) -> String {
    let mut text = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            text.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            text.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    text
}

fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_length = text_width(text) as i64;
    // A negative start (text wider than the cell) pads nothing but still counts, as in Python.
    let start = length as i64 / 2 - text_length / 2 - 1;
    let mut out = format!("{left}{}{text}", " ".repeat(start.max(0) as usize));
    let so_far = left.len() as i64 + start + text_length;
    let right_spaces = (length as i64 - right.len() as i64 - so_far).max(0) as usize;
    out.push_str(&" ".repeat(right_spaces));
    out.push_str(right);
    out
}

fn align_left(text: &str, length: usize, left: &str, right: &str, color: bool) -> String {
    let text_length = text_width(text);
    let computed = text_length + 2 + left.len() + right.len();
    let padding = if length >= computed { 2 } else { 0 };
    let styled = if color {
        format!("{VALUE_STYLE}{text}{RESET}")
    } else {
        text.to_owned()
    };
    let so_far = left.len() + padding + text_length;
    let rest = length.saturating_sub(so_far + right.len());
    format!("{left}{}{styled}{}{right}", " ".repeat(padding), " ".repeat(rest))
}

/// Display columns of `text`: two for East Asian wide, full-width and ambiguous characters.
fn text_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if !c.is_ascii() && super::east_asian_width::is_wide_or_ambiguous(c) {
                2
            } else {
                1
            }
        })
        .sum()
}

fn cell(node: &Node) -> String {
    py_str(node)
}

/// Adds `current` under `title` at `indent_level`; false when it is empty (nothing added).
fn build(table: &mut Table, title: Option<&str>, current: &Node, indent_level: usize) -> bool {
    if !current.py_truthy() {
        return false;
    }
    if let Some(title) = title {
        table.new_section(title, indent_level);
    }
    match current {
        Node::List(items) => {
            if matches!(items.first(), Some(Node::Object(_))) {
                build_from_list(table, items, indent_level, title.unwrap_or(""));
            } else {
                for item in items {
                    match item {
                        Node::List(inner) if inner.iter().all(|el| !el.is_container()) => {
                            table.current().add_row(inner.iter().map(cell).collect());
                        }
                        // Iterating a Python dict yields its keys, which are all scalars.
                        Node::Object(members) => {
                            table
                                .current()
                                .add_row(members.iter().map(|(k, _)| k.clone()).collect());
                        }
                        Node::List(_) => {
                            build(table, None, item, 0);
                        }
                        scalar => table.current().add_row(vec![cell(scalar)]),
                    }
                }
            }
        }
        Node::Object(members) => build_from_object(table, members, indent_level),
        _ => {}
    }
    true
}

fn build_from_object(table: &mut Table, members: &[(String, Node)], indent_level: usize) {
    let (headers, more) = group_scalar_keys(members);
    let value_of = |key: &str| members.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    if headers.len() == 1 {
        let value = value_of(&headers[0]).map(cell).unwrap_or_default();
        table.current().add_row(vec![headers[0].clone(), value]);
    } else if !headers.is_empty() {
        let row = headers
            .iter()
            .map(|h| value_of(h).map(cell).unwrap_or_default())
            .collect();
        table.current().add_header(headers);
        table.current().add_row(row);
    }
    for key in more {
        if let Some(value) = value_of(&key) {
            build(table, Some(&key), value, indent_level + 1);
        }
    }
}

fn build_from_list(table: &mut Table, items: &[Node], indent_level: usize, title: &str) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for item in items {
        if let Node::Object(members) = item {
            let (h, m) = group_scalar_keys(members);
            for key in h {
                if !headers.contains(&key) {
                    headers.push(key);
                }
            }
            for key in m {
                if !more.contains(&key) {
                    more.push(key);
                }
            }
        }
    }
    headers.sort();
    more.sort();
    table.current().add_header(headers.clone());
    for (i, item) in items.iter().enumerate() {
        if i > 0 && !more.is_empty() {
            table.new_section(title, indent_level);
            table.current().add_header(headers.clone());
        }
        let row = headers
            .iter()
            .map(|h| item.get(h).map(cell).unwrap_or_default())
            .collect();
        table.current().add_row(row);
        for key in &more {
            if let Some(value) = item.get(key) {
                build(table, Some(key), value, indent_level + 1);
            }
        }
    }
}

fn group_scalar_keys(members: &[(String, Node)]) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for (key, value) in members {
        if value.is_container() {
            more.push(key.clone());
        } else {
            headers.push(key.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}
