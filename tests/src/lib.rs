//! Workspace-level end-to-end tests; they live in the `it` test binary under `it/`.
//!
//! The README's Rust example is compiled here as a doctest, so it cannot drift from the API:
#![doc = include_str!("../../README.md")]
