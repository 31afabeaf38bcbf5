// A form for every event of the catalogue: its fields, the rules they are checked against in
// the browser, when it applies, and the mutation it sends.
import type { Client, CombinedError, OperationResult } from 'urql';
import { graphql } from './gql';
import type {
  ActieSoort,
  AfsluitingsReden,
  BeeindigingsReden,
  Contract,
  Fase,
  HeropeningsReden,
  IntrekkingsReden,
  OpschalingsReden,
  Uitkering,
} from './gql/graphql';
import { ACTIESOORT, KEUZELIJSTEN, keuzeTekst, waarden, type Keuzelijst, type Optie } from './keuzelijsten';
import * as r from './validatie';
import { datumTekst, woorden } from './ui';

export const TrajectVelden = graphql(`
  fragment TrajectVelden on Traject {
    id
    clientId
    revisie
    coach
    methode
    regio
    organisatie
    status {
      peildatum
      beleid
      fase
      waakvlam
      werkSinds
      inKwalificerendWerk
      dagenWerk
      duurzaamVanaf
      duurzaamBereiktOp
      volgendeActie {
        actie
        op
        gepland
      }
    }
    lopendePlaatsingen {
      id
      start
      laatsteWerkdag
      betaald
      regulierBetaald
      kwalificeert
      urenPerWeek
    }
    sleuteldata {
      aanmelding
      intake
      eersteWerkgeverscontact
      eersteKwalificerendePlaatsing
      duurzaamBereikt
      afsluiting
    }
    tijdlijn {
      eventId
      revisie
      datum
      opgenomenOp
      soort
      gegevens
      ingetrokken
    }
  }
`);

const IntakeAfronden = graphql(`
  mutation IntakeAfronden($w: Wijziging!, $coach: String, $uitkering: Uitkering!, $ggz: Boolean!) {
    intakeAfronden(wijziging: $w, coach: $coach, uitkering: $uitkering, inGgzBehandeling: $ggz) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const CoachToewijzen = graphql(`
  mutation CoachToewijzen($w: Wijziging!, $coach: String!) {
    coachToewijzen(wijziging: $w, coach: $coach) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Werkgeverscontact = graphql(`
  mutation Werkgeverscontact($w: Wijziging!, $werkgever: String!, $persoonlijk: Boolean!) {
    werkgeverscontact(wijziging: $w, werkgever: $werkgever, persoonlijk: $persoonlijk) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const PlaatsingStarten = graphql(`
  mutation PlaatsingStarten($w: Wijziging!, $p: PlaatsingInvoer!) {
    plaatsingStarten(wijziging: $w, plaatsing: $p) {
      revisie
      plaatsingId
      traject { ...TrajectVelden }
    }
  }
`);
const PlaatsingBeeindigen = graphql(`
  mutation PlaatsingBeeindigen($w: Wijziging!, $id: ID!, $reden: BeeindigingsReden!) {
    plaatsingBeeindigen(wijziging: $w, plaatsingId: $id, reden: $reden) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const UrenWijzigen = graphql(`
  mutation UrenWijzigen($w: Wijziging!, $id: ID!, $uren: Float!) {
    urenWijzigen(wijziging: $w, plaatsingId: $id, urenPerWeek: $uren) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const WaakvlamInzetten = graphql(`
  mutation WaakvlamInzetten($w: Wijziging!) {
    waakvlamInzetten(wijziging: $w) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Opschalen = graphql(`
  mutation Opschalen($w: Wijziging!, $reden: OpschalingsReden!) {
    opschalen(wijziging: $w, reden: $reden) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Afsluiten = graphql(`
  mutation Afsluiten($w: Wijziging!, $reden: AfsluitingsReden!, $bevestigDuurzaam: Boolean!) {
    afsluiten(wijziging: $w, reden: $reden, bevestigDuurzaam: $bevestigDuurzaam) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Heropenen = graphql(`
  mutation Heropenen($w: Wijziging!, $reden: HeropeningsReden!) {
    heropenen(wijziging: $w, reden: $reden) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const ActiePlannen = graphql(`
  mutation ActiePlannen($w: Wijziging!, $actie: ActieSoort!, $op: NaiveDate!) {
    actiePlannen(wijziging: $w, actie: $actie, op: $op) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Intrekken = graphql(`
  mutation Intrekken($intrekking: IntrekkingInvoer!) {
    intrekken(intrekking: $intrekking) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);

/** The events of the catalogue as the timeline names them. */
export const SOORTEN: Record<string, string> = {
  TrajectAangemeld: 'Aangemeld',
  IntakeAfgerond: 'Intake afgerond',
  CoachToegewezen: 'Andere coach',
  WerkgeverContactGelegd: 'Werkgeverscontact',
  PlaatsingGestart: 'Plaatsing gestart',
  PlaatsingBeeindigd: 'Plaatsing beëindigd',
  UrenGewijzigd: 'Uren gewijzigd',
  WaakvlamIngezet: 'Naar waakvlam',
  Opgeschaald: 'Opgeschaald',
  TrajectAfgesloten: 'Afgesloten',
  TrajectHeropend: 'Heropend',
  ActieGepland: 'Volgende actie gepland',
  GebeurtenisIngetrokken: 'Gebeurtenis ingetrokken',
  PersoonsgegevensGewist: 'Persoonsgegevens gewist',
};

/**
 * The timeline in the order of the domain's dates (the day each event happened, `datum`), the
 * recording order within a day; an event without a date of its own by the day it was recorded.
 */
export function opDatum<T extends { datum?: string | null; opgenomenOp: string; revisie?: number | null }>(tijdlijn: readonly T[]): T[] {
  const dag = (t: T) => t.datum ?? t.opgenomenOp.slice(0, 10);
  return tijdlijn
    .map((t, i) => ({ t, i }))
    .sort((a, b) => dag(a.t).localeCompare(dag(b.t)) || a.t.opgenomenOp.localeCompare(b.t.opgenomenOp) || a.i - b.i)
    .map(({ t }) => t);
}

/** A moment of recording in words: `4 dec 2026 om 09:15`. */
export function tijdstipTekst(moment: string): string {
  const d = new Date(moment);
  if (Number.isNaN(d.getTime())) return moment;
  const dag = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return `${datumTekst(dag)} om ${d.toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' })}`;
}

/** Events that cannot be retracted: the start of the trajectory, a retraction, an erasure. */
export const NIET_INTREKBAAR = new Set(['TrajectAangemeld', 'GebeurtenisIngetrokken', 'PersoonsgegevensGewist']);

/** An event's name in the timeline. */
export function soortTekst(soort: string): string {
  return SOORTEN[soort] ?? woorden(soort);
}

/** Free text that can name the client: the server sends it as null once the client is erased. */
const VRIJE_TEKST = new Set(['werkgever', 'functie']);

/**
 * An event's data in words: `uren per week: 24, contract: Vast, betaald: ja`. Ids and the date
 * (which has its own column) are left out; a value of a closed list reads as its label (the
 * reason by the event `soort`), dates as elsewhere on screen; an erased client's employer and
 * job title read "gewist".
 */
export function gegevensTekst(g: Record<string, unknown>, soort?: string, coachNaam?: (id: string) => string): string {
  const namen = (soort && VELDNAMEN[soort]) || {};
  if (coachNaam && typeof g.coach === 'string') g = { ...g, coach: coachNaam(g.coach) };
  return Object.entries(g)
    .filter(([k, v]) => (VRIJE_TEKST.has(k) || (v !== null && v !== undefined)) && k !== 'datum' && !/(^|_)id$|Id$/.test(k))
    .map(([k, v]) => `${namen[k] ?? k.replace(/_/g, ' ')}: ${VRIJE_TEKST.has(k) && v == null ? 'gewist' : waardeTekst(k, v, soort)}`)
    .join(', ');
}

/** Fields an event names otherwise than the catalogue does, by the event's type. */
const VELDNAMEN: Record<string, Record<string, string>> = {
  UrenGewijzigd: { uren_per_week: 'nieuwe uren per week' },
  ActieGepland: { op: 'gepland voor' },
};

function waardeTekst(veld: string, v: unknown, soort?: string): string {
  if (typeof v === 'boolean') return v ? 'ja' : 'nee';
  if (typeof v === 'number') return v.toLocaleString('nl-NL');
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return datumTekst(v);
    return keuzeTekst(veld, v, soort) ?? (/^[A-Z][A-Za-z]+$/.test(v) ? woorden(v) : v);
  }
  if (typeof v === 'object' && v !== null) {
    const delen = Object.entries(v as Record<string, unknown>).filter(([, w]) => w !== null && w !== undefined);
    if (delen.length === 1) return waardeTekst(delen[0][0], delen[0][1], soort);
    return delen.map(([k, w]) => `${k.replace(/_/g, ' ')} ${waardeTekst(k, w, soort)}`).join(' ');
  }
  return String(v);
}

/** Below this many hours a week a placement does not count towards duurzaam on its own. */
export const MIN_UREN = 12;

/**
 * What hours below the minimum mean for duurzaam, in words. Under policy v2 (the default) the
 * hours of concurrent paid, regular placements are added up; under v1 each placement must reach
 * the minimum itself.
 */
export function urenUitleg(beleid?: string | null): string {
  if (beleid === 'duurzaam-v1') return `Minder dan ${MIN_UREN} uur per week telt niet mee voor duurzaam.`;
  return (
    `Minder dan ${MIN_UREN} uur per week telt op zichzelf niet mee voor duurzaam. ` +
    `Met ander betaald, regulier werk in dezelfde tijd worden de uren opgeteld; samen minstens ${MIN_UREN} uur per week telt wel.`
  );
}

/** The remark on hours per week: what they mean for duurzaam when below the minimum, else nothing. */
export function urenHint(uren: number, beleid?: string | null): string | undefined {
  return uren > 0 && uren < MIN_UREN ? urenUitleg(beleid) : undefined;
}

/** Hours as typed (`7,5`) as a number; NaN when they are no number. */
export function urenGetal(tekst: string): number {
  const t = tekst.trim().replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
}

export type VeldSoort = 'tekst' | 'datum' | 'keuze' | 'vink' | 'uren';

export interface VeldDef {
  naam: string;
  label: string;
  soort: VeldSoort;
  opties?: readonly (string | Optie)[];
  /** For a choice of a closed list of the schema: which one (its options are that list's). */
  keuzelijst?: Keuzelijst;
  regel?: r.Regel;
  uitleg?: string;
  /** A remark on the value typed so far, shown with the field's explanation. */
  opmerking?: (w: Record<string, string>) => string | undefined;
  standaard?: string;
  /** For a choice: the first, empty option that asks to choose (the field then starts empty). */
  kies?: string;
  /** For a choice without options: what the form says instead of showing an empty list. */
  geenOpties?: string;
  /** Shown only when this returns true for the values typed so far. */
  zichtbaar?: (w: Record<string, string>) => boolean;
}

/** A coach of the organisation's team with their open caseload (the `team` query). */
export interface Teamlid {
  coach: string;
  openTrajecten: number;
}

/** What a form may offer to choose from on this trajectory. */
export interface Context {
  plaatsingen: Optie[];
  gebeurtenissen: Optie[];
  isCoach: boolean;
  /** The duurzaam policy of the trajectory's status (`duurzaam-v2`), if known. */
  beleid?: string | null;
  /** The coaches of the organisation's team (fetched for a teamleider); `undefined` while they load. */
  team?: readonly Teamlid[];
  /** Why the team could not be fetched, if it could not. */
  teamFout?: string;
}

/** What every change carries: the trajectory and the revision the user saw. */
export interface Basis {
  trajectId: string;
  revisie: number;
}

/** What the server answered to a form: its error, or for a new placement the placement's id. */
export interface Uitkomst {
  error?: CombinedError;
  plaatsingId?: string | null;
}

/** A refusal the user may overrule by confirming, and the field that then sends the confirmation. */
export interface Bevestiging {
  /** The rule (`extensions.regel`) of the refusal. */
  regel: string;
  /** The checkbox's field name. */
  naam: string;
  label: string;
  /** Whether the confirmation still applies to the values as they are now. */
  geldt: (w: Record<string, string>) => boolean;
}

export interface Formulier {
  naam: string;
  titel: string;
  /** The phases in which it applies. */
  fasen: Fase[];
  alleenTeamleider?: boolean;
  /** Said above the fields. */
  uitleg?: string;
  /** What the message after recording calls it, if not the title in lower case. */
  vastgelegd?: string;
  /** Whether it has no date of its own (the server dates it the day it is recorded). */
  zonderDatum?: boolean;
  /** The message after recording, where the title and the date do not say what was recorded. */
  bericht?: (w: Record<string, string>) => string;
  velden: (c: Context) => VeldDef[];
  bevestiging?: Bevestiging;
  verstuur: (client: Client, b: Basis, v: Record<string, string>) => Promise<Uitkomst>;
}

const ja = (v: string) => v === 'true';
const OPEN: Fase[] = ['Aangemeld', 'Zoekend', 'Geplaatst', 'Waakvlam'];

/** The change of an event that has a date: the day it happened, as typed. */
function wijziging(b: Basis, v: Record<string, string>) {
  return { trajectId: b.trajectId, revisie: b.revisie, datum: v.datum.trim() };
}

/** Sends a mutation and keeps its error. */
async function stuur(resultaat: Promise<OperationResult>): Promise<Uitkomst> {
  const { error } = await resultaat;
  return { error };
}

function datumVeld(label = 'Datum'): VeldDef {
  return { naam: 'datum', label, soort: 'datum', regel: (v) => r.gebeurtenisdatum(v) };
}

/** A choice of one of the schema's closed lists. */
function keuzeVeld(naam: string, label: string, lijst: Keuzelijst): VeldDef {
  return { naam, label, soort: 'keuze', keuzelijst: lijst, opties: KEUZELIJSTEN[lijst], regel: r.keuze(waarden(lijst)) };
}

/** Hours per week, with what hours below the minimum mean for duurzaam. */
function urenVeld(label: string, c: Context): VeldDef {
  return {
    naam: 'urenPerWeek',
    label,
    soort: 'uren',
    regel: r.uren,
    uitleg: 'Meer dan 0, hoogstens 60.',
    opmerking: (w) => urenHint(urenGetal(w.urenPerWeek ?? ''), c.beleid),
  };
}

/** `1 lopend traject`, `18 lopende trajecten`. */
export function lopendeTrajectenTekst(aantal: number): string {
  return aantal === 1 ? '1 lopend traject' : `${aantal.toLocaleString('nl-NL')} lopende trajecten`;
}

/** The coach of a trajectory: one of the organisation's team, chosen from a list (the server accepts no other). */
function coachVeld(c: Context): VeldDef {
  const team = c.team ?? [];
  return {
    naam: 'coach',
    label: 'Coach',
    soort: 'keuze',
    opties: team.map((t) => ({ waarde: t.coach, tekst: `${t.coach} (${lopendeTrajectenTekst(t.openTrajecten)})` })),
    kies: 'Kies een coach',
    geenOpties: c.teamFout
      ? `De coaches van het team konden niet worden geladen: ${c.teamFout}`
      : c.team === undefined
        ? 'De coaches van het team worden geladen…'
        : 'Er staan nog geen coaches in het team; voeg ze toe op de pagina Team.',
    regel: (v) => (team.some((t) => t.coach === v) ? undefined : 'kies een coach uit het team'),
  };
}

/** A running placement, chosen from a list. */
function plaatsingVeld(c: Context): VeldDef {
  return {
    naam: 'plaatsingId',
    label: 'Plaatsing',
    soort: 'keuze',
    opties: c.plaatsingen,
    geenOpties: 'Er loopt nu geen plaatsing.',
    regel: (v) => (v ? undefined : 'kies een lopende plaatsing'),
  };
}

export const FORMULIEREN: Formulier[] = [
  {
    naam: 'intakeAfronden',
    titel: 'Intake afgerond',
    fasen: ['Aangemeld'],
    velden: (c) => [
      datumVeld('Datum van de intake'),
      keuzeVeld('uitkering', 'Uitkering', 'Uitkering'),
      { naam: 'inGgzBehandeling', label: 'In ggz-behandeling', soort: 'vink', standaard: 'false' },
      ...(c.isCoach ? [] : [coachVeld(c)]),
    ],
    verstuur: (client, b, v) =>
      stuur(
        client
          .mutation(IntakeAfronden, {
            w: wijziging(b, v),
            coach: v.coach?.trim() || null,
            uitkering: v.uitkering as Uitkering,
            ggz: ja(v.inGgzBehandeling),
          })
          .toPromise(),
      ),
  },
  {
    naam: 'werkgeverscontact',
    titel: 'Werkgeverscontact',
    fasen: ['Zoekend', 'Geplaatst', 'Waakvlam'],
    velden: () => [
      datumVeld(),
      { naam: 'werkgever', label: 'Werkgever', soort: 'tekst', regel: r.label },
      { naam: 'persoonlijk', label: 'Persoonlijk contact (niet alleen mail of telefoon)', soort: 'vink', standaard: 'true' },
    ],
    verstuur: (client, b, v) =>
      stuur(
        client
          .mutation(Werkgeverscontact, { w: wijziging(b, v), werkgever: v.werkgever.trim(), persoonlijk: ja(v.persoonlijk) })
          .toPromise(),
      ),
  },
  {
    naam: 'plaatsingStarten',
    titel: 'Plaatsing gestart',
    fasen: ['Zoekend', 'Geplaatst', 'Waakvlam'],
    velden: (c) => [
      datumVeld('Eerste werkdag'),
      { naam: 'werkgever', label: 'Werkgever', soort: 'tekst', regel: r.label },
      { naam: 'functie', label: 'Functie', soort: 'tekst', regel: r.label },
      urenVeld('Uren per week', c),
      keuzeVeld('contract', 'Contract', 'Contract'),
      {
        naam: 'einddatum',
        label: 'Einddatum van het contract',
        soort: 'datum',
        regel: (v) => (v.trim() === '' ? undefined : r.datum(v)),
        zichtbaar: (w) => w.contract === 'Tijdelijk',
      },
      { naam: 'betaald', label: 'Betaald werk', soort: 'vink', standaard: 'true' },
      { naam: 'regulier', label: 'Regulier (op de gewone arbeidsmarkt)', soort: 'vink', standaard: 'true' },
    ],
    verstuur: async (client, b, v) => {
      const { data, error } = await client
        .mutation(PlaatsingStarten, {
          w: wijziging(b, v),
          p: {
            werkgever: v.werkgever.trim(),
            functie: v.functie.trim(),
            urenPerWeek: urenGetal(v.urenPerWeek),
            contract: v.contract as Contract,
            einddatum: v.contract === 'Tijdelijk' && v.einddatum?.trim() ? v.einddatum.trim() : null,
            betaald: ja(v.betaald),
            regulier: ja(v.regulier),
          },
        })
        .toPromise();
      return { error, plaatsingId: data?.plaatsingStarten.plaatsingId };
    },
  },
  {
    naam: 'urenWijzigen',
    titel: 'Uren gewijzigd',
    fasen: ['Geplaatst', 'Waakvlam'],
    uitleg: 'De nieuwe contracturen van een lopende plaatsing, vanaf de datum hieronder.',
    velden: (c) => [datumVeld('Met ingang van'), plaatsingVeld(c), urenVeld('Nieuwe uren per week', c)],
    verstuur: (client, b, v) =>
      stuur(
        client
          .mutation(UrenWijzigen, { w: wijziging(b, v), id: v.plaatsingId, uren: urenGetal(v.urenPerWeek) })
          .toPromise(),
      ),
  },
  {
    naam: 'plaatsingBeeindigen',
    titel: 'Plaatsing beëindigd',
    fasen: ['Geplaatst', 'Waakvlam'],
    velden: (c) => [datumVeld('Laatste werkdag'), plaatsingVeld(c), keuzeVeld('reden', 'Reden', 'BeeindigingsReden')],
    verstuur: (client, b, v) =>
      stuur(
        client
          .mutation(PlaatsingBeeindigen, { w: wijziging(b, v), id: v.plaatsingId, reden: v.reden as BeeindigingsReden })
          .toPromise(),
      ),
  },
  {
    naam: 'waakvlamInzetten',
    titel: 'Naar waakvlam',
    fasen: ['Zoekend', 'Geplaatst'],
    velden: () => [datumVeld()],
    verstuur: (client, b, v) => stuur(client.mutation(WaakvlamInzetten, { w: wijziging(b, v) }).toPromise()),
  },
  {
    naam: 'opschalen',
    titel: 'Opgeschaald',
    fasen: ['Waakvlam'],
    velden: () => [datumVeld(), keuzeVeld('reden', 'Reden', 'OpschalingsReden')],
    verstuur: (client, b, v) =>
      stuur(client.mutation(Opschalen, { w: wijziging(b, v), reden: v.reden as OpschalingsReden }).toPromise()),
  },
  {
    naam: 'actiePlannen',
    titel: 'Volgende actie plannen',
    fasen: OPEN,
    uitleg: 'Wat u als eerstvolgende met deze cliënt doet, en wanneer. Een nieuwe planning vervangt de vorige.',
    bericht: (v) => `Vastgelegd: volgende actie ${ACTIESOORT[v.actie as ActieSoort] ?? v.actie} op ${datumTekst(v.op)}.`,
    velden: () => [
      keuzeVeld('actie', 'Actie', 'ActieSoort'),
      {
        naam: 'op',
        label: 'Datum van de actie',
        soort: 'datum',
        regel: (v) => r.actiedatum(v),
        uitleg: 'Op of na de dag waarop u het plant, hoogstens een jaar later.',
      },
      { ...datumVeld('Gepland op'), uitleg: 'De dag waarop u dit plant, meestal vandaag.' },
    ],
    verstuur: (client, b, v) =>
      stuur(
        client
          .mutation(ActiePlannen, { w: wijziging(b, v), actie: v.actie as ActieSoort, op: v.op.trim() })
          .toPromise(),
      ),
  },
  {
    naam: 'coachToewijzen',
    titel: 'Andere coach',
    fasen: OPEN,
    alleenTeamleider: true,
    velden: (c) => [datumVeld(), coachVeld(c)],
    verstuur: (client, b, v) => stuur(client.mutation(CoachToewijzen, { w: wijziging(b, v), coach: v.coach }).toPromise()),
  },
  {
    naam: 'afsluiten',
    titel: 'Afgesloten',
    fasen: OPEN,
    velden: () => [datumVeld('Laatste dag van de meting'), keuzeVeld('reden', 'Reden', 'AfsluitingsReden')],
    // Closing as DuurzaamAanHetWerk while the status does not show duurzaam on that day is
    // refused until the coach confirms it.
    bevestiging: {
      regel: 'duurzaam_niet_bereikt',
      naam: 'bevestigDuurzaam',
      label: 'Ik bevestig dat de cliënt duurzaam aan het werk is, ook al toont de status dat niet',
      geldt: (w) => w.reden === 'DuurzaamAanHetWerk',
    },
    verstuur: (client, b, v) =>
      stuur(
        client
          .mutation(Afsluiten, {
            w: wijziging(b, v),
            reden: v.reden as AfsluitingsReden,
            bevestigDuurzaam: v.reden === 'DuurzaamAanHetWerk' && ja(v.bevestigDuurzaam),
          })
          .toPromise(),
      ),
  },
  {
    naam: 'heropenen',
    titel: 'Heropend',
    fasen: ['Afgesloten'],
    velden: () => [datumVeld(), keuzeVeld('reden', 'Reden', 'HeropeningsReden')],
    verstuur: (client, b, v) =>
      stuur(client.mutation(Heropenen, { w: wijziging(b, v), reden: v.reden as HeropeningsReden }).toPromise()),
  },
  {
    naam: 'intrekken',
    titel: 'Gebeurtenis intrekken (een vergissing herstellen)',
    fasen: OPEN,
    zonderDatum: true,
    vastgelegd: 'gebeurtenis ingetrokken, met de datum van vandaag',
    uitleg: 'De intrekking krijgt de datum van vandaag; de gebeurtenis blijft zichtbaar, gemarkeerd als ingetrokken.',
    velden: (c) => [
      {
        naam: 'gebeurtenisId',
        label: 'Gebeurtenis',
        soort: 'keuze',
        opties: c.gebeurtenissen,
        geenOpties: 'Er is geen gebeurtenis die kan worden ingetrokken.',
        regel: (v) => (v ? undefined : 'kies de gebeurtenis die niet klopt'),
      },
      keuzeVeld('reden', 'Reden', 'IntrekkingsReden'),
    ],
    verstuur: (client, b, v) =>
      stuur(
        client
          .mutation(Intrekken, {
            intrekking: {
              trajectId: b.trajectId,
              revisie: b.revisie,
              gebeurtenisId: v.gebeurtenisId,
              reden: v.reden as IntrekkingsReden,
            },
          })
          .toPromise(),
      ),
  },
];

/** The starting values of a form: today for dates, the first choice for lists (none where the list asks to choose). */
export function beginwaarden(velden: VeldDef[]): Record<string, string> {
  const w: Record<string, string> = {};
  for (const v of velden) {
    if (v.standaard !== undefined) w[v.naam] = v.standaard;
    else if (v.naam === 'datum') w[v.naam] = r.vandaag();
    else if (v.soort === 'keuze' && v.kies === undefined && v.opties && v.opties.length > 0) {
      const eerste = v.opties[0];
      w[v.naam] = typeof eerste === 'string' ? eerste : eerste.waarde;
    } else w[v.naam] = '';
  }
  return w;
}

/** The rules of the fields shown. */
export function regels(velden: VeldDef[], waarden: Record<string, string>): Record<string, r.Regel> {
  const uit: Record<string, r.Regel> = {};
  for (const v of velden) if (v.regel && (!v.zichtbaar || v.zichtbaar(waarden))) uit[v.naam] = v.regel;
  return uit;
}
