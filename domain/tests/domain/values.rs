//! Value objects: only valid values can be made, and errors name the field and rule without
//! repeating the input.

use traject_domain::value::*;

#[test]
fn regio_has_exactly_the_35_cbs_codes() {
    assert_eq!(Regio::ALL.len(), 35);
    let codes: std::collections::BTreeSet<_> = Regio::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(codes.len(), 35);
    for missing in ["AM04", "AM16", "AM31", "AM00", "AM39"] {
        assert!(Regio::parse(missing).is_err(), "{missing}");
    }
    assert_eq!(Regio::parse("AM03").unwrap(), Regio::Am03);
    assert_eq!(Regio::parse("am38").unwrap().naam(), "FoodValley");
    assert_eq!(Regio::parse("Zaanstreek/Waterland").unwrap().code(), "AM17");
    assert_eq!(Regio::parse("groot amsterdam").unwrap(), Regio::Am18);
    let error = Regio::parse("Atlantis").unwrap_err();
    assert_eq!(error.veld, "regio");
    assert!(!error.to_string().contains("Atlantis"));
}

#[test]
fn regio_serialises_as_its_code() {
    assert_eq!(serde_json::to_string(&Regio::Am21).unwrap(), "\"AM21\"");
    assert!(serde_json::from_str::<Regio>("\"AM99\"").is_err());
}

#[test]
fn datum_within_bounds() {
    assert!(Datum::parse("2000-01-01").is_ok());
    assert!(Datum::parse("2100-12-31").is_ok());
    assert!(Datum::parse("1999-12-31").is_err());
    assert!(Datum::parse("2101-01-01").is_err());
    assert!(Datum::parse("2024-02-30").is_err());
    for wrong in [
        "2024-13-01",
        "2024-00-10",
        "2023-02-29",
        "2024-04-31",
        "2024-01-1x",
        "2024-01-",
    ] {
        assert!(Datum::parse(wrong).is_err(), "{wrong}");
    }
    assert_eq!(
        Datum::parse(" 2024-02-29 ").unwrap().to_string(),
        "2024-02-29"
    );
    // Every accepted day reads back from its written form.
    let mut day = Datum::MIN;
    while day <= Datum::MAX {
        let datum = Datum::new(day).unwrap();
        assert_eq!(Datum::parse(&datum.to_string()), Ok(datum));
        let json = serde_json::to_string(&datum).unwrap();
        assert_eq!(serde_json::from_str::<Datum>(&json).unwrap(), datum);
        day = day.succ_opt().unwrap();
    }
    let error = Datum::parse("31-12-2024").unwrap_err();
    assert_eq!(error.veld, "datum");
    assert_eq!(error.clone().in_veld("einddatum").veld, "einddatum");
}

#[test]
fn uren_per_week_above_zero_at_most_sixty_in_whole_minutes() {
    assert_eq!(UrenPerWeek::from_hours(11.5).unwrap().minutes(), 690);
    assert_eq!(UrenPerWeek::from_hours(60.0).unwrap().minutes(), 3600);
    for bad in [0.0, -1.0, 60.5, f64::NAN, f64::INFINITY, 12.001] {
        let error = UrenPerWeek::from_hours(bad).unwrap_err();
        assert_eq!(error.veld, "uren_per_week", "{bad}");
    }
    assert!(UrenPerWeek::from_hours(11.5).unwrap() < UrenPerWeek::from_hours(12.0).unwrap());
}

#[test]
fn ids_are_uuids_and_never_nil() {
    assert!(ClientId::parse("00000000-0000-0000-0000-000000000000").is_err());
    assert_eq!(ClientId::parse("nope").unwrap_err().veld, "client_id");
    let t = TrajectId::parse("0190a5c2-7d1e-7b4a-9c3e-2f6d8b1a4e57").unwrap();
    assert_eq!(
        t.stream_name(),
        "traject-0190a5c2-7d1e-7b4a-9c3e-2f6d8b1a4e57"
    );
    assert_eq!(TrajectId::from_stream_name(&t.stream_name()).unwrap(), t);
    assert!(TrajectId::from_stream_name("client-0190a5c2-7d1e-7b4a-9c3e-2f6d8b1a4e57").is_err());
}

#[test]
fn coach_ids_are_identifiers_not_addresses() {
    assert!(CoachId::parse("f3b2c1d0-kc:user_1").is_ok());
    assert!(CoachId::parse("anna@ggz.nl").is_err());
    assert!(CoachId::parse("").is_err());
    assert!(CoachId::parse(&"x".repeat(65)).is_err());
}

#[test]
fn werkgever_and_functie_are_one_line_of_at_most_120_characters() {
    assert_eq!(
        Werkgever::parse("  Bakkerij  ").unwrap().as_str(),
        "Bakkerij"
    );
    assert!(Werkgever::parse("regel\nregel").is_err());
    assert!(Functie::parse(&"é".repeat(120)).is_ok());
    assert!(Functie::parse(&"é".repeat(121)).is_err());
    assert!(Functie::parse("   ").is_err());
}

#[test]
fn choices_parse_their_names_and_nothing_else() {
    assert_eq!(Methode::parse("ips").unwrap(), Methode::Ips);
    assert_eq!(
        Methode::parse("WerkAlsBesteZorg").unwrap(),
        Methode::WerkAlsBesteZorg
    );
    let error = Methode::parse("Coaching").unwrap_err();
    assert_eq!(error.veld, "methode");
    assert!(error.regel.contains("IPS"));
    assert_eq!(Uitkering::ALL.len(), 7);
    assert_eq!(
        AfsluitingsReden::parse("Overleden").unwrap(),
        AfsluitingsReden::Overleden
    );
    assert!(Verwijzer::parse("Huisarts").is_err());
}

mod persoonsgegevens {
    use chrono::NaiveDate;
    use traject_domain::value::*;

    fn vandaag() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
    }

    #[test]
    fn the_elfproef_accepts_valid_and_refuses_invalid_bsns() {
        assert!(Bsn::parse("111222333").is_ok());
        assert!(Bsn::parse("123456782").is_ok());
        assert_eq!(Bsn::parse("1234.56.782").unwrap().as_str(), "123456782");
        // Eight digits get their leading zero: 012345672 passes the elfproef.
        assert!(elfproef("012345672"));
        assert_eq!(Bsn::parse("12345672").unwrap().as_str(), "012345672");
        let fout = Bsn::parse("123456789").unwrap_err();
        assert_eq!(
            (fout.veld.as_ref(), fout.regel.as_ref()),
            ("bsn", "voldoet niet aan de elfproef")
        );
        assert!(Bsn::parse("000000000").is_err(), "the sum 0 is no BSN");
        assert_eq!(
            Bsn::parse("12345").unwrap_err().regel,
            "moet uit 9 cijfers bestaan"
        );
        assert!(Bsn::parse("12345678a").is_err());
    }

    #[test]
    fn errors_name_the_field_and_never_repeat_the_input() {
        let invoer = "Jan\u{7}Jansen";
        let fout = Naam::parse(invoer).unwrap_err();
        assert_eq!(fout.veld, "naam");
        assert!(!fout.to_string().contains("Jansen"));
        let fout = Email::parse("jan.jansen@voorbeeld").unwrap_err();
        assert_eq!(fout.veld, "email");
        assert!(!fout.to_string().contains("jansen"));
        let fout = Telefoon::parse("06-1234").unwrap_err();
        assert_eq!(fout.regel, "moet 10 tot 15 cijfers hebben");
    }

    #[test]
    fn values_are_normalised() {
        assert_eq!(
            Naam::parse("  Jan   de  Vries ").unwrap().as_str(),
            "Jan de Vries"
        );
        // Invisible formatting characters pasted with a name are left out, so the name is
        // found and shown as it reads.
        assert_eq!(
            Naam::parse("Wouter Vis\u{00AD}ser\u{200B}")
                .unwrap()
                .as_str(),
            "Wouter Visser"
        );
        assert_eq!(
            Naam::parse("\u{202E}Jan \u{FEFF} Jansen").unwrap().as_str(),
            "Jan Jansen"
        );
        assert!(Naam::parse("\u{200B}\u{202E}").is_err());
        assert!(Naam::parse("\u{200C}").is_err());
        assert!(Naam::parse("\u{200D}\u{200C} \u{200D}").is_err());
        // Every default-ignorable character is left out, but the zero-width (non-)joiner, which
        // belongs to the spelling of some names.
        assert_eq!(
            Naam::parse("Zoe\u{034F}ltje\u{E0041} Van\u{3164}derwal\u{FE0F}")
                .unwrap()
                .as_str(),
            "Zoeltje Vanderwal"
        );
        assert_eq!(
            Naam::parse("Mehr\u{200C}dad").unwrap().as_str(),
            "Mehr\u{200C}dad"
        );
        // A name stored before, of nothing but such characters, still reads (or the vault
        // would not open).
        let oud: Naam = serde_json::from_str("\"\u{200B}\"").unwrap();
        assert_eq!(oud.as_str(), "\u{200B}");
        assert_eq!(
            Email::parse(" Jan.Jansen@Voorbeeld.NL ").unwrap().as_str(),
            "Jan.Jansen@voorbeeld.nl"
        );
        assert_eq!(
            Telefoon::parse("+31 6 1234 5678").unwrap().as_str(),
            "+31 6 1234 5678"
        );
        assert!(
            Telefoon::parse("06 1234 5678+").is_err(),
            "a + only in front"
        );
        assert!(Email::parse("a@b@c.nl").is_err());
        assert!(Email::parse("@voorbeeld.nl").is_err());
    }

    #[test]
    fn a_date_of_birth_lies_between_1900_and_today() {
        assert!(Geboortedatum::parse("1985-03-14", vandaag()).is_ok());
        assert!(Geboortedatum::parse("2026-06-30", vandaag()).is_ok());
        let fout = Geboortedatum::parse("2026-07-01", vandaag()).unwrap_err();
        assert_eq!(fout.veld, "geboortedatum");
        assert!(Geboortedatum::parse("1899-12-31", vandaag()).is_err());
        assert!(Geboortedatum::parse("14-03-1985", vandaag()).is_err());
    }

    #[test]
    fn debug_shows_no_personal_data() {
        let p = Persoonsgegevens {
            naam: Naam::parse("Jan Jansen").unwrap(),
            geboortedatum: Geboortedatum::parse("1985-03-14", vandaag()).unwrap(),
            telefoon: Some(Telefoon::parse("0612345678").unwrap()),
            email: Some(Email::parse("jan@voorbeeld.nl").unwrap()),
            bsn: Some(Bsn::parse("111222333").unwrap()),
        };
        let tekst = format!("{p:?} {:?} {:?} {:?}", p.naam, p.bsn, p.geboortedatum);
        for geheim in ["Jansen", "1985", "0612345678", "voorbeeld", "111222333"] {
            assert!(!tekst.contains(geheim), "{tekst}");
        }
        let json = serde_json::to_string(&p).unwrap();
        let terug: Persoonsgegevens = serde_json::from_str(&json).unwrap();
        assert!(terug == p);
    }
}
