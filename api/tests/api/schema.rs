//! `schema.graphql` is the schema the server serves; a change to the schema shows in review.

#[test]
fn the_committed_schema_is_the_served_schema() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .expect("schema.graphql at the repository root");
    let served = traject_api::schema::sdl();
    assert!(
        committed == served,
        "schema.graphql is out of date: run `cargo run -p traject-api --bin traject -- schema > schema.graphql`"
    );
}

#[test]
fn the_schema_has_a_mutation_for_every_command_and_no_figures() {
    let sdl = traject_api::schema::sdl();
    for mutation in [
        "aanmelden(",
        "intakeAfronden(",
        "coachToewijzen(",
        "werkgeverscontact(",
        "plaatsingStarten(",
        "plaatsingBeeindigen(",
        "waakvlamInzetten(",
        "opschalen(",
        "afsluiten(",
        "heropenen(",
        "intrekken(",
    ] {
        assert!(sdl.contains(mutation), "{mutation}");
    }
    assert!(!sdl.to_lowercase().contains("cijfers"));
}
