//! Integration tests of `apprunner-local`: the generated client (and raw HTTP) against
//! endpoints started in-process on 127.0.0.1, each with its own temporary data directory.

mod auth;
mod cli;
mod crash;
mod deploy;
mod durability;
mod errors;
mod lifecycle;
mod main_job;
mod support;
