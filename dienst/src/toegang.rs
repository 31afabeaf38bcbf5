//! Authorisation: product.md's role table, enforced below the resolvers and at object level.
//!
//! Every decision is a pure function of the caller, what they want to do and how they relate to
//! the trajectory, and names the rule that allowed or refused it (for the access log). Only
//! `coach` and `teamleider` ever reach person-level data.

use traject_domain::value::{CoachId, OrganisatieId, Regio};
use traject_projections::kenmerken::Kenmerken;

use crate::gebruiker::{Gebruiker, Rol};

/// What the caller wants to do with a trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handeling {
    /// Read it (overview, status, timeline).
    Lezen,
    /// Record an event of their work (every command but assigning a coach).
    Vastleggen,
    /// Assign another coach.
    CoachToewijzen,
}

/// How the caller relates to a trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relatie {
    /// The caller is its current coach.
    EigenClient,
    /// It belongs to the caller's organisation and has no coach yet (referred, awaiting intake).
    NogZonderCoach,
    /// It belongs to the caller's organisation and has another coach.
    AndereCoach,
    /// It belongs to another organisation and the caller is not its coach.
    AndereOrganisatie,
}

impl Relatie {
    /// How `gebruiker` relates to the trajectory with these facts of the read models (for reads).
    pub fn van(gebruiker: &Gebruiker, kenmerken: &Kenmerken) -> Self {
        Self::tot(gebruiker, &kenmerken.organisatie, kenmerken.coach.as_ref())
    }

    /// How `gebruiker` relates to a trajectory of `organisatie` with `coach`. A coach is their
    /// trajectory's coach only within the trajectory's organisation: a coach id that another
    /// organisation's token also carries reaches nothing.
    pub fn tot(
        gebruiker: &Gebruiker,
        organisatie: &OrganisatieId,
        coach: Option<&CoachId>,
    ) -> Self {
        let eigen_organisatie = gebruiker.organisatie.as_ref() == Some(organisatie);
        match coach {
            Some(c) if c.as_str() == gebruiker.id && eigen_organisatie => Relatie::EigenClient,
            None if eigen_organisatie => Relatie::NogZonderCoach,
            Some(_) if eigen_organisatie => Relatie::AndereCoach,
            _ => Relatie::AndereOrganisatie,
        }
    }
}

/// An allowed access, with the rule that allowed it and the role it was made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toegestaan {
    /// The rule.
    pub regel: &'static str,
    /// The role.
    pub rol: Rol,
}

/// A refusal, with the rule that refused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geweigerd {
    /// The rule.
    pub regel: &'static str,
}

/// May `gebruiker` do `handeling` on a trajectory they relate to as `relatie`?
pub fn traject(
    gebruiker: &Gebruiker,
    handeling: Handeling,
    relatie: Relatie,
) -> Result<Toegestaan, Geweigerd> {
    use Handeling::*;
    use Relatie::*;
    if gebruiker.heeft(Rol::Teamleider)
        && matches!(relatie, EigenClient | NogZonderCoach | AndereCoach)
    {
        return Ok(Toegestaan {
            regel: "teamleider-eigen-organisatie",
            rol: Rol::Teamleider,
        });
    }
    if gebruiker.heeft(Rol::Coach) {
        match (handeling, relatie) {
            (Lezen | Vastleggen, EigenClient) => {
                return Ok(Toegestaan {
                    regel: "coach-eigen-client",
                    rol: Rol::Coach,
                });
            }
            (Lezen | Vastleggen, NogZonderCoach) => {
                return Ok(Toegestaan {
                    regel: "coach-aanmelding-eigen-organisatie",
                    rol: Rol::Coach,
                });
            }
            (CoachToewijzen, _) => {
                return Err(Geweigerd {
                    regel: "alleen-teamleider-wijst-coach-toe",
                });
            }
            _ => {}
        }
    }
    Err(Geweigerd {
        regel: if gebruiker.heeft(Rol::Coach) || gebruiker.heeft(Rol::Teamleider) {
            "niet-eigen-client-of-organisatie"
        } else {
            "rol-ziet-geen-persoonsgegevens"
        },
    })
}

/// A refusal's rule (the `regel` of a [`Geweigerd`]) in words for the person refused.
pub fn uitleg(regel: &str) -> &'static str {
    match regel {
        "niet-eigen-client-of-organisatie" => {
            "dit traject hoort niet bij uw caseload of bij uw organisatie"
        }
        "rol-ziet-geen-persoonsgegevens" => "met uw rol ziet u geen gegevens van clienten",
        "alleen-in-eigen-organisatie" => "u kunt alleen aanmelden bij uw eigen organisatie",
        "alleen-teamleider-ziet-organisatie" => {
            "alleen een teamleider ziet de caseload van de hele organisatie"
        }
        "alleen-teamleider-wijst-coach-toe" => "alleen een teamleider wijst een andere coach toe",
        "alleen-teamleider-van-de-organisatie-of-beheerder" => {
            "alleen een teamleider van de organisatie of een beheerder beheert dit team"
        }
        "alleen-beheerder-leest-toegangslog" => "alleen een beheerder leest de toegangslog",
        "alleen-beheerder-wist" => "alleen een beheerder wist de gegevens van een client",
        "alleen-landelijk-ziet-voorlopige-cijfers" => {
            "alleen de landelijke rol ziet voorlopige cijfers"
        }
        "alleen-landelijk-of-beheerder-geeft-cijfers-vrij" => {
            "alleen de landelijke rol of een beheerder geeft cijfers vrij"
        }
        "alleen-regio-of-landelijk-ziet-cijfers" => {
            "alleen een regio of de landelijke rol ziet de cijfers"
        }
        "regio-alleen-eigen-regio" => "u ziet alleen de cijfers van uw eigen regio",
        "alleen-teamleider-regio-of-landelijk-ziet-kwaliteitsrapport" => {
            "alleen een teamleider, een regio of de landelijke rol ziet het kwaliteitsrapport"
        }
        "alleen-teamleider-ziet-rapport-eigen-organisatie" => {
            "alleen een teamleider ziet het rapport van de eigen organisatie, en dan niet van een regio tegelijk"
        }
        "teamleider-alleen-eigen-organisatie" => {
            "als teamleider ziet u het rapport van uw eigen organisatie"
        }
        "teamleider-zonder-organisatie-in-token" => {
            "uw inlog noemt geen organisatie; vraag de beheerder om uw account"
        }
        "regio-zonder-regio-in-token" => {
            "uw inlog noemt geen regio; vraag de beheerder om uw account"
        }
        _ => "u heeft hiervoor geen toegang",
    }
}

/// May `gebruiker` refer a new trajectory to `organisatie`?
pub fn aanmelden(
    gebruiker: &Gebruiker,
    organisatie: &OrganisatieId,
) -> Result<Toegestaan, Geweigerd> {
    let eigen = gebruiker.organisatie.as_ref() == Some(organisatie);
    for (rol, regel) in [
        (Rol::Teamleider, "teamleider-eigen-organisatie"),
        (Rol::Coach, "coach-aanmelden-eigen-organisatie"),
    ] {
        if gebruiker.heeft(rol) && eigen {
            return Ok(Toegestaan { regel, rol });
        }
    }
    Err(Geweigerd {
        regel: if gebruiker.heeft(Rol::Coach) || gebruiker.heeft(Rol::Teamleider) {
            "alleen-in-eigen-organisatie"
        } else {
            "rol-ziet-geen-persoonsgegevens"
        },
    })
}

/// Whether the caller may import trajectories into `organisatie`: a teamleider of it, who
/// answers for the organisation's caseload as a whole.
pub fn importeren(
    gebruiker: &Gebruiker,
    organisatie: &OrganisatieId,
) -> Result<Toegestaan, Geweigerd> {
    if gebruiker.heeft(Rol::Teamleider) && gebruiker.organisatie.as_ref() == Some(organisatie) {
        return Ok(Toegestaan {
            regel: "teamleider-eigen-organisatie",
            rol: Rol::Teamleider,
        });
    }
    Err(Geweigerd {
        regel: if gebruiker.heeft(Rol::Teamleider) {
            "alleen-in-eigen-organisatie"
        } else {
            "alleen-teamleider"
        },
    })
}

/// Whose caseload the caller may see: a coach their own, a teamleider their organisation's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseloadBereik {
    /// The coach's own, in the organisation their token names.
    Eigen(CoachId, OrganisatieId, Toegestaan),
    /// The organisation's.
    Organisatie(OrganisatieId, Toegestaan),
}

/// Whether an access under `regel` was within the user's own caseload (a coach's own clients).
/// The access log's signals count reads under every other rule as outside it.
pub fn eigen_caseload(regel: &str) -> bool {
    matches!(
        regel,
        "coach-eigen-client" | "coach-eigen-caseload" | "coach-aanmelding-eigen-organisatie"
    )
}

/// The caseload the caller may query (`organisatie`: a teamleider asks for the organisation's).
pub fn caseload(gebruiker: &Gebruiker, organisatie: bool) -> Result<CaseloadBereik, Geweigerd> {
    if organisatie || !gebruiker.heeft(Rol::Coach) {
        if let (true, Some(o)) = (gebruiker.heeft(Rol::Teamleider), &gebruiker.organisatie) {
            return Ok(CaseloadBereik::Organisatie(
                o.clone(),
                Toegestaan {
                    regel: "teamleider-eigen-organisatie",
                    rol: Rol::Teamleider,
                },
            ));
        }
    } else if let (Some(coach), Some(o)) = (gebruiker.coach_id(), &gebruiker.organisatie) {
        return Ok(CaseloadBereik::Eigen(
            coach,
            o.clone(),
            Toegestaan {
                regel: "coach-eigen-caseload",
                rol: Rol::Coach,
            },
        ));
    }
    Err(Geweigerd {
        regel: if gebruiker.heeft(Rol::Coach) || gebruiker.heeft(Rol::Teamleider) {
            "alleen-teamleider-ziet-organisatie"
        } else {
            "rol-ziet-geen-persoonsgegevens"
        },
    })
}

/// May the caller read the access log?
pub fn toegangslog(gebruiker: &Gebruiker) -> Result<Toegestaan, Geweigerd> {
    if gebruiker.heeft(Rol::Beheerder) {
        Ok(Toegestaan {
            regel: "beheerder-leest-toegangslog",
            rol: Rol::Beheerder,
        })
    } else {
        Err(Geweigerd {
            regel: "alleen-beheerder-leest-toegangslog",
        })
    }
}

/// Provisional figures (of quarters not released yet) are for the landelijk role only.
pub fn voorlopige_cijfers(gebruiker: &Gebruiker) -> Result<Toegestaan, Geweigerd> {
    if gebruiker.heeft(Rol::Landelijk) {
        Ok(Toegestaan {
            regel: "landelijk-ziet-voorlopige-cijfers",
            rol: Rol::Landelijk,
        })
    } else {
        Err(Geweigerd {
            regel: "alleen-landelijk-ziet-voorlopige-cijfers",
        })
    }
}

/// A quarter's figures are released by the landelijk role, or by a beheerder.
pub fn cijfers_vrijgeven(gebruiker: &Gebruiker) -> Result<Toegestaan, Geweigerd> {
    for (rol, regel) in [
        (Rol::Landelijk, "landelijk-geeft-cijfers-vrij"),
        (Rol::Beheerder, "beheerder-geeft-cijfers-vrij"),
    ] {
        if gebruiker.heeft(rol) {
            return Ok(Toegestaan { regel, rol });
        }
    }
    Err(Geweigerd {
        regel: "alleen-landelijk-of-beheerder-geeft-cijfers-vrij",
    })
}

/// Which anonymised figures a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CijferBereik {
    /// One region's.
    Regio(Regio),
    /// Every region's, and the national table.
    Landelijk,
}

/// The figures the caller may see when asking for `gevraagd` (`None`: their own scope): a regio
/// user only their own region's, a landelijk user any region's or all of them. Figures are
/// anonymised, so no other role needs them and none gets them.
pub fn cijfers(
    gebruiker: &Gebruiker,
    gevraagd: Option<Regio>,
) -> Result<(CijferBereik, Toegestaan), Geweigerd> {
    if gebruiker.heeft(Rol::Landelijk) {
        let toegestaan = Toegestaan {
            regel: "landelijk-alle-regios",
            rol: Rol::Landelijk,
        };
        return Ok((
            gevraagd.map_or(CijferBereik::Landelijk, CijferBereik::Regio),
            toegestaan,
        ));
    }
    if gebruiker.heeft(Rol::Regio) {
        return match (gebruiker.regio, gevraagd) {
            (Some(eigen), None) => Ok((CijferBereik::Regio(eigen), regio_eigen())),
            (Some(eigen), Some(r)) if r == eigen => Ok((CijferBereik::Regio(eigen), regio_eigen())),
            (Some(_), Some(_)) => Err(Geweigerd {
                regel: "regio-alleen-eigen-regio",
            }),
            (None, _) => Err(Geweigerd {
                regel: "regio-zonder-regio-in-token",
            }),
        };
    }
    Err(Geweigerd {
        regel: "alleen-regio-of-landelijk-ziet-cijfers",
    })
}

fn regio_eigen() -> Toegestaan {
    Toegestaan {
        regel: "regio-eigen-regio",
        rol: Rol::Regio,
    }
}

/// Whose quality report a caller sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KwaliteitBereik {
    /// Their own organisation's, beside the nation and the regions.
    Organisatie(OrganisatieId),
    /// A region's.
    Regio(Regio),
    /// The nation's.
    Landelijk,
}

/// Whose quality report the caller sees when asking for `gevraagd` (`None`: their own): a
/// landelijk user any region's or the nation's, a regio user their own region's, a teamleider
/// their own organisation's (with its own small counts, which they may see trajectory by
/// trajectory anyway). Figures of a region or the nation are releases; no other role sees them.
/// A teamleider who also has the regio or landelijk role gets the region's or the nation's
/// unless they ask for their own organisation's (`eigen_organisatie`).
pub fn kwaliteitsrapport(
    gebruiker: &Gebruiker,
    gevraagd: Option<Regio>,
    eigen_organisatie: bool,
) -> Result<(KwaliteitBereik, Toegestaan), Geweigerd> {
    if eigen_organisatie && (gevraagd.is_some() || !gebruiker.heeft(Rol::Teamleider)) {
        return Err(Geweigerd {
            regel: "alleen-teamleider-ziet-rapport-eigen-organisatie",
        });
    }
    if !eigen_organisatie && (gebruiker.heeft(Rol::Landelijk) || gebruiker.heeft(Rol::Regio)) {
        let (bereik, toegestaan) = cijfers(gebruiker, gevraagd)?;
        let bereik = match bereik {
            CijferBereik::Regio(r) => KwaliteitBereik::Regio(r),
            CijferBereik::Landelijk => KwaliteitBereik::Landelijk,
        };
        return Ok((bereik, toegestaan));
    }
    if gebruiker.heeft(Rol::Teamleider) {
        if gevraagd.is_some() {
            return Err(Geweigerd {
                regel: "teamleider-alleen-eigen-organisatie",
            });
        }
        return match &gebruiker.organisatie {
            Some(o) => Ok((
                KwaliteitBereik::Organisatie(o.clone()),
                Toegestaan {
                    regel: "teamleider-eigen-organisatie",
                    rol: Rol::Teamleider,
                },
            )),
            None => Err(Geweigerd {
                regel: "teamleider-zonder-organisatie-in-token",
            }),
        };
    }
    Err(Geweigerd {
        regel: "alleen-teamleider-regio-of-landelijk-ziet-kwaliteitsrapport",
    })
}

#[cfg(test)]
mod kwaliteitsrapport_tests {
    use super::*;

    fn met(rollen: &[Rol], organisatie: Option<&str>, regio: Option<Regio>) -> Gebruiker {
        Gebruiker {
            id: "tl-1".to_owned(),
            naam: "Teamleider".to_owned(),
            rollen: rollen.to_vec(),
            organisatie: organisatie.map(|o| OrganisatieId::parse(o).unwrap()),
            regio,
        }
    }

    /// A teamleider who is also a regio user sees the region's report, or their own
    /// organisation's when they ask for it; nobody else gets an organisation's.
    #[test]
    fn a_teamleider_with_a_region_chooses_whose_report() {
        let beide = met(
            &[Rol::Teamleider, Rol::Regio],
            Some("org-1"),
            Some(Regio::Am13),
        );
        assert_eq!(
            kwaliteitsrapport(&beide, None, false).unwrap().0,
            KwaliteitBereik::Regio(Regio::Am13)
        );
        assert_eq!(
            kwaliteitsrapport(&beide, None, true).unwrap().0,
            KwaliteitBereik::Organisatie(OrganisatieId::parse("org-1").unwrap())
        );
        assert!(kwaliteitsrapport(&beide, Some(Regio::Am13), true).is_err());
        let regio = met(&[Rol::Regio], None, Some(Regio::Am13));
        assert_eq!(
            kwaliteitsrapport(&regio, None, true).unwrap_err().regel,
            "alleen-teamleider-ziet-rapport-eigen-organisatie"
        );
        let teamleider = met(&[Rol::Teamleider], Some("org-1"), None);
        assert_eq!(
            kwaliteitsrapport(&teamleider, None, false).unwrap().0,
            kwaliteitsrapport(&teamleider, None, true).unwrap().0
        );
    }
}
