//! Model documentation (HTML, as AWS writes it) into rustdoc Markdown.
//!
//! The output must render cleanly and make `cargo doc` warn about nothing:
//! tags become Markdown, entities are decoded, square brackets are escaped (so
//! rustdoc does not take them for intra-doc links), bare URLs are wrapped in
//! `<...>`, stray `<` are written as `&lt;`, and no line is indented (indented
//! lines would turn into code blocks, which rustdoc compiles as doctests).

/// Converts one documentation string into Markdown lines.
pub(crate) fn to_markdown(html: &str) -> Vec<String> {
    let mut out = Markdown::default();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(end) = after.find('>') {
                let tag = &after[..end];
                if looks_like_tag(tag) {
                    out.tag(tag);
                    rest = &after[end + 1..];
                    continue;
                }
            }
            out.text("<");
            rest = after;
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        out.text(&decode_entities(&rest[..end]));
        rest = &rest[end..];
    }
    out.finish()
}

fn looks_like_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches('/');
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) || tag.starts_with('!')
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let end = candidate.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|end| match &candidate[1..end] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            numeric if numeric.starts_with("#x") => {
                u32::from_str_radix(&numeric[2..], 16).ok().and_then(char::from_u32)
            }
            numeric if numeric.starts_with('#') => numeric[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(end)) => {
                out.push(c);
                rest = &candidate[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Markdown {
    lines: Vec<String>,
    line: String,
    in_code: bool,
    code: String,
    link: Option<String>,
    link_text: String,
    list_depth: usize,
}

impl Markdown {
    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "note" | "important" | "dl" | "ul" | "ol" | "br" | "pre", _) => {
                if name == "ul" || name == "ol" {
                    self.list_depth = if closing {
                        self.list_depth.saturating_sub(1)
                    } else {
                        self.list_depth + 1
                    };
                }
                if name == "note" && !closing {
                    self.paragraph();
                    self.line.push_str("**Note:** ");
                } else if name == "important" && !closing {
                    self.paragraph();
                    self.line.push_str("**Important:** ");
                } else if name == "br" {
                    self.end_line();
                } else if name == "p" && !closing && self.line.trim() == "-" {
                    // `<li><p>text</p></li>`: the paragraph is the item's text.
                } else if self.list_depth > 0 && name == "p" {
                    self.end_line();
                } else {
                    self.paragraph();
                }
            }
            ("li", false) => {
                self.end_line();
                self.line.push_str(&"  ".repeat(self.list_depth.saturating_sub(1)));
                self.line.push_str("- ");
            }
            ("li", true) => self.end_line(),
            ("dt", false) => {
                self.paragraph();
                self.line.push_str("**");
            }
            ("dt", true) => {
                self.line.push_str("**");
                self.paragraph();
            }
            ("dd", _) => self.paragraph(),
            ("code" | "tt", false) => {
                self.in_code = true;
                self.code.clear();
            }
            ("code" | "tt", true) => {
                self.in_code = false;
                let code = std::mem::take(&mut self.code);
                let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
                if !code.is_empty() {
                    let fence = if code.contains('`') { "`` " } else { "`" };
                    let close = if code.contains('`') { " ``" } else { "`" };
                    self.push_inline(&format!("{fence}{code}{close}"));
                }
            }
            ("a", false) => {
                self.link = attribute(tag, "href");
                self.link_text.clear();
            }
            ("a", true) => {
                let text = std::mem::take(&mut self.link_text);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                match self.link.take() {
                    Some(href) if href.starts_with("http") => {
                        let label = if text.is_empty() {
                            href.clone()
                        } else {
                            escape_text(&text)
                        };
                        self.push_inline(&format!("[{label}]({href})"));
                    }
                    _ => {
                        let escaped = escape_text(&text);
                        self.push_inline(&escaped);
                    }
                }
            }
            ("b" | "strong", _) => self.push_inline("**"),
            ("i" | "em", _) => self.push_inline("*"),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => {
                self.paragraph();
                if !closing {
                    self.line.push_str("**");
                } else {
                    self.line.push_str("**");
                    self.paragraph();
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_code {
            self.code.push_str(text);
            return;
        }
        if self.link.is_some() {
            self.link_text.push_str(text);
            return;
        }
        let escaped = escape_text(text);
        self.push_inline(&escaped);
    }

    fn push_inline(&mut self, text: &str) {
        if self.link.is_some() && !self.in_code {
            self.link_text.push_str(text);
            return;
        }
        for (index, piece) in text.split('\n').enumerate() {
            if index > 0 && !self.line.trim().is_empty() && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            let mut piece = piece.to_owned();
            if self.line.trim().is_empty() || self.line.ends_with(' ') {
                piece = piece.trim_start().to_owned();
            }
            // Collapse runs of spaces, which HTML would not show either.
            let mut collapsed = String::with_capacity(piece.len());
            for c in piece.chars() {
                if c.is_whitespace() && (collapsed.ends_with(' ') || (collapsed.is_empty() && self.line.ends_with(' ')))
                {
                    continue;
                }
                collapsed.push(if c.is_whitespace() { ' ' } else { c });
            }
            self.line.push_str(&collapsed);
        }
    }

    fn end_line(&mut self) {
        let line = self.line.trim_end().to_owned();
        self.line.clear();
        if !line.trim().is_empty() {
            self.lines.push(line);
        }
    }

    fn paragraph(&mut self) {
        self.end_line();
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.end_line();
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        let mut out: Vec<String> = Vec::with_capacity(self.lines.len());
        for line in self.lines {
            let line = line.trim_start_matches([' ', '\t']).to_owned();
            let item = line.starts_with("- ");
            let line = if item || line.is_empty() {
                line
            } else {
                line.trim().to_owned()
            };
            // Unindented text right after a list item would continue the item
            // lazily (`<li><p>A</p><p>B</p></li>`); a blank line makes it a
            // paragraph of its own, as rustdoc and clippy expect.
            if !item && !line.is_empty() && out.last().is_some_and(|last| last.starts_with("- ")) {
                out.push(String::new());
            }
            out.push(line);
        }
        out
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[start..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(decode_entities(&rest[1..1 + end]))
    } else {
        Some(rest.split_whitespace().next()?.to_owned())
    }
}

/// Escapes plain text for Markdown: brackets, `<`, backticks, emphasis markers at
/// word starts, and bare URLs (wrapped in `<...>`).
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            let trimmed = word.trim_end_matches(['.', ',', ')', ';', ':']);
            out.push('<');
            out.push_str(trimmed);
            out.push('>');
            out.push_str(&word[trimmed.len()..]);
            continue;
        }
        for c in word.chars() {
            match c {
                '[' | ']' | '`' | '*' | '_' | '\\' | '#' | '|' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn paragraphs_code_and_links() {
        let lines = to_markdown(
            "<p>Creates a <code>Service</code>.</p>\n         <p>See <a href=\"https://docs.aws.amazon.com/x\">the guide</a> [beta].</p>",
        );
        assert_eq!(
            lines,
            [
                "Creates a `Service`.",
                "",
                "See [the guide](https://docs.aws.amazon.com/x) \\[beta\\]."
            ]
        );
    }

    #[test]
    fn lists_entities_and_bare_urls() {
        let lines = to_markdown("<p>Values:</p><ul><li><p>A &amp; B</p></li><li>https://example.com.</li></ul>");
        assert_eq!(lines, ["Values:", "", "- A & B", "- <https://example.com>."]);
    }

    #[test]
    fn a_second_paragraph_in_a_list_item_stands_apart() {
        let lines = to_markdown("<ul><li><p>A</p><p>B</p></li><li>C<br/>D</li></ul><p>E</p>");
        assert_eq!(lines, ["- A", "", "B", "- C", "", "D", "", "E"]);
    }

    #[test]
    fn nothing_is_indented_and_stray_angle_brackets_are_escaped() {
        let lines = to_markdown("    indented text with a < b and arn:aws:*:*");
        assert_eq!(lines, ["indented text with a &lt; b and arn:aws:\\*:\\*"]);
    }
}
