//! The release crate's tests: the disclosure control audited with linear programs, alone and
//! jointly over a quarter's successive releases.

mod bescherming;
mod businesscase;
mod correctie;
mod helpers;
mod kwaliteit;
