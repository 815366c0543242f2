//! Harness for end-to-end tests against the real services.
