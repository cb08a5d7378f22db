//! Endpoint rules.
