// The closed lists of the schema as the screens offer them. The values come from the enums that
// codegen generates from ../schema.graphql (src/gql), never from a list of our own, so a select
// offers exactly what the server accepts, in the schema's order. Each value's label is kept here
// in a `Record<Enum, string>`: a value added to the schema fails the type check until it has one.
import {
  Actie,
  ActieSoort,
  AfsluitingsReden,
  BeeindigingsReden,
  CaseloadSortering,
  Contract,
  Fase,
  Financier,
  HeropeningsReden,
  IntrekkingsReden,
  Methode,
  OpschalingsReden,
  Resultaat,
  Rol,
  Uitkering,
  Verwijzer,
  WisReden,
} from './gql/graphql';

/** One choice of a select: the value sent, and the words shown. */
export interface Optie<T extends string = string> {
  waarde: T;
  tekst: string;
}

/** The choices of a generated enum, in the schema's order, each with its label. */
export function opties<T extends string>(waarden: Readonly<Record<string, T>>, labels: Readonly<Record<T, string>>): Optie<T>[] {
  return Object.values(waarden).map((waarde) => ({ waarde, tekst: labels[waarde] }));
}

export const METHODE: Record<Methode, string> = {
  IPS: 'IPS',
  Jobcoaching: 'Jobcoaching',
  WerkAlsBesteZorg: 'Werk als beste zorg',
};

export const VERWIJZER: Record<Verwijzer, string> = {
  GGZ: 'GGZ',
  Gemeente: 'Gemeente',
  UWV: 'UWV',
  Zorgverzekeraar: 'Zorgverzekeraar',
  Client: 'Cliënt zelf',
  Anders: 'Anders',
};

export const FINANCIER: Record<Financier, string> = {
  Gemeente: 'Gemeente',
  UWV: 'UWV',
  Zorgverzekeraar: 'Zorgverzekeraar',
  GGZ: 'GGZ',
  Anders: 'Anders',
};

export const UITKERING: Record<Uitkering, string> = {
  Participatiewet: 'Participatiewet',
  WIA: 'WIA',
  Wajong: 'Wajong',
  WW: 'WW',
  ZW: 'ZW',
  Geen: 'Geen uitkering',
  Anders: 'Anders',
};

export const CONTRACT: Record<Contract, string> = {
  Vast: 'Vast',
  Tijdelijk: 'Tijdelijk',
  Uitzend: 'Uitzendwerk',
  Oproep: 'Oproepcontract',
  Zelfstandig: 'Zelfstandig',
};

export const BEEINDIGINGSREDEN: Record<BeeindigingsReden, string> = {
  ContractAfgelopen: 'Contract afgelopen',
  OntslagWerkgever: 'Ontslag door de werkgever',
  OntslagWerknemer: 'Ontslag door de werknemer',
  Ziekte: 'Ziekte',
  Anders: 'Anders',
};

export const OPSCHALINGSREDEN: Record<OpschalingsReden, string> = {
  Werkproblemen: 'Werkproblemen',
  PsychischeKlachten: 'Psychische klachten',
  Baanverlies: 'Baanverlies',
  Anders: 'Anders',
};

export const AFSLUITINGSREDEN: Record<AfsluitingsReden, string> = {
  DuurzaamAanHetWerk: 'Duurzaam aan het werk',
  Uitval: 'Uitval',
  Verhuisd: 'Verhuisd',
  GeenWerkwens: 'Geen werkwens',
  Overleden: 'Overleden',
  Anders: 'Anders',
};

export const HEROPENINGSREDEN: Record<HeropeningsReden, string> = {
  NieuweHulpvraag: 'Nieuwe hulpvraag',
  TeVroegAfgesloten: 'Te vroeg afgesloten',
  Anders: 'Anders',
};

export const INTREKKINGSREDEN: Record<IntrekkingsReden, string> = {
  Invoerfout: 'Invoerfout',
  VerkeerdeDatum: 'Verkeerde datum',
  VerkeerdTraject: 'Verkeerd traject',
  Anders: 'Anders',
};

export const WISREDEN: Record<WisReden, string> = {
  VerzoekClient: 'Verzoek van de cliënt (AVG art. 17)',
  BewaartermijnVerstreken: 'Bewaartermijn verstreken',
  Onrechtmatig: 'Onrechtmatig verwerkt',
  Anders: 'Andere reden',
};

export const FASE: Record<Fase, string> = {
  Aangemeld: 'Aangemeld',
  Zoekend: 'Zoekend',
  Geplaatst: 'Geplaatst',
  Waakvlam: 'Waakvlam',
  Afgesloten: 'Afgesloten',
};

export const ACTIESOORT: Record<ActieSoort, string> = {
  Gesprek: 'Gesprek met cliënt',
  Werkgeverscontact: 'Werkgeverscontact',
  Werkplekbezoek: 'Werkplekbezoek',
  AfstemmingBehandelaar: 'Afstemming met behandelaar',
  AfstemmingFinancier: 'Afstemming met financier',
  Evaluatie: 'Evaluatie',
  Anders: 'Anders',
};

export const CASELOADSORTERING: Record<CaseloadSortering, string> = {
  AANMELDING: 'Oudste aanmelding eerst',
  LAATSTE_GEBEURTENIS: 'Langst zonder gebeurtenis eerst',
  FASE: 'Op fase',
};

export const ACTIE: Record<Actie, string> = {
  C: 'Aanmaken (C)',
  R: 'Lezen (R)',
  U: 'Wijzigen (U)',
  D: 'Verwijderen (D)',
  E: 'Uitvoeren (E)',
};

export const RESULTAAT: Record<Resultaat, string> = {
  GELUKT: 'Gelukt',
  GEWEIGERD: 'Geweigerd',
  FOUT: 'Fout',
};

/** The access log names a role as the token does, in lower case (`coach`): the schema's roles so written. */
export const ROLLEN: Optie[] = Object.values(Rol).map((r) => ({ waarde: r.toLowerCase(), tekst: r.toLowerCase() }));

/**
 * Every closed list a screen offers, by the name of its enum in the schema: the forms take their
 * choices from here, and a test holds each against ../schema.graphql.
 */
export const KEUZELIJSTEN = {
  Methode: opties(Methode, METHODE),
  Verwijzer: opties(Verwijzer, VERWIJZER),
  Financier: opties(Financier, FINANCIER),
  Uitkering: opties(Uitkering, UITKERING),
  Contract: opties(Contract, CONTRACT),
  BeeindigingsReden: opties(BeeindigingsReden, BEEINDIGINGSREDEN),
  OpschalingsReden: opties(OpschalingsReden, OPSCHALINGSREDEN),
  AfsluitingsReden: opties(AfsluitingsReden, AFSLUITINGSREDEN),
  HeropeningsReden: opties(HeropeningsReden, HEROPENINGSREDEN),
  IntrekkingsReden: opties(IntrekkingsReden, INTREKKINGSREDEN),
  ActieSoort: opties(ActieSoort, ACTIESOORT),
  WisReden: opties(WisReden, WISREDEN),
  Fase: opties(Fase, FASE),
  CaseloadSortering: opties(CaseloadSortering, CASELOADSORTERING),
  Actie: opties(Actie, ACTIE),
  Resultaat: opties(Resultaat, RESULTAAT),
} as const;

export type Keuzelijst = keyof typeof KEUZELIJSTEN;

/** The values of a list, for the browser's check that a choice is one of them. */
export function waarden(lijst: Keuzelijst): readonly string[] {
  return KEUZELIJSTEN[lijst].map((o) => o.waarde);
}

/**
 * The words for a stored value of a closed list in an event's data, by the field that holds it;
 * `reden` by the event it belongs to. `undefined` when the field holds no such value.
 */
export function keuzeTekst(veld: string, waarde: string, soort?: string): string | undefined {
  const labels = veld === 'reden' ? (soort ? REDENEN[soort] : undefined) : VELDEN[veld];
  return labels?.[waarde];
}

const VELDEN: Record<string, Record<string, string>> = {
  methode: METHODE,
  verwijzer: VERWIJZER,
  financier: FINANCIER,
  uitkering: UITKERING,
  vorm: CONTRACT,
  actie: ACTIESOORT,
};

/** The reason of each event that has one, by the event's type. */
const REDENEN: Record<string, Record<string, string>> = {
  PlaatsingBeeindigd: BEEINDIGINGSREDEN,
  Opgeschaald: OPSCHALINGSREDEN,
  TrajectAfgesloten: AFSLUITINGSREDEN,
  TrajectHeropend: HEROPENINGSREDEN,
  GebeurtenisIngetrokken: INTREKKINGSREDEN,
  PersoonsgegevensGewist: WISREDEN,
};
