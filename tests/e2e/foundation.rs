//! End-to-end test of the foundation slice (written next).
