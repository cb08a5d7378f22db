//! Workspace-level end-to-end tests; they live in the `it` test binary under `it/`.
