//! Integration tests: build fixture sites with the real binary and check
//! what readers, crawlers and editors get.

mod harness;

mod article;
mod determinism;
mod errors;
mod output;
mod sample;
