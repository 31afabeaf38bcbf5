//! The role table of product.md, over role x operation x relation.

use traject_api::auth::{Gebruiker, Rol};
use traject_api::toegang::{self, Handeling, Relatie};
use traject_domain::value::OrganisatieId;

fn gebruiker(rol: Rol) -> Gebruiker {
    Gebruiker {
        id: "coach-anna".to_owned(),
        naam: "Anna".to_owned(),
        rollen: vec![rol],
        organisatie: Some(OrganisatieId::parse("org-a").unwrap()),
        regio: None,
    }
}

#[test]
fn role_operation_relation_table() {
    use Handeling::*;
    use Relatie::*;
    let alle_relaties = [EigenClient, NogZonderCoach, AndereCoach, AndereOrganisatie];
    // (role, operation, relations allowed); everything else is refused.
    let tabel: &[(Rol, Handeling, &[Relatie])] = &[
        (Rol::Coach, Lezen, &[EigenClient, NogZonderCoach]),
        (Rol::Coach, Vastleggen, &[EigenClient, NogZonderCoach]),
        (Rol::Coach, CoachToewijzen, &[]),
        (
            Rol::Teamleider,
            Lezen,
            &[EigenClient, NogZonderCoach, AndereCoach],
        ),
        (
            Rol::Teamleider,
            Vastleggen,
            &[EigenClient, NogZonderCoach, AndereCoach],
        ),
        (
            Rol::Teamleider,
            CoachToewijzen,
            &[EigenClient, NogZonderCoach, AndereCoach],
        ),
        (Rol::Regio, Lezen, &[]),
        (Rol::Regio, Vastleggen, &[]),
        (Rol::Landelijk, Lezen, &[]),
        (Rol::Landelijk, Vastleggen, &[]),
        (Rol::Beheerder, Lezen, &[]),
        (Rol::Beheerder, Vastleggen, &[]),
    ];
    for (rol, handeling, toegestaan) in tabel {
        for relatie in alle_relaties {
            let besluit = toegang::traject(&gebruiker(*rol), *handeling, relatie);
            assert_eq!(
                besluit.is_ok(),
                toegestaan.contains(&relatie),
                "{rol:?} {handeling:?} {relatie:?}: {besluit:?}"
            );
        }
    }
    // Anonymous callers never reach the table (UNAUTHENTICATED first); a caller without any
    // of traject's roles is refused everything.
    let zonder = Gebruiker {
        rollen: vec![],
        ..gebruiker(Rol::Coach)
    };
    for relatie in alle_relaties {
        assert!(toegang::traject(&zonder, Handeling::Lezen, relatie).is_err());
    }
}

#[test]
fn referring_caseloads_and_the_access_log() {
    let eigen = OrganisatieId::parse("org-a").unwrap();
    let ander = OrganisatieId::parse("org-b").unwrap();
    for rol in [Rol::Coach, Rol::Teamleider] {
        assert!(toegang::aanmelden(&gebruiker(rol), &eigen).is_ok());
        assert!(toegang::aanmelden(&gebruiker(rol), &ander).is_err());
    }
    for rol in [Rol::Regio, Rol::Landelijk, Rol::Beheerder] {
        assert!(toegang::aanmelden(&gebruiker(rol), &eigen).is_err());
        assert!(toegang::caseload(&gebruiker(rol), false).is_err());
        assert!(toegang::caseload(&gebruiker(rol), true).is_err());
    }
    assert!(matches!(
        toegang::caseload(&gebruiker(Rol::Coach), false),
        Ok(toegang::CaseloadBereik::Eigen(_, o, _)) if o == eigen
    ));
    // A coach's own caseload is within the organisation their token names; without one, none.
    let mut zonder = gebruiker(Rol::Coach);
    zonder.organisatie = None;
    assert!(toegang::caseload(&zonder, false).is_err());
    assert!(toegang::caseload(&gebruiker(Rol::Coach), true).is_err());
    assert!(matches!(
        toegang::caseload(&gebruiker(Rol::Teamleider), true),
        Ok(toegang::CaseloadBereik::Organisatie(o, _)) if o == eigen
    ));
    assert!(toegang::toegangslog(&gebruiker(Rol::Beheerder)).is_ok());
    for rol in [Rol::Coach, Rol::Teamleider, Rol::Regio, Rol::Landelijk] {
        assert!(toegang::toegangslog(&gebruiker(rol)).is_err());
    }
}

#[test]
fn figures_for_regio_and_landelijk_only() {
    use traject_api::toegang::CijferBereik;
    use traject_domain::value::Regio;
    let am13 = Regio::parse("AM13").unwrap();
    let am14 = Regio::parse("AM14").unwrap();
    let met_regio = |rol, regio| Gebruiker {
        regio,
        ..gebruiker(rol)
    };
    // (role, region in the token, region asked for) -> scope, or the refusing rule.
    type Geval = (
        Rol,
        Option<Regio>,
        Option<Regio>,
        Result<CijferBereik, &'static str>,
    );
    let gevallen: &[Geval] = &[
        (Rol::Regio, Some(am13), None, Ok(CijferBereik::Regio(am13))),
        (
            Rol::Regio,
            Some(am13),
            Some(am13),
            Ok(CijferBereik::Regio(am13)),
        ),
        (
            Rol::Regio,
            Some(am13),
            Some(am14),
            Err("regio-alleen-eigen-regio"),
        ),
        (Rol::Regio, None, None, Err("regio-zonder-regio-in-token")),
        (Rol::Landelijk, None, None, Ok(CijferBereik::Landelijk)),
        (
            Rol::Landelijk,
            Some(am13),
            Some(am14),
            Ok(CijferBereik::Regio(am14)),
        ),
        (
            Rol::Coach,
            Some(am13),
            None,
            Err("alleen-regio-of-landelijk-ziet-cijfers"),
        ),
        (
            Rol::Teamleider,
            Some(am13),
            None,
            Err("alleen-regio-of-landelijk-ziet-cijfers"),
        ),
        (
            Rol::Beheerder,
            Some(am13),
            None,
            Err("alleen-regio-of-landelijk-ziet-cijfers"),
        ),
    ];
    for (rol, eigen, gevraagd, verwacht) in gevallen {
        let uitkomst = toegang::cijfers(&met_regio(*rol, *eigen), *gevraagd)
            .map(|(bereik, _)| bereik)
            .map_err(|w| w.regel);
        assert_eq!(uitkomst, *verwacht, "{rol:?} {eigen:?} {gevraagd:?}");
    }
}
