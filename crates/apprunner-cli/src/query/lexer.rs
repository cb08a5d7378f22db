//! JMESPath tokens. Positions are in characters, as the AWS CLI reports them.

use super::QueryError;
use crate::output::node::{Node, py_str};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Dot,
    Star,
    RBracket,
    Comma,
    Colon,
    Current,
    LParen,
    RParen,
    LBrace,
    RBrace,
    UnquotedIdentifier(String),
    QuotedIdentifier(String),
    Flatten,
    Filter,
    LBracket,
    Literal(Node),
    Or,
    Pipe,
    And,
    Expref,
    Number(i64),
    Lt,
    Lte,
    Gt,
    Gte,
    Eq,
    Ne,
    Not,
    Eof,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) start: usize,
    /// The token's text as the parser's messages quote it (`token "bar"`).
    pub(crate) value: String,
}

impl Tok {
    /// The token type's name in messages (`unquoted_identifier`).
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Tok::Dot => "dot",
            Tok::Star => "star",
            Tok::RBracket => "rbracket",
            Tok::Comma => "comma",
            Tok::Colon => "colon",
            Tok::Current => "current",
            Tok::LParen => "lparen",
            Tok::RParen => "rparen",
            Tok::LBrace => "lbrace",
            Tok::RBrace => "rbrace",
            Tok::UnquotedIdentifier(_) => "unquoted_identifier",
            Tok::QuotedIdentifier(_) => "quoted_identifier",
            Tok::Flatten => "flatten",
            Tok::Filter => "filter",
            Tok::LBracket => "lbracket",
            Tok::Literal(_) => "literal",
            Tok::Or => "or",
            Tok::Pipe => "pipe",
            Tok::And => "and",
            Tok::Expref => "expref",
            Tok::Number(_) => "number",
            Tok::Lt => "lt",
            Tok::Lte => "lte",
            Tok::Gt => "gt",
            Tok::Gte => "gte",
            Tok::Eq => "eq",
            Tok::Ne => "ne",
            Tok::Not => "not",
            Tok::Eof => "eof",
        }
    }
}

pub(crate) fn tokenize(expression: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = expression.chars().collect();
    if chars.is_empty() {
        return Err(QueryError::new(
            0,
            "Invalid JMESPath expression: cannot be empty.".to_owned(),
        ));
    }
    let mut lexer = Lexer {
        chars: &chars,
        pos: 0,
        expression,
    };
    let mut tokens = Vec::new();
    while let Some(c) = lexer.current() {
        let start = lexer.pos;
        let simple = match c {
            '.' => Some(Tok::Dot),
            '*' => Some(Tok::Star),
            ']' => Some(Tok::RBracket),
            ',' => Some(Tok::Comma),
            ':' => Some(Tok::Colon),
            '@' => Some(Tok::Current),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '{' => Some(Tok::LBrace),
            '}' => Some(Tok::RBrace),
            _ => None,
        };
        if let Some(tok) = simple {
            lexer.pos += 1;
            tokens.push(Token {
                tok,
                start,
                value: c.to_string(),
            });
            continue;
        }
        let token = match c {
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(c) = lexer.current().filter(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    name.push(c);
                    lexer.pos += 1;
                }
                Token {
                    tok: Tok::UnquotedIdentifier(name.clone()),
                    start,
                    value: name,
                }
            }
            ' ' | '\t' | '\n' | '\r' => {
                lexer.pos += 1;
                continue;
            }
            '[' => {
                lexer.pos += 1;
                match lexer.current() {
                    Some(']') => {
                        lexer.pos += 1;
                        Token {
                            tok: Tok::Flatten,
                            start,
                            value: "[]".into(),
                        }
                    }
                    Some('?') => {
                        lexer.pos += 1;
                        Token {
                            tok: Tok::Filter,
                            start,
                            value: "[?".into(),
                        }
                    }
                    _ => Token {
                        tok: Tok::LBracket,
                        start,
                        value: "[".into(),
                    },
                }
            }
            '\'' => {
                let raw = lexer.consume_until('\'')?.replace("\\'", "'");
                Token {
                    tok: Tok::Literal(Node::String(raw.clone())),
                    start,
                    value: raw,
                }
            }
            '|' => lexer.match_or_else('|', Tok::Or, Tok::Pipe),
            '&' => lexer.match_or_else('&', Tok::And, Tok::Expref),
            '`' => lexer.literal()?,
            '0'..='9' => lexer.number(start)?,
            '-' => {
                let token = lexer.number(start)?;
                if token.value.chars().count() == 1 {
                    return Err(lexer.error(start, "Unknown token '-'".into()));
                }
                token
            }
            '"' => lexer.quoted_identifier()?,
            '<' => lexer.match_or_else('=', Tok::Lte, Tok::Lt),
            '>' => lexer.match_or_else('=', Tok::Gte, Tok::Gt),
            '!' => lexer.match_or_else('=', Tok::Ne, Tok::Not),
            '=' => {
                lexer.pos += 1;
                if lexer.current() == Some('=') {
                    lexer.pos += 1;
                    Token {
                        tok: Tok::Eq,
                        start,
                        value: "==".into(),
                    }
                } else {
                    // At the end the position stays on the `=`; otherwise it is one back.
                    return Err(lexer.error(start, "Unknown token '='".into()));
                }
            }
            other => return Err(lexer.error(start, format!("Unknown token {other}"))),
        };
        tokens.push(token);
    }
    tokens.push(Token {
        tok: Tok::Eof,
        start: chars.len(),
        value: String::new(),
    });
    Ok(tokens)
}

struct Lexer<'a> {
    chars: &'a [char],
    pos: usize,
    expression: &'a str,
}

impl Lexer<'_> {
    fn current(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn error(&self, position: usize, message: String) -> QueryError {
        QueryError::new(
            position,
            format!(
                "Bad jmespath expression: {message}:\n{}\n{}^",
                self.expression,
                " ".repeat(position)
            ),
        )
    }

    fn match_or_else(&mut self, expected: char, matched: Tok, otherwise: Tok) -> Token {
        let start = self.pos;
        let current = self.chars[start];
        self.pos += 1;
        if self.current() == Some(expected) {
            self.pos += 1;
            Token {
                tok: matched,
                start,
                value: format!("{current}{expected}"),
            }
        } else {
            Token {
                tok: otherwise,
                start,
                value: current.to_string(),
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<Token, QueryError> {
        let mut text = String::from(self.chars[start]);
        self.pos += 1;
        while let Some(c) = self.current().filter(char::is_ascii_digit) {
            text.push(c);
            self.pos += 1;
        }
        if text == "-" {
            return Ok(Token {
                tok: Tok::Number(0),
                start,
                value: text,
            });
        }
        let value: i64 = text
            .parse()
            .map_err(|_| self.error(start, format!("Unknown token {text}")))?;
        Ok(Token {
            tok: Tok::Number(value),
            start,
            value: value.to_string(),
        })
    }

    /// The text up to the closing `delimiter`; a backslash keeps the next character (and
    /// itself). The position ends past the delimiter.
    fn consume_until(&mut self, delimiter: char) -> Result<String, QueryError> {
        let start = self.pos;
        let mut buffer = String::new();
        self.pos += 1;
        loop {
            let Some(mut c) = self.current() else {
                return Err(self.unclosed(start, delimiter));
            };
            if c == delimiter {
                break;
            }
            if c == '\\' {
                buffer.push('\\');
                self.pos += 1;
                match self.current() {
                    Some(next) => c = next,
                    None => return Err(self.unclosed(start, delimiter)),
                }
            }
            buffer.push(c);
            self.pos += 1;
        }
        self.pos += 1;
        Ok(buffer)
    }

    fn unclosed(&self, start: usize, delimiter: char) -> QueryError {
        self.error(start, format!("Unclosed {delimiter} delimiter"))
    }

    /// `` `json` ``: JSON text; text that is not JSON is read as a string (the deprecated
    /// JEP-12 form the AWS CLI still accepts: `` `foo` `` is `"foo"`).
    fn literal(&mut self) -> Result<Token, QueryError> {
        let start = self.pos;
        let lexeme = self.consume_until('`')?.replace("\\`", "`");
        let parsed = match serde_json::from_str::<Node>(&lexeme) {
            Ok(node) => node,
            Err(_) => {
                let quoted = format!("\"{}\"", lexeme.trim_start());
                serde_json::from_str::<Node>(&quoted).map_err(|_| self.error(start, format!("Bad token {lexeme}")))?
            }
        };
        Ok(Token {
            value: py_str(&parsed),
            tok: Tok::Literal(parsed),
            start,
        })
    }

    fn quoted_identifier(&mut self) -> Result<Token, QueryError> {
        let start = self.pos;
        let lexeme = format!("\"{}\"", self.consume_until('"')?);
        match serde_json::from_str::<String>(&lexeme) {
            Ok(name) => Ok(Token {
                tok: Tok::QuotedIdentifier(name.clone()),
                start,
                value: name,
            }),
            Err(error) => {
                let message = if error.to_string().contains("control character") {
                    "Invalid control character at".to_owned()
                } else if error.to_string().contains("unicode") || error.to_string().contains("hex") {
                    "Invalid \\uXXXX escape".to_owned()
                } else {
                    "Invalid \\escape".to_owned()
                };
                Err(self.error(start, message))
            }
        }
    }
}
