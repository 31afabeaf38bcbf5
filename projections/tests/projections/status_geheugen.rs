//! The read model keeps each trajectory's status for the last peildatum asked for: it must
//! answer exactly what the domain's `status` computes, for any order of peildatums, and forget it
//! when an event arrives.

use traject_domain::status;

use crate::helpers::{date, demo, pairs, recorded};
use traject_projections::ReadModel;

#[test]
fn a_kept_status_is_the_domains_status_on_every_peildatum_asked_for() {
    let (_, data) = demo(300, 11);
    let events = recorded(&pairs(&data));
    let mut model = ReadModel::new(traject_domain::DuurzaamBeleid::default());
    model.apply_batch(&events).unwrap();
    model.refresh();
    let peildatums = [
        "2026-06-30",
        "2026-06-30",
        "2024-01-15",
        "2026-06-30",
        "2021-03-01",
    ];
    for peildatum in peildatums.map(date) {
        for entry in model.entries() {
            let verwacht = status(&entry.traject, peildatum, model.beleid());
            let gekregen = model.status_op(entry, peildatum).map(|s| (*s).clone());
            assert_eq!(gekregen, verwacht, "op {peildatum}");
        }
    }
}

#[test]
fn a_new_event_replaces_the_kept_status() {
    let (_, data) = demo(300, 12);
    let events = recorded(&pairs(&data));
    let peildatum = date("2026-06-30");
    // Every trajectory without its last event first, its status asked for, then the rest.
    let mut laatste = std::collections::HashMap::new();
    for e in &events {
        laatste.insert(e.stream.clone(), e.revision);
    }
    let (eerst, later): (Vec<_>, Vec<_>) = events
        .iter()
        .cloned()
        .partition(|e| e.revision < laatste[&e.stream]);
    assert!(!later.is_empty());
    let mut model = ReadModel::new(traject_domain::DuurzaamBeleid::default());
    model.apply_batch(&eerst).unwrap();
    model.refresh();
    let mut verschillend = 0;
    // Asked for, and so kept, before the last events arrive.
    let voor: Vec<_> = model
        .entries()
        .map(|e| {
            let id = e.kenmerken.as_ref().unwrap().traject_id;
            (id, model.status_op(e, peildatum))
        })
        .collect();
    model.apply_batch(&later).unwrap();
    model.refresh();
    for (id, oud) in voor {
        let entry = model.traject(id).unwrap();
        let verwacht = status(&entry.traject, peildatum, model.beleid());
        let gekregen = model.status_op(entry, peildatum).map(|s| (*s).clone());
        if gekregen != oud.map(|s| (*s).clone()) {
            verschillend += 1;
        }
        assert_eq!(gekregen, verwacht);
    }
    assert!(verschillend > 0, "the last events changed some statuses");
}
