//! `--query`: JMESPath, as the AWS CLI evaluates it.
//!
//! Why not the `jmespath` crate: it stores objects in a `BTreeMap`, so a multi-select hash
//! (`{Name: ServiceName, Arn: ServiceArn}`) and every object it passes through come out with
//! sorted keys, while the AWS CLI keeps them in the order written; and it follows the
//! specification where the AWS CLI's implementation (jmespath.py) deliberately goes further:
//! ordering comparisons on strings, the idiom for filtering by date
//! (`Services[?CreatedAt > '2024-01-01']`), evaluate to `null` there. Scripts written against
//! the AWS CLI depend on both, and on its error messages. This implementation works on the
//! order-keeping [`Node`] and follows jmespath.py: the same grammar (a Pratt parser with the
//! same binding powers), the same results for the compliance cases, the same parse error
//! messages with their column and caret, and the same function type errors.

mod eval;
mod functions;
mod lexer;
mod parser;

use crate::output::node::Node;
use std::fmt;

/// A compiled `--query` expression.
#[derive(Clone, Debug)]
pub struct Query {
    expression: String,
    ast: parser::Ast,
}

/// An expression that does not parse. `Display` gives the AWS CLI's message (after its
/// `Bad value for --query EXPR: ` prefix): what is wrong, the column, the expression and a
/// caret under the place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    column: usize,
    message: String,
}

impl QueryError {
    fn new(column: usize, message: String) -> Self {
        QueryError { column, message }
    }

    /// The column (0-based, in characters) the problem is at.
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

/// An expression that parsed but failed on the data: a function given a value of the wrong
/// type or the wrong number of arguments, an unknown function, `'<'` between text and a number.
/// The AWS CLI prints the message and exits 255.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryEvalError {
    message: String,
}

impl QueryEvalError {
    fn new(message: impl Into<String>) -> Self {
        QueryEvalError {
            message: message.into(),
        }
    }
}

impl fmt::Display for QueryEvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryEvalError {}

impl Query {
    /// Compiles `expression`.
    ///
    /// # Errors
    ///
    /// A [`QueryError`] saying what is wrong and where.
    pub fn parse(expression: &str) -> Result<Query, QueryError> {
        let tokens = lexer::tokenize(expression)?;
        let ast = parser::Parser::parse(expression, tokens)?;
        Ok(Query {
            expression: expression.to_owned(),
            ast,
        })
    }

    /// The expression as given.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Evaluates the expression against an order-keeping document.
    ///
    /// # Errors
    ///
    /// A [`QueryEvalError`] for the failures jmespath.py raises while evaluating.
    pub fn search(&self, value: &Node) -> Result<Node, QueryEvalError> {
        eval::eval(&self.ast, value)
    }

    /// Evaluates the expression against a `serde_json::Value`; `null` when evaluation fails.
    /// Objects in the result have sorted keys: to keep multi-select order, use [`Query::search`]
    /// (the output module does).
    pub fn apply(&self, value: &serde_json::Value) -> serde_json::Value {
        self.search(&Node::from_json(value))
            .map(|node| node.to_json())
            .unwrap_or(serde_json::Value::Null)
    }
}
