//! What a request may ask beyond the engine's depth and complexity limits: at most
//! [`MAX_ALIASSEN`] aliased fields (one request with many aliases of one expensive field is many
//! requests in one), and at most [`MAX_PEILDATA`] distinct `peildatum` values (each peildatum
//! makes the read models compute every trajectory's status on that day again), and at most
//! [`MAX_CIJFERS`] `regioCijfers` (each computes and protects the figures of every region and
//! quarter it asks: hundreds of milliseconds, where a caseload takes a few). Counted over the
//! whole document, fragments included (each fragment once), before anything runs.

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
