//! What a request may ask beyond the engine's depth and complexity limits: at most
//! [`MAX_ALIASSEN`] aliased fields (one request with many aliases of one expensive field is many
//! requests in one), and at most [`MAX_PEILDATA`] distinct `peildatum` values (each peildatum
//! makes the read models compute every trajectory's status on that day again), and at most
//! [`MAX_CIJFERS`] `regioCijfers` (each computes and protects the figures of every region and
//! quarter it asks: hundreds of milliseconds, where a caseload takes a few). Counted over the
//! whole document, fragments included (each fragment once), before anything runs.
//!
//! And before a document is even parsed: at most [`MAX_NESTING`] brackets open at once
//! ([`nesting`]). The parser reads a nested list or object value recursively without a limit,
//! and some 1,500 nested brackets in a 4 KB request overflowed a worker's stack and stopped the
//! server, with or without a token.

use std::collections::HashSet;

use async_graphql::Positioned;
use async_graphql::Variables;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// The most aliased fields in one request.
pub const MAX_ALIASSEN: usize = 20;
/// The most distinct `peildatum` values in one request.
pub const MAX_PEILDATA: usize = 3;
/// The most `regioCijfers` fields in one request.
pub const MAX_CIJFERS: usize = 1;

/// The most brackets (`{`, `[`, `(`) open at once in a query text. A query of the schema's
/// greatest depth with nested input values needs well under half of it.
pub const MAX_NESTING: usize = 64;

/// `Err` with the rule when `query` opens more than [`MAX_NESTING`] brackets at once. Brackets
/// in strings, block strings and comments do not count. A scan of the text, without recursion,
/// for before the parser (which recurses into nested values without a limit).
pub fn nesting(query: &str) -> Result<(), String> {
    let tekst = query.as_bytes();
    let mut diepte = 0usize;
    let mut i = 0;
    while i < tekst.len() {
        match tekst[i] {
            b'#' => {
                while i < tekst.len() && tekst[i] != b'\n' && tekst[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if tekst[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < tekst.len() && !tekst[i..].starts_with(b"\"\"\"") {
                    // An escaped triple quote stays inside the block string.
                    i += if tekst[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < tekst.len() && tekst[i] != b'"' && tekst[i] != b'\n' {
                    i += if tekst[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                diepte += 1;
                if diepte > MAX_NESTING {
                    return Err(format!(
                        "query: hoogstens {MAX_NESTING} haakjes tegelijk open ({{, [ of ( in elkaar)"
                    ));
                }
            }
            b'}' | b']' | b')' => diepte = diepte.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// `Err` with the rule a document breaks.
pub fn check(document: &ExecutableDocument, variabelen: &Variables) -> Result<(), String> {
    let mut telling = Verzoekkosten::default();
    for (_, operatie) in document.operations.iter() {
        telling.sets(&operatie.node.selection_set, variabelen);
    }
    for fragment in document.fragments.values() {
        telling.sets(&fragment.node.selection_set, variabelen);
    }
    if telling.aliassen > MAX_ALIASSEN {
        return Err(format!(
            "ten hoogste {MAX_ALIASSEN} aliassen per verzoek (dit verzoek heeft er {})",
            telling.aliassen
        ));
    }
    if telling.peildata.len() > MAX_PEILDATA {
        return Err(format!(
            "ten hoogste {MAX_PEILDATA} verschillende peildata per verzoek (dit verzoek heeft er {})",
            telling.peildata.len()
        ));
    }
    if telling.cijfers > MAX_CIJFERS {
        return Err(format!(
            "ten hoogste {MAX_CIJFERS} regioCijfers per verzoek (dit verzoek heeft er {})",
            telling.cijfers
        ));
    }
    Ok(())
}

#[derive(Default)]
struct Verzoekkosten {
    aliassen: usize,
    peildata: HashSet<String>,
    cijfers: usize,
}

impl Verzoekkosten {
    fn sets(&mut self, set: &Positioned<SelectionSet>, variabelen: &Variables) {
        for selectie in &set.node.items {
            match &selectie.node {
                Selection::Field(veld) => {
                    if veld.node.alias.is_some() {
                        self.aliassen += 1;
                    }
                    if veld.node.name.node.as_str() == "regioCijfers" {
                        self.cijfers += 1;
                    }
                    for (naam, waarde) in &veld.node.arguments {
                        if naam.node.as_str() == "peildatum" {
                            // A variable counts with its value.
                            let waarde = waarde
                                .node
                                .clone()
                                .into_const_with(|naam| {
                                    Ok::<_, ()>(variabelen.get(&naam).cloned().unwrap_or_default())
                                })
                                .map(|w| w.to_string())
                                .unwrap_or_default();
                            self.peildata.insert(waarde);
                        }
                    }
                    self.sets(&veld.node.selection_set, variabelen);
                }
                Selection::InlineFragment(f) => self.sets(&f.node.selection_set, variabelen),
                Selection::FragmentSpread(_) => {} // the fragment itself is counted once
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genest(n: usize) -> String {
        format!("{{ __typename(x: {}{}) }}", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn nesting_counts_every_kind_of_bracket_but_not_in_strings_or_comments() {
        // `{` and `(` around the list: two levels besides the list's own.
        assert!(nesting(&genest(MAX_NESTING - 2)).is_ok());
        let fout = nesting(&genest(MAX_NESTING - 1)).unwrap_err();
        assert!(fout.starts_with("query: hoogstens 64"), "{fout}");
        assert!(nesting(&genest(2_000)).is_err());
        let veel = "[".repeat(1_000);
        for tekst in [
            format!("{{ __typename(x: \"{veel}\") }}"),
            format!("{{ __typename(x: \"\\\"{veel}\") }}"),
            format!("{{ __typename(x: \"\"\"{veel} \\\"\"\" {veel}\"\"\") }}"),
            format!("{{ __typename # {veel}\n }}"),
        ] {
            assert!(nesting(&tekst).is_ok(), "{tekst}");
        }
        // What ends a string or comment ends it for the scan too.
        assert!(nesting(&format!("{{ __typename # x\n {veel} }}")).is_err());
        assert!(nesting(&format!("{{ __typename(x: \"a\" {veel}) }}")).is_err());
        assert!(nesting(&format!("{{ __typename(x: \"\"\"a\"\"\" {veel}) }}")).is_err());
        // Closing more than was opened does not buy depth.
        assert!(nesting(&format!("{}{}", "]".repeat(500), genest(100))).is_err());
    }
}
