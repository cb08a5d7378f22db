//! A top-down operator precedence (Pratt) parser for JMESPath, with the binding powers, the
//! grammar decisions and the error messages of the reference implementation the AWS CLI uses.

use super::QueryError;
use super::lexer::{Tok, Token};
use crate::output::node::Node;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Comparator {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ast {
    Identity,
    Current,
    Field(String),
    Literal(Node),
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Subexpression(Vec<Ast>),
    IndexExpression(Vec<Ast>),
    Projection(Box<Ast>, Box<Ast>),
    ValueProjection(Box<Ast>, Box<Ast>),
    FilterProjection(Box<Ast>, Box<Ast>, Box<Ast>),
    Flatten(Box<Ast>),
    Comparator(Comparator, Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
    Pipe(Box<Ast>, Box<Ast>),
    MultiSelectList(Vec<Ast>),
    MultiSelectHash(Vec<(String, Ast)>),
    Function(String, Vec<Ast>),
    Expref(Box<Ast>),
}

const PROJECTION_STOP: u8 = 10;

fn binding_power(tok: &Tok) -> u8 {
    match tok {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Eq | Tok::Gt | Tok::Lt | Tok::Gte | Tok::Lte | Tok::Ne => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

pub(crate) struct Parser<'a> {
    tokens: Vec<Token>,
    index: usize,
    expression: &'a str,
}

impl<'a> Parser<'a> {
    pub(crate) fn parse(expression: &'a str, tokens: Vec<Token>) -> Result<Ast, QueryError> {
        let mut parser = Parser {
            tokens,
            index: 0,
            expression,
        };
        let ast = parser.expression(0)?;
        if parser.current() != &Tok::Eof {
            let token = parser.lookahead_token(0).clone();
            return Err(parser.parse_error(&token, &format!("Unexpected token: {}", token.value)));
        }
        Ok(ast)
    }

    fn current(&self) -> &Tok {
        &self.tokens[self.index.min(self.tokens.len() - 1)].tok
    }

    fn lookahead(&self, n: usize) -> &Tok {
        &self.tokens[(self.index + n).min(self.tokens.len() - 1)].tok
    }

    fn lookahead_token(&self, n: usize) -> &Token {
        &self.tokens[(self.index + n).min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) {
        self.index += 1;
    }

    fn parse_error(&self, token: &Token, message: &str) -> QueryError {
        QueryError::new(
            token.start,
            format!(
                "{message}: Parse error at column {}, token \"{}\" ({}), for expression:\n\"{}\"\n{}^",
                token.start,
                token.value,
                token.tok.name().to_uppercase(),
                self.expression,
                " ".repeat(token.start + 1)
            ),
        )
    }

    fn incomplete(&self) -> QueryError {
        let length = self.expression.chars().count();
        QueryError::new(
            length,
            format!(
                "Invalid jmespath expression: Incomplete expression:\n\"{}\"\n{}^",
                self.expression,
                " ".repeat(length + 1)
            ),
        )
    }

    fn error_maybe_eof(&self, expected: &str) -> QueryError {
        let token = self.lookahead_token(0);
        if token.tok == Tok::Eof {
            return self.incomplete();
        }
        self.parse_error(token, &format!("Expecting: {expected}, got: {}", token.tok.name()))
    }

    fn expect(&mut self, tok: Tok) -> Result<(), QueryError> {
        if *self.current() == tok {
            self.advance();
            Ok(())
        } else {
            Err(self.error_maybe_eof(tok.name()))
        }
    }

    fn expression(&mut self, bp: u8) -> Result<Ast, QueryError> {
        let token = self.lookahead_token(0).clone();
        self.advance();
        let mut left = self.nud(token)?;
        while bp < binding_power(self.current()) {
            let tok = self.current().clone();
            self.advance();
            left = self.led(tok, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, token: Token) -> Result<Ast, QueryError> {
        match token.tok {
            Tok::Literal(value) => Ok(Ast::Literal(value)),
            Tok::UnquotedIdentifier(name) => Ok(Ast::Field(name)),
            Tok::QuotedIdentifier(name) => {
                if *self.current() == Tok::LParen {
                    let next = self.lookahead_token(0).clone();
                    let mut positioned = next;
                    positioned.start = 0;
                    return Err(self.parse_error(&positioned, "Quoted identifier not allowed for function names."));
                }
                Ok(Ast::Field(name))
            }
            Tok::Star => {
                let right = if *self.current() == Tok::RBracket {
                    Ast::Identity
                } else {
                    self.projection_rhs(binding_power(&Tok::Star))?
                };
                Ok(Ast::ValueProjection(Box::new(Ast::Identity), Box::new(right)))
            }
            Tok::Filter => self.led_filter(Ast::Identity),
            Tok::LBrace => self.multi_select_hash(),
            Tok::LParen => {
                let inner = self.expression(0)?;
                self.expect(Tok::RParen)?;
                Ok(inner)
            }
            Tok::Flatten => {
                let left = Ast::Flatten(Box::new(Ast::Identity));
                let right = self.projection_rhs(binding_power(&Tok::Flatten))?;
                Ok(Ast::Projection(Box::new(left), Box::new(right)))
            }
            Tok::Not => {
                let inner = self.expression(binding_power(&Tok::Not))?;
                Ok(Ast::Not(Box::new(inner)))
            }
            Tok::LBracket => {
                if matches!(self.current(), Tok::Number(_) | Tok::Colon) {
                    let right = self.index_expression()?;
                    self.project_if_slice(Ast::Identity, right)
                } else if *self.current() == Tok::Star && *self.lookahead(1) == Tok::RBracket {
                    self.advance();
                    self.advance();
                    let right = self.projection_rhs(binding_power(&Tok::Star))?;
                    Ok(Ast::Projection(Box::new(Ast::Identity), Box::new(right)))
                } else {
                    self.multi_select_list()
                }
            }
            Tok::Current => Ok(Ast::Current),
            Tok::Expref => {
                let inner = self.expression(0)?;
                Ok(Ast::Expref(Box::new(inner)))
            }
            Tok::Eof => Err(self.incomplete()),
            _ => Err(self.parse_error(&token, "invalid token")),
        }
    }

    fn led(&mut self, tok: Tok, left: Ast) -> Result<Ast, QueryError> {
        match tok {
            Tok::Dot => {
                if *self.current() != Tok::Star {
                    let right = self.dot_rhs(binding_power(&Tok::Dot))?;
                    Ok(match left {
                        Ast::Subexpression(mut children) => {
                            children.push(right);
                            Ast::Subexpression(children)
                        }
                        other => Ast::Subexpression(vec![other, right]),
                    })
                } else {
                    self.advance();
                    let right = self.projection_rhs(binding_power(&Tok::Dot))?;
                    Ok(Ast::ValueProjection(Box::new(left), Box::new(right)))
                }
            }
            Tok::Pipe => {
                let right = self.expression(1)?;
                Ok(Ast::Pipe(Box::new(left), Box::new(right)))
            }
            Tok::Or => {
                let right = self.expression(2)?;
                Ok(Ast::Or(Box::new(left), Box::new(right)))
            }
            Tok::And => {
                let right = self.expression(3)?;
                Ok(Ast::And(Box::new(left), Box::new(right)))
            }
            Tok::LParen => {
                let Ast::Field(name) = left else {
                    let previous = self.tokens[self.index.saturating_sub(2)].clone();
                    return Err(self.parse_error(&previous, &format!("Invalid function name '{}'", previous.value)));
                };
                let mut args = Vec::new();
                while *self.current() != Tok::RParen {
                    let arg = self.expression(0)?;
                    if *self.current() == Tok::Comma {
                        self.expect(Tok::Comma)?;
                    }
                    args.push(arg);
                }
                self.expect(Tok::RParen)?;
                Ok(Ast::Function(name, args))
            }
            Tok::Filter => self.led_filter(left),
            Tok::Eq => self.comparator(Comparator::Eq, left),
            Tok::Ne => self.comparator(Comparator::Ne, left),
            Tok::Gt => self.comparator(Comparator::Gt, left),
            Tok::Gte => self.comparator(Comparator::Gte, left),
            Tok::Lt => self.comparator(Comparator::Lt, left),
            Tok::Lte => self.comparator(Comparator::Lte, left),
            Tok::Flatten => {
                let left = Ast::Flatten(Box::new(left));
                let right = self.projection_rhs(binding_power(&Tok::Flatten))?;
                Ok(Ast::Projection(Box::new(left), Box::new(right)))
            }
            Tok::LBracket => {
                if matches!(self.current(), Tok::Number(_) | Tok::Colon) {
                    let right = self.index_expression()?;
                    match left {
                        Ast::IndexExpression(mut children) => {
                            children.push(right);
                            Ok(Ast::IndexExpression(children))
                        }
                        other => self.project_if_slice(other, right),
                    }
                } else {
                    self.expect(Tok::Star)?;
                    self.expect(Tok::RBracket)?;
                    let right = self.projection_rhs(binding_power(&Tok::Star))?;
                    Ok(Ast::Projection(Box::new(left), Box::new(right)))
                }
            }
            _ => {
                // A token with a binding power but no infix role (`*`, `!`, `{`).
                self.index -= 1;
                let token = self.lookahead_token(0).clone();
                Err(self.parse_error(&token, "invalid token"))
            }
        }
    }

    fn comparator(&mut self, comparator: Comparator, left: Ast) -> Result<Ast, QueryError> {
        let right = self.expression(5)?;
        Ok(Ast::Comparator(comparator, Box::new(left), Box::new(right)))
    }

    fn led_filter(&mut self, left: Ast) -> Result<Ast, QueryError> {
        let condition = self.expression(0)?;
        self.expect(Tok::RBracket)?;
        let right = if *self.current() == Tok::Flatten {
            Ast::Identity
        } else {
            self.projection_rhs(binding_power(&Tok::Filter))?
        };
        Ok(Ast::FilterProjection(
            Box::new(left),
            Box::new(right),
            Box::new(condition),
        ))
    }

    fn index_expression(&mut self) -> Result<Ast, QueryError> {
        if *self.lookahead(0) == Tok::Colon || *self.lookahead(1) == Tok::Colon {
            return self.slice_expression();
        }
        let Tok::Number(index) = *self.current() else {
            return Err(self.error_maybe_eof("number"));
        };
        self.advance();
        self.expect(Tok::RBracket)?;
        Ok(Ast::Index(index))
    }

    fn slice_expression(&mut self) -> Result<Ast, QueryError> {
        let mut parts = [None, None, None];
        let mut index = 0;
        while *self.current() != Tok::RBracket && index < 3 {
            match self.current().clone() {
                Tok::Colon => {
                    index += 1;
                    if index == 3 {
                        let token = self.lookahead_token(0).clone();
                        return Err(self.parse_error(&token, "syntax error"));
                    }
                    self.advance();
                }
                Tok::Number(n) => {
                    parts[index] = Some(n);
                    self.advance();
                }
                _ => {
                    let token = self.lookahead_token(0).clone();
                    return Err(self.parse_error(&token, "syntax error"));
                }
            }
        }
        self.expect(Tok::RBracket)?;
        Ok(Ast::Slice(parts[0], parts[1], parts[2]))
    }

    fn project_if_slice(&mut self, left: Ast, right: Ast) -> Result<Ast, QueryError> {
        let is_slice = matches!(right, Ast::Slice(..));
        let index_expression = Ast::IndexExpression(vec![left, right]);
        if is_slice {
            let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
            Ok(Ast::Projection(Box::new(index_expression), Box::new(rhs)))
        } else {
            Ok(index_expression)
        }
    }

    fn multi_select_list(&mut self) -> Result<Ast, QueryError> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if *self.current() == Tok::RBracket {
                break;
            }
            self.expect(Tok::Comma)?;
        }
        self.expect(Tok::RBracket)?;
        Ok(Ast::MultiSelectList(items))
    }

    fn multi_select_hash(&mut self) -> Result<Ast, QueryError> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.current().clone() {
                Tok::QuotedIdentifier(name) | Tok::UnquotedIdentifier(name) => name,
                _ => return Err(self.error_maybe_eof("['quoted_identifier', 'unquoted_identifier']")),
            };
            self.advance();
            self.expect(Tok::Colon)?;
            let value = self.expression(0)?;
            pairs.push((key, value));
            if *self.current() == Tok::Comma {
                self.expect(Tok::Comma)?;
            } else if *self.current() == Tok::RBrace {
                self.expect(Tok::RBrace)?;
                break;
            }
        }
        Ok(Ast::MultiSelectHash(pairs))
    }

    fn projection_rhs(&mut self, bp: u8) -> Result<Ast, QueryError> {
        let current = self.current().clone();
        if binding_power(&current) < PROJECTION_STOP {
            Ok(Ast::Identity)
        } else if matches!(current, Tok::LBracket | Tok::Filter) {
            self.expression(bp)
        } else if current == Tok::Dot {
            self.expect(Tok::Dot)?;
            self.dot_rhs(bp)
        } else {
            let token = self.lookahead_token(0).clone();
            Err(self.parse_error(&token, "syntax error"))
        }
    }

    fn dot_rhs(&mut self, bp: u8) -> Result<Ast, QueryError> {
        match self.current() {
            Tok::QuotedIdentifier(_) | Tok::UnquotedIdentifier(_) | Tok::Star => self.expression(bp),
            Tok::LBracket => {
                self.advance();
                self.multi_select_list()
            }
            Tok::LBrace => {
                self.advance();
                self.multi_select_hash()
            }
            other => {
                let message = format!(
                    "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: {}",
                    other.name()
                );
                let token = self.lookahead_token(0).clone();
                Err(self.parse_error(&token, &message))
            }
        }
    }
}
