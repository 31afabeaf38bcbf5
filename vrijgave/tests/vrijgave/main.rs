//! The release crate's tests: the disclosure control audited with linear programs.

mod bescherming;
mod helpers;
