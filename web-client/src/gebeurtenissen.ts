// A form for every event of the catalogue: its fields, the rules they are checked against in
// the browser, when it applies, and the mutation it sends.
import type { Client, OperationResult } from 'urql';
import { graphql } from './gql';
import type { Fase } from './gql/graphql';
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
      dagenOnonderbrokenWerk
      duurzaamVanaf
      duurzaamBereiktOp
    }
    lopendePlaatsingen {
      id
      start
      laatsteWerkdag
      betaald
      regulierBetaald
      kwalificeert
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
  mutation IntakeAfronden($w: Wijziging!, $coach: String, $uitkering: String!, $ggz: Boolean!) {
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
      traject { ...TrajectVelden }
    }
  }
`);
const PlaatsingBeeindigen = graphql(`
  mutation PlaatsingBeeindigen($w: Wijziging!, $id: ID!, $reden: String!) {
    plaatsingBeeindigen(wijziging: $w, plaatsingId: $id, reden: $reden) {
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
  mutation Opschalen($w: Wijziging!, $reden: String!) {
    opschalen(wijziging: $w, reden: $reden) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Afsluiten = graphql(`
  mutation Afsluiten($w: Wijziging!, $reden: String!) {
    afsluiten(wijziging: $w, reden: $reden) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Heropenen = graphql(`
  mutation Heropenen($w: Wijziging!, $reden: String!) {
    heropenen(wijziging: $w, reden: $reden) {
      revisie
      traject { ...TrajectVelden }
    }
  }
`);
const Intrekken = graphql(`
  mutation Intrekken($w: Wijziging!, $eventId: ID!, $reden: String!) {
    intrekken(wijziging: $w, eventId: $eventId, reden: $reden) {
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
  WaakvlamIngezet: 'Naar waakvlam',
  Opgeschaald: 'Opgeschaald',
  TrajectAfgesloten: 'Afgesloten',
  TrajectHeropend: 'Heropend',
  GebeurtenisIngetrokken: 'Gebeurtenis ingetrokken',
  PersoonsgegevensGewist: 'Persoonsgegevens gewist',
};

/** An event's name in the timeline. */
export function soortTekst(soort: string): string {
  return SOORTEN[soort] ?? woorden(soort);
}

/** Free text that can name the client: the server sends it as null once the client is erased. */
const VRIJE_TEKST = new Set(['werkgever', 'functie']);

/**
 * An event's data in words: `uren per week: 24, contract: Vast, betaald: ja`. Ids and the date
 * (which has its own column) are left out; codes and dates are written as elsewhere on screen;
 * an erased client's employer and job title read "gewist".
 */
export function gegevensTekst(g: Record<string, unknown>): string {
  return Object.entries(g)
    .filter(([k, v]) => (VRIJE_TEKST.has(k) || (v !== null && v !== undefined)) && k !== 'datum' && !/(^|_)id$|Id$/.test(k))
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${VRIJE_TEKST.has(k) && v == null ? 'gewist' : waardeTekst(v)}`)
    .join(', ');
}

function waardeTekst(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'ja' : 'nee';
  if (typeof v === 'number') return v.toLocaleString('nl-NL');
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(v) ? datumTekst(v) : /^[A-Z][A-Za-z]+$/.test(v) ? woorden(v) : v;
  if (typeof v === 'object' && v !== null) {
    const delen = Object.entries(v as Record<string, unknown>).filter(([, w]) => w !== null && w !== undefined);
    if (delen.length === 1) return waardeTekst(delen[0][1]);
    return delen.map(([k, w]) => `${k.replace(/_/g, ' ')} ${waardeTekst(w)}`).join(' ');
  }
  return String(v);
}

export type VeldSoort = 'tekst' | 'datum' | 'keuze' | 'vink' | 'uren';

export interface VeldDef {
  naam: string;
  label: string;
  soort: VeldSoort;
  opties?: readonly (string | { waarde: string; tekst: string })[];
  regel?: r.Regel;
  uitleg?: string;
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
  plaatsingen: { waarde: string; tekst: string }[];
  gebeurtenissen: { waarde: string; tekst: string }[];
  isCoach: boolean;
  /** The coaches of the organisation's team (fetched for a teamleider); `undefined` while they load. */
  team?: readonly Teamlid[];
  /** Why the team could not be fetched, if it could not. */
  teamFout?: string;
}

export interface Wijziging {
  trajectId: string;
  revisie: number;
  datum: string;
}

export interface Formulier {
  naam: string;
  titel: string;
  /** The phases in which it applies. */
  fasen: Fase[];
  alleenTeamleider?: boolean;
  velden: (c: Context) => VeldDef[];
  verstuur: (client: Client, w: Wijziging, v: Record<string, string>) => Promise<OperationResult>;
}

const ja = (v: string) => v === 'true';
const OPEN: Fase[] = ['Aangemeld', 'Zoekend', 'Geplaatst', 'Waakvlam'];

function datumVeld(label = 'Datum'): VeldDef {
  return { naam: 'datum', label, soort: 'datum', regel: (v) => r.gebeurtenisdatum(v) };
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

export const FORMULIEREN: Formulier[] = [
  {
    naam: 'intakeAfronden',
    titel: 'Intake afgerond',
    fasen: ['Aangemeld'],
    velden: (c) => [
      datumVeld('Datum van de intake'),
      { naam: 'uitkering', label: 'Uitkering', soort: 'keuze', opties: r.KEUZES.uitkering, regel: r.keuze(r.KEUZES.uitkering) },
      { naam: 'inGgzBehandeling', label: 'In ggz-behandeling', soort: 'vink', standaard: 'false' },
      ...(c.isCoach ? [] : [coachVeld(c)]),
    ],
    verstuur: (client, w, v) =>
      client
        .mutation(IntakeAfronden, { w, coach: v.coach?.trim() || null, uitkering: v.uitkering, ggz: ja(v.inGgzBehandeling) })
        .toPromise(),
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
    verstuur: (client, w, v) =>
      client.mutation(Werkgeverscontact, { w, werkgever: v.werkgever.trim(), persoonlijk: ja(v.persoonlijk) }).toPromise(),
  },
  {
    naam: 'plaatsingStarten',
    titel: 'Plaatsing gestart',
    fasen: ['Zoekend', 'Geplaatst', 'Waakvlam'],
    velden: () => [
      datumVeld('Eerste werkdag'),
      { naam: 'werkgever', label: 'Werkgever', soort: 'tekst', regel: r.label },
      { naam: 'functie', label: 'Functie', soort: 'tekst', regel: r.label },
      { naam: 'urenPerWeek', label: 'Uren per week', soort: 'uren', regel: r.uren, uitleg: 'Meer dan 0, hoogstens 60.' },
      { naam: 'contract', label: 'Contract', soort: 'keuze', opties: r.KEUZES.contract, regel: r.keuze(r.KEUZES.contract) },
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
    verstuur: (client, w, v) =>
      client
        .mutation(PlaatsingStarten, {
          w,
          p: {
            werkgever: v.werkgever.trim(),
            functie: v.functie.trim(),
            urenPerWeek: Number(v.urenPerWeek.trim().replace(',', '.')),
            contract: v.contract,
            einddatum: v.contract === 'Tijdelijk' && v.einddatum?.trim() ? v.einddatum.trim() : null,
            betaald: ja(v.betaald),
            regulier: ja(v.regulier),
          },
        })
        .toPromise(),
  },
  {
    naam: 'plaatsingBeeindigen',
    titel: 'Plaatsing beëindigd',
    fasen: ['Geplaatst', 'Waakvlam'],
    velden: (c) => [
      datumVeld('Laatste werkdag'),
      {
        naam: 'plaatsingId',
        label: 'Plaatsing',
        soort: 'keuze',
        opties: c.plaatsingen,
        regel: (v) => (v ? undefined : 'kies een lopende plaatsing'),
      },
      { naam: 'reden', label: 'Reden', soort: 'keuze', opties: r.KEUZES.beeindiging, regel: r.keuze(r.KEUZES.beeindiging) },
    ],
    verstuur: (client, w, v) => client.mutation(PlaatsingBeeindigen, { w, id: v.plaatsingId, reden: v.reden }).toPromise(),
  },
  {
    naam: 'waakvlamInzetten',
    titel: 'Naar waakvlam',
    fasen: ['Zoekend', 'Geplaatst'],
    velden: () => [datumVeld()],
    verstuur: (client, w) => client.mutation(WaakvlamInzetten, { w }).toPromise(),
  },
  {
    naam: 'opschalen',
    titel: 'Opgeschaald',
    fasen: ['Waakvlam'],
    velden: () => [
      datumVeld(),
      { naam: 'reden', label: 'Reden', soort: 'keuze', opties: r.KEUZES.opschaling, regel: r.keuze(r.KEUZES.opschaling) },
    ],
    verstuur: (client, w, v) => client.mutation(Opschalen, { w, reden: v.reden }).toPromise(),
  },
  {
    naam: 'coachToewijzen',
    titel: 'Andere coach',
    fasen: OPEN,
    alleenTeamleider: true,
    velden: (c) => [datumVeld(), coachVeld(c)],
    verstuur: (client, w, v) => client.mutation(CoachToewijzen, { w, coach: v.coach }).toPromise(),
  },
  {
    naam: 'afsluiten',
    titel: 'Afgesloten',
    fasen: OPEN,
    velden: () => [
      datumVeld('Laatste dag van de meting'),
      { naam: 'reden', label: 'Reden', soort: 'keuze', opties: r.KEUZES.afsluiting, regel: r.keuze(r.KEUZES.afsluiting) },
    ],
    verstuur: (client, w, v) => client.mutation(Afsluiten, { w, reden: v.reden }).toPromise(),
  },
  {
    naam: 'heropenen',
    titel: 'Heropend',
    fasen: ['Afgesloten'],
    velden: () => [
      datumVeld(),
      { naam: 'reden', label: 'Reden', soort: 'keuze', opties: r.KEUZES.heropening, regel: r.keuze(r.KEUZES.heropening) },
    ],
    verstuur: (client, w, v) => client.mutation(Heropenen, { w, reden: v.reden }).toPromise(),
  },
  {
    naam: 'intrekken',
    titel: 'Gebeurtenis intrekken (een vergissing herstellen)',
    fasen: OPEN,
    velden: (c) => [
      datumVeld('Datum van de intrekking'),
      {
        naam: 'eventId',
        label: 'Gebeurtenis',
        soort: 'keuze',
        opties: c.gebeurtenissen,
        regel: (v) => (v ? undefined : 'kies de gebeurtenis die niet klopt'),
      },
      { naam: 'reden', label: 'Reden', soort: 'keuze', opties: r.KEUZES.intrekking, regel: r.keuze(r.KEUZES.intrekking) },
    ],
    verstuur: (client, w, v) => client.mutation(Intrekken, { w, eventId: v.eventId, reden: v.reden }).toPromise(),
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
