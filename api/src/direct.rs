//! The caseload's direct path: a query document that asks for a caseload page and nothing else,
//! in the plain form the web client sends, is answered without the GraphQL engine's value tree.
//!
//! The engine builds a value for every field of every row (a map per row, a string or name per
//! value), serialises that tree and frees it; for a page of rows that was most of a request's
//! cost. Here the page comes from the same function as the engine's resolver
//! (`schema::query::caseload_pagina_gelogd`, which the resolver reaches through
//! `caseload_pagina`: the same authorisation, access-log entry and errors), and its selected
//! fields are written straight to JSON from the read model's rows, by the schema's own
//! conversions, in the document's order under the document's response keys. The JSON is written
//! while the log makes the page's entry durable, and answered only once it is.
//!
//! Only what can be answered exactly as the engine would is taken: one query operation (its
//! name matching the request's, if any) whose only root field is `caseload`, with arguments
//! known to the schema given as literals of the exact kind or as variables declared with the
//! argument's own type and no default; below it the fields of `Caseload`, `CaseloadItem`,
//! `VolgendeActie` and `Aandachtspunt` (and `__typename`) without arguments, aliases repeated
//! field names, directives or fragments. Variable values are read by the engine's own input
//! types; a value they do not take, and every other document, goes to the engine, which then
//! reports what is wrong. A plan is made once per parsed document (`http::Documenten`).
//! Both paths are compared over HTTP, answer for answer and access-log entry for entry, on
//! demo data (`tests/tests/e2e/direct.rs`); the web client's own documents are among them.

use std::collections::HashSet;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::resolver_utils::EnumType;
use async_graphql::{InputType, Name, Pos, Positioned, Variables};
use async_graphql_value::{ConstValue, Value};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use traject_projections::caseload::{CaseloadRegel, Signaal};

use crate::schema::datum::Datum;
use crate::schema::query::{CaseloadArgumenten, CaseloadSortering, Pagina, caseload_pagina_gelogd};
use crate::schema::types::{Aandachtspunt, Fase, Methode, VolgendeActie};
use crate::schema::{ApiError, Omgeving, Verzoek};

/// How many requests the direct path answered (for the tests that compare it with the engine).
#[derive(Debug, Default)]
pub struct Teller(std::sync::atomic::AtomicU64);

impl Teller {
    /// Counts one answer.
    pub fn tel(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many so far.
    pub fn aantal(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A document the direct path answers, as a plan: what to read and what to write.
#[derive(Debug)]
pub struct Plan {
    /// The operation's name, if it has one.
    operatie: Option<Name>,
    /// The root field's response key and position.
    sleutel: Name,
    pos: Pos,
    /// The root field's arguments, as written (literals or variables).
    argumenten: Vec<(Argument, Value)>,
    /// The fields of `Caseload` asked for, in order.
    velden: Vec<(Name, PaginaVeld)>,
    /// Whether the rows are asked for (person-level data, for the access log).
    toont: bool,
}

/// An argument of `caseload`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Argument {
    Organisatie,
    Peildatum,
    Fasen,
    Methode,
    AlleenAandacht,
    Sortering,
    Na,
    Aantal,
    Zoek,
}

/// What a literal of an argument must be.
enum Soort {
    Boolean,
    Int,
    Tekst,
    Enum,
    Enums,
}

impl Argument {
    fn van(naam: &str) -> Option<Self> {
        Some(match naam {
            "organisatie" => Self::Organisatie,
            "peildatum" => Self::Peildatum,
            "fasen" => Self::Fasen,
            "methode" => Self::Methode,
            "alleenAandacht" => Self::AlleenAandacht,
            "sortering" => Self::Sortering,
            "na" => Self::Na,
            "aantal" => Self::Aantal,
            "zoek" => Self::Zoek,
            _ => return None,
        })
    }

    /// The type the schema declares (a variable must be declared with exactly this type).
    fn type_naam(self) -> &'static str {
        match self {
            Self::Organisatie | Self::AlleenAandacht => "Boolean!",
            Self::Peildatum => "NaiveDate",
            Self::Fasen => "[Fase!]!",
            Self::Methode => "Methode",
            Self::Sortering => "CaseloadSortering!",
            Self::Na | Self::Zoek => "String",
            Self::Aantal => "Int!",
        }
    }

    /// What a literal must be, and whether `null` is taken. A date literal is left to the
    /// engine.
    fn literaal(self) -> Option<(Soort, bool)> {
        Some(match self {
            Self::Organisatie | Self::AlleenAandacht => (Soort::Boolean, false),
            Self::Peildatum => return None,
            Self::Fasen => (Soort::Enums, false),
            Self::Methode => (Soort::Enum, true),
            Self::Sortering => (Soort::Enum, false),
            Self::Na | Self::Zoek => (Soort::Tekst, true),
            Self::Aantal => (Soort::Int, false),
        })
    }
}

/// A field of `Caseload`.
#[derive(Debug)]
enum PaginaVeld {
    Items(Vec<(Name, ItemVeld)>),
    Volgende,
    Totaal,
    Positie,
    Typenaam,
}

/// A field of `CaseloadItem`.
#[derive(Debug)]
enum ItemVeld {
    TrajectId,
    ClientId,
    Naam,
    Coach,
    Methode,
    Fase,
    Aanmelding,
    LaatsteGebeurtenis,
    DagenWerk,
    DagenOnonderbrokenWerk,
    DuurzaamBereiktOp,
    VolgendeActie(Vec<(Name, ActieVeld)>),
    ContractEindigtOp,
    WerkgeverscontactUiterlijk,
    Aandacht(Vec<(Name, AandachtVeld)>),
    Cursor,
    Typenaam,
}

/// A field of `VolgendeActie`.
#[derive(Debug)]
enum ActieVeld {
    Actie,
    Op,
    Gepland,
    Typenaam,
}

/// A field of `Aandachtspunt`.
#[derive(Debug)]
enum AandachtVeld {
    Soort,
    Dagen,
    Sinds,
    Op,
    Actie,
    Typenaam,
}

/// The fields of one selection set by `veld`, which names the known ones; `None` when a
/// selection is not a plain field of it (fragments, directives, arguments, a repeated field or
/// response key).
fn velden<T>(
    set: &Positioned<SelectionSet>,
    veld: impl Fn(&str, &Positioned<SelectionSet>) -> Option<T>,
) -> Option<Vec<(Name, T)>> {
    let mut namen = HashSet::new();
    let mut sleutels = HashSet::new();
    let mut uit = Vec::with_capacity(set.node.items.len());
    for selectie in &set.node.items {
        let Selection::Field(f) = &selectie.node else {
            return None;
        };
        let f = &f.node;
        if !f.arguments.is_empty() || !f.directives.is_empty() {
            return None;
        }
        let sleutel = f.response_key().node.clone();
        if !namen.insert(f.name.node.clone()) || !sleutels.insert(sleutel.clone()) {
            return None;
        }
        uit.push((sleutel, veld(f.name.node.as_str(), &f.selection_set)?));
    }
    (!uit.is_empty()).then_some(uit)
}

/// A leaf field has no selection set.
fn blad<T>(set: &Positioned<SelectionSet>, v: T) -> Option<T> {
    set.node.items.is_empty().then_some(v)
}

impl Plan {
    /// The plan of `document`, if the direct path answers it.
    pub fn van(document: &ExecutableDocument) -> Option<Self> {
        if !document.fragments.is_empty() {
            return None;
        }
        let (operatie, op) = match &document.operations {
            DocumentOperations::Single(op) => (None, op),
            DocumentOperations::Multiple(ops) if ops.len() == 1 => {
                let (naam, op) = ops.iter().next()?;
                (Some(naam.clone()), op)
            }
            DocumentOperations::Multiple(_) => return None,
        };
        let op = &op.node;
        if op.ty != OperationType::Query || !op.directives.is_empty() {
            return None;
        }
        let [selectie] = op.selection_set.node.items.as_slice() else {
            return None;
        };
        let Selection::Field(veld) = &selectie.node else {
            return None;
        };
        let veld_pos = veld.pos;
        let veld = &veld.node;
        if veld.name.node != "caseload" || !veld.directives.is_empty() {
            return None;
        }
        // Each argument known and written once; each variable declared with its argument's
        // type, no default and no directive, and used exactly once.
        let mut gezien = HashSet::new();
        let mut gebruikt = HashSet::new();
        let mut argumenten = Vec::with_capacity(veld.arguments.len());
        for (naam, waarde) in &veld.arguments {
            let argument = Argument::van(&naam.node)?;
            if !gezien.insert(naam.node.clone()) {
                return None;
            }
            match &waarde.node {
                Value::Variable(var) => {
                    let definitie = op
                        .variable_definitions
                        .iter()
                        .find(|d| d.node.name.node == *var)?;
                    let d = &definitie.node;
                    if d.default_value.is_some()
                        || !d.directives.is_empty()
                        || d.var_type.node.to_string() != argument.type_naam()
                        || !gebruikt.insert(var.clone())
                    {
                        return None;
                    }
                }
                literaal => {
                    let (soort, null) = argument.literaal()?;
                    let past = match (soort, literaal) {
                        (_, Value::Null) => null,
                        (Soort::Boolean, Value::Boolean(_)) => true,
                        (Soort::Int, Value::Number(n)) => {
                            n.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
                        }
                        (Soort::Tekst, Value::String(_)) => true,
                        (Soort::Enum, Value::Enum(_)) => true,
                        (Soort::Enums, Value::List(l)) => {
                            l.iter().all(|v| matches!(v, Value::Enum(_)))
                        }
                        (Soort::Enums, Value::Enum(_)) => true,
                        _ => false,
                    };
                    if !past {
                        return None;
                    }
                }
            }
            argumenten.push((argument, waarde.node.clone()));
        }
        if gebruikt.len() != op.variable_definitions.len() {
            return None;
        }
        let velden = velden(&veld.selection_set, |naam, set| {
            Some(match naam {
                "items" => PaginaVeld::Items(velden(set, item_veld)?),
                "volgende" => blad(set, PaginaVeld::Volgende)?,
                "totaal" => blad(set, PaginaVeld::Totaal)?,
                "positie" => blad(set, PaginaVeld::Positie)?,
                "__typename" => blad(set, PaginaVeld::Typenaam)?,
                _ => return None,
            })
        })?;
        let toont = velden
            .iter()
            .any(|(_, v)| matches!(v, PaginaVeld::Items(_)));
        Some(Plan {
            operatie,
            sleutel: veld.response_key().node.clone(),
            pos: veld_pos,
            argumenten,
            velden,
            toont,
        })
    }

    /// Answers the request with `variabelen` and the request's `operatie`, or `None` when the
    /// engine should (the operation name does not match, or a value its input types do not
    /// take). The answer is the engine's response form: JSON data, or a response with errors.
    pub async fn voer_uit(
        &self,
        omgeving: &Omgeving,
        verzoek: &Verzoek,
        operatie: Option<&str>,
        variabelen: &Variables,
    ) -> Option<Antwoord> {
        if let Some(naam) = operatie
            && self.operatie.as_deref() != Some(naam)
        {
            return None;
        }
        let argumenten = self.argumenten(variabelen)?;
        Some(
            match caseload_pagina_gelogd(omgeving, verzoek, argumenten, self.toont).await {
                Ok((pagina, gelogd)) => {
                    // The answer is written while the log makes the entry durable, and leaves
                    // only once it is: after the wait the request only hands its bytes over. A
                    // read over the quota is refused once logged: nothing to write for it.
                    let json = if gelogd.over_quotum() {
                        Ok(Vec::new())
                    } else {
                        self.json(&pagina, omgeving)
                    };
                    drop(pagina);
                    match (gelogd.afwachten().await, json) {
                        (Ok(()), Ok(json)) => Antwoord::Json(json),
                        (Err(fout), _) => Antwoord::Fout(self.fout(fout.into())),
                        (Ok(()), Err(fout)) => Antwoord::Fout(self.fout(fout)),
                    }
                }
                Err(fout) => Antwoord::Fout(self.fout(fout)),
            },
        )
    }

    /// `pagina` as the engine's JSON response.
    fn json(&self, pagina: &Pagina, omgeving: &Omgeving) -> Result<Vec<u8>, ApiError> {
        let data = Data {
            plan: self,
            pagina,
            omgeving,
        };
        // About 400 bytes a row with every field: one allocation for most pages.
        let mut json = Vec::with_capacity(256 + 512 * pagina.pagina.regels.len());
        serde_json::to_writer(&mut json, &data)
            .map_err(|e| ApiError::intern(format!("antwoord niet te coderen: {e}")))?;
        Ok(json)
    }

    /// The engine's response to a root field that failed with `fout`: `data` null (the field
    /// is not nullable) and the error at the field's position and path.
    fn fout(&self, fout: ApiError) -> async_graphql::Response {
        let mut fout = async_graphql::Error::from(fout).into_server_error(self.pos);
        fout.path = vec![async_graphql::PathSegment::Field(self.sleutel.to_string())];
        async_graphql::Response::from_errors(vec![fout])
    }

    /// The arguments, read from the document's literals and `variabelen` by the schema's input
    /// types and defaults.
    fn argumenten(&self, variabelen: &Variables) -> Option<CaseloadArgumenten> {
        let mut a = CaseloadArgumenten {
            organisatie: false,
            peildatum: None,
            fasen: Vec::new(),
            methode: None,
            alleen_aandacht: false,
            sortering: CaseloadSortering::Aanmelding,
            na: None,
            aantal: 50,
            zoek: None,
        };
        for (argument, waarde) in &self.argumenten {
            // A variable not sent is null when its type is nullable (as the engine has it); a
            // non-null one not sent is the engine's to report.
            let waarde = match waarde {
                Value::Variable(naam) => match variabelen.get(naam) {
                    Some(v) => v.clone(),
                    None if !argument.type_naam().ends_with('!') => ConstValue::Null,
                    None => return None,
                },
                literaal => literaal.clone().into_const()?,
            };
            let waarde = Some(waarde);
            match argument {
                Argument::Organisatie => a.organisatie = lees(waarde)?,
                Argument::Peildatum => a.peildatum = lees(waarde)?,
                Argument::Fasen => a.fasen = lees(waarde)?,
                Argument::Methode => a.methode = lees(waarde)?,
                Argument::AlleenAandacht => a.alleen_aandacht = lees(waarde)?,
                Argument::Sortering => a.sortering = lees(waarde)?,
                Argument::Na => a.na = lees(waarde)?,
                Argument::Aantal => a.aantal = lees(waarde)?,
                Argument::Zoek => a.zoek = lees(waarde)?,
            }
        }
        Some(a)
    }
}

/// A value read by the schema's input type `T`, or `None` if it does not take it.
fn lees<T: InputType>(waarde: Option<ConstValue>) -> Option<T> {
    T::parse(waarde).ok()
}

fn item_veld(naam: &str, set: &Positioned<SelectionSet>) -> Option<ItemVeld> {
    Some(match naam {
        "volgendeActie" => ItemVeld::VolgendeActie(velden(set, |n, s| {
            blad(
                s,
                match n {
                    "actie" => ActieVeld::Actie,
                    "op" => ActieVeld::Op,
                    "gepland" => ActieVeld::Gepland,
                    "__typename" => ActieVeld::Typenaam,
                    _ => return None,
                },
            )
        })?),
        "aandacht" => ItemVeld::Aandacht(velden(set, |n, s| {
            blad(
                s,
                match n {
                    "soort" => AandachtVeld::Soort,
                    "dagen" => AandachtVeld::Dagen,
                    "sinds" => AandachtVeld::Sinds,
                    "op" => AandachtVeld::Op,
                    "actie" => AandachtVeld::Actie,
                    "__typename" => AandachtVeld::Typenaam,
                    _ => return None,
                },
            )
        })?),
        _ => blad(
            set,
            match naam {
                "trajectId" => ItemVeld::TrajectId,
                "clientId" => ItemVeld::ClientId,
                "naam" => ItemVeld::Naam,
                "coach" => ItemVeld::Coach,
                "methode" => ItemVeld::Methode,
                "fase" => ItemVeld::Fase,
                "aanmelding" => ItemVeld::Aanmelding,
                "laatsteGebeurtenis" => ItemVeld::LaatsteGebeurtenis,
                "dagenWerk" => ItemVeld::DagenWerk,
                "dagenOnonderbrokenWerk" => ItemVeld::DagenOnonderbrokenWerk,
                "duurzaamBereiktOp" => ItemVeld::DuurzaamBereiktOp,
                "contractEindigtOp" => ItemVeld::ContractEindigtOp,
                "werkgeverscontactUiterlijk" => ItemVeld::WerkgeverscontactUiterlijk,
                "cursor" => ItemVeld::Cursor,
                "__typename" => ItemVeld::Typenaam,
                _ => return None,
            },
        )?,
    })
}

/// What the direct path answers.
pub enum Antwoord {
    /// The response's JSON (data only).
    Json(Vec<u8>),
    /// A response with an error, for the same handling as the engine's.
    Fout(async_graphql::Response),
}

/// `{"data": {key: page}}`, the rows written from the read model's rows by the schema's own
/// conversions (`Methode`, `Fase`, `Datum`, `VolgendeActie`, `Aandachtspunt`), the names
/// from the vault.
struct Data<'a> {
    plan: &'a Plan,
    pagina: &'a Pagina,
    omgeving: &'a Omgeving,
}

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut data = s.serialize_map(Some(1))?;
        data.serialize_entry("data", &Wortel(self))?;
        data.end()
    }
}

struct Wortel<'a, 'b>(&'b Data<'a>);

impl Serialize for Wortel<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0.plan.sleutel.as_str(), &PaginaUit(self.0))?;
        m.end()
    }
}

struct PaginaUit<'a, 'b>(&'b Data<'a>);

impl Serialize for PaginaUit<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = &self.0.pagina.pagina;
        let mut m = s.serialize_map(Some(self.0.plan.velden.len()))?;
        for (sleutel, veld) in &self.0.plan.velden {
            let k = sleutel.as_str();
            match veld {
                PaginaVeld::Items(velden) => m.serialize_entry(k, &Rijen(self.0, velden))?,
                PaginaVeld::Volgende => m.serialize_entry(k, &p.volgende)?,
                PaginaVeld::Totaal => m.serialize_entry(k, &p.totaal)?,
                PaginaVeld::Positie => {
                    m.serialize_entry(k, &self.0.pagina.positie.map(|p| Tekst(p.0)))?
                }
                PaginaVeld::Typenaam => m.serialize_entry(k, "Caseload")?,
            }
        }
        m.end()
    }
}

struct Rijen<'a, 'b>(&'b Data<'a>, &'b [(Name, ItemVeld)]);

impl Serialize for Rijen<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let regels = &self.0.pagina.pagina.regels;
        let mut l = s.serialize_seq(Some(regels.len()))?;
        for regel in regels {
            l.serialize_element(&Rij(regel, self.1, self.0.omgeving))?;
        }
        l.end()
    }
}

/// A value written as its text (a store position).
struct Tekst<T: std::fmt::Display>(T);

impl<T: std::fmt::Display> Serialize for Tekst<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// An enum value as the engine writes it: its GraphQL name.
struct Naam<T: EnumType>(T);

impl<T: EnumType> Serialize for Naam<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match T::items().iter().find(|i| i.value == self.0) {
            Some(item) => s.serialize_str(item.name),
            None => Err(serde::ser::Error::custom("een waarde zonder naam")),
        }
    }
}

/// A date as the engine writes it.
struct Dag(Datum);

impl Dag {
    fn van(d: chrono::NaiveDate) -> Self {
        Dag(Datum(d))
    }
}

impl Serialize for Dag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.schrijf(&mut [0; 10]) {
            Some(tekst) => s.serialize_str(tekst),
            None => s.serialize_str(&self.0.tekst()),
        }
    }
}

/// An id as the schema's `ID` writes it: the UUID's hyphenated lowercase text.
struct Id(uuid::Uuid);

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(
            self.0
                .hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
        )
    }
}

struct Rij<'a>(&'a CaseloadRegel, &'a [(Name, ItemVeld)], &'a Omgeving);

impl Serialize for Rij<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(Some(self.1.len()))?;
        for (sleutel, veld) in self.1 {
            let k = sleutel.as_str();
            match veld {
                ItemVeld::TrajectId => m.serialize_entry(k, &Id(r.traject_id.as_uuid()))?,
                ItemVeld::ClientId => m.serialize_entry(k, &Id(r.client_id.as_uuid()))?,
                ItemVeld::Naam => {
                    m.serialize_entry(k, &self.2.kluis.naam(r.client_id.as_uuid()))?
                }
                ItemVeld::Coach => m.serialize_entry(k, &r.coach.as_ref().map(|c| c.as_str()))?,
                ItemVeld::Methode => m.serialize_entry(k, &Naam(Methode::from(r.methode)))?,
                ItemVeld::Fase => m.serialize_entry(k, &Naam(Fase::from(r.fase)))?,
                ItemVeld::Aanmelding => m.serialize_entry(k, &Dag::van(r.aanmelding))?,
                ItemVeld::LaatsteGebeurtenis => {
                    m.serialize_entry(k, &Dag::van(r.laatste_gebeurtenis))?
                }
                ItemVeld::DagenWerk | ItemVeld::DagenOnonderbrokenWerk => {
                    m.serialize_entry(k, &r.dagen_ononderbroken_werk)?
                }
                ItemVeld::DuurzaamBereiktOp => {
                    m.serialize_entry(k, &r.duurzaam_bereikt_op.map(Dag::van))?
                }
                ItemVeld::VolgendeActie(velden) => m.serialize_entry(
                    k,
                    &r.volgende_actie
                        .map(|a| Actie(VolgendeActie::from(a), velden)),
                )?,
                ItemVeld::ContractEindigtOp => {
                    m.serialize_entry(k, &r.contract_eindigt_op.map(Dag::van))?
                }
                ItemVeld::WerkgeverscontactUiterlijk => {
                    m.serialize_entry(k, &r.werkgeverscontact_uiterlijk.map(Dag::van))?
                }
                ItemVeld::Aandacht(velden) => m.serialize_entry(k, &Punten(&r.signalen, velden))?,
                ItemVeld::Cursor => m.serialize_entry(k, &r.cursor)?,
                ItemVeld::Typenaam => m.serialize_entry(k, "CaseloadItem")?,
            }
        }
        m.end()
    }
}

struct Actie<'a>(VolgendeActie, &'a [(Name, ActieVeld)]);

impl Serialize for Actie<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = &self.0;
        let mut m = s.serialize_map(Some(self.1.len()))?;
        for (sleutel, veld) in self.1 {
            let k = sleutel.as_str();
            match veld {
                ActieVeld::Actie => m.serialize_entry(k, &Naam(a.actie))?,
                ActieVeld::Op => m.serialize_entry(k, &Dag(a.op))?,
                ActieVeld::Gepland => m.serialize_entry(k, &Dag(a.gepland))?,
                ActieVeld::Typenaam => m.serialize_entry(k, "VolgendeActie")?,
            }
        }
        m.end()
    }
}

struct Punten<'a>(&'a [Signaal], &'a [(Name, AandachtVeld)]);

impl Serialize for Punten<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut l = s.serialize_seq(Some(self.0.len()))?;
        for signaal in self.0 {
            l.serialize_element(&Punt(Aandachtspunt::from(signaal), self.1))?;
        }
        l.end()
    }
}

struct Punt<'a>(Aandachtspunt, &'a [(Name, AandachtVeld)]);

impl Serialize for Punt<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = &self.0;
        let mut m = s.serialize_map(Some(self.1.len()))?;
        for (sleutel, veld) in self.1 {
            let k = sleutel.as_str();
            match veld {
                AandachtVeld::Soort => m.serialize_entry(k, &p.soort)?,
                AandachtVeld::Dagen => m.serialize_entry(k, &p.dagen)?,
                AandachtVeld::Sinds => m.serialize_entry(k, &p.sinds.map(Dag))?,
                AandachtVeld::Op => m.serialize_entry(k, &p.op.map(Dag))?,
                AandachtVeld::Actie => m.serialize_entry(k, &p.actie.map(Naam))?,
                AandachtVeld::Typenaam => m.serialize_entry(k, "Aandachtspunt")?,
            }
        }
        m.end()
    }
}
