// The figures as the Cijfers screen shows them: every measure the server publishes (counts, the
// closings per reason and the median days to the first employer contact) with its name in words,
// a cell's value of a measure (or that it is hidden: the server's one marker, `verborgen`, never
// why), quarters in words, and the regions of one quarter side by side.
import { AFSLUITINGSREDEN, METHODE } from './keuzelijsten';
import type { Methode } from './gql/graphql';

/** The one marker of a hidden value, as the server writes it in every file. */
export const VERBORGEN = 'verborgen';

/** The median's name in the exports; on the API it is a field of the cell of its own. */
export const MEDIAAN = 'mediaan_dagen_tot_werkgeverscontact';

/** The IPS norm: at most this many days from intake to the first employer contact. */
export const IPS_NORM_DAGEN = 30;

/** The outcomes closings are broken down by, as the server names them (`afgesloten_Uitval`). */
export const AFSLUITUITKOMSTEN = ['afgesloten_DuurzaamAanHetWerk', 'afgesloten_Uitval', 'afgesloten_Overig'] as const;

/** Every measure, in the server's order, with its words. */
export const MATEN: { waarde: string; tekst: string }[] = [
  { waarde: 'aangemeld', tekst: 'Aangemeld' },
  { waarde: 'gestart', tekst: 'Gestart (intake afgerond)' },
  { waarde: 'lopend', tekst: 'Lopend aan het eind van de periode' },
  { waarde: 'eerste_plaatsing', tekst: 'Eerste plaatsing' },
  { waarde: 'duurzaam_bereikt', tekst: 'Duurzaam bereikt' },
  { waarde: 'met_betaald_werk', tekst: 'Met betaald werk aan het eind van de periode' },
  { waarde: 'in_waakvlam', tekst: 'In waakvlam aan het eind van de periode' },
  { waarde: 'opgeschaald', tekst: 'Opgeschaald' },
  { waarde: 'afgesloten', tekst: 'Afgesloten' },
  { waarde: 'afgesloten_DuurzaamAanHetWerk', tekst: `Afgesloten: ${AFSLUITINGSREDEN.DuurzaamAanHetWerk.toLowerCase()}` },
  { waarde: 'afgesloten_Uitval', tekst: `Afgesloten: ${AFSLUITINGSREDEN.Uitval.toLowerCase()}` },
  { waarde: 'afgesloten_Overig', tekst: 'Afgesloten: andere reden' },
  { waarde: MEDIAAN, tekst: 'Dagen van intake tot eerste werkgeverscontact (mediaan)' },
];

/** The column heads of the closings per reason. */
export const AFSLUITREDEN_KOP: Record<(typeof AFSLUITUITKOMSTEN)[number], string> = {
  afgesloten_DuurzaamAanHetWerk: AFSLUITINGSREDEN.DuurzaamAanHetWerk,
  afgesloten_Uitval: AFSLUITINGSREDEN.Uitval,
  afgesloten_Overig: 'Andere reden (verhuisd, geen werkwens, overleden, anders)',
};

/** A measure's words; an unknown measure (a newer server's) in words of its name. */
export function maatTekst(maat: string): string {
  return MATEN.find((m) => m.waarde === maat)?.tekst ?? maat.replace(/_/g, ' ');
}

/** A method's words, `totaal` as "Alle methoden". */
export function methodeTekst(methode: string): string {
  if (methode === 'totaal') return 'Alle methoden';
  return METHODE[methode as Methode] ?? methode;
}

/** `2025Q3` as "3e kwartaal 2025", a year `2025` as it is. */
export function kwartaalTekst(periode: string): string {
  const m = /^(\d{4})Q([1-4])$/.exec(periode);
  return m ? `${m[2]}e kwartaal ${m[1]}` : periode;
}

/** `2025Q3` as "K3 2025", short for the axis of a chart. */
export function kwartaalKort(periode: string): string {
  const m = /^(\d{4})Q([1-4])$/.exec(periode);
  return m ? `K${m[2]} ${m[1]}` : periode;
}

/** What a cell holds (the parts of the API's `CijferCel` used here). */
export interface CelGegevens {
  regio: string;
  regionaam: string;
  periode: string;
  methode: string;
  maten: readonly { maat: string; waarde?: number | null; verborgen: boolean }[];
  mediaanDagenTotWerkgeverscontact?: number | null;
}

/** One value as shown: a number, or hidden. */
export interface CelWaarde {
  waarde: number | null;
  verborgen: boolean;
}

/**
 * The value of `maat` in `cel`: the count, or that it is hidden; the median, hidden when the
 * server gives none (it is then not publishable). `undefined` when the cell or measure is absent.
 */
export function waardeVan(cel: CelGegevens | undefined, maat: string): CelWaarde | undefined {
  if (!cel) return undefined;
  if (maat === MEDIAAN) {
    const m = cel.mediaanDagenTotWerkgeverscontact;
    return m === null || m === undefined ? { waarde: null, verborgen: true } : { waarde: m, verborgen: false };
  }
  const w = cel.maten.find((x) => x.maat === maat);
  if (!w) return undefined;
  return w.verborgen ? { waarde: null, verborgen: true } : { waarde: w.waarde ?? null, verborgen: false };
}

/** A value in words: `verborgen`, a dash when absent, else the number in Dutch notation. */
export function waardeTekst(w: CelWaarde | undefined): string {
  if (!w) return '–';
  if (w.verborgen) return VERBORGEN;
  if (w.waarde === null) return '–';
  return w.waarde.toLocaleString('nl-NL', { maximumFractionDigits: 1 });
}

/** The periods of `cellen`, in the server's order (quarters in order), without repeats. */
export function perioden(cellen: readonly CelGegevens[]): string[] {
  return [...new Set(cellen.map((c) => c.periode))];
}

/** The methods of `cellen` in the server's order (the methods, then `totaal`). */
export function methoden(cellen: readonly CelGegevens[]): string[] {
  return [...new Set(cellen.map((c) => c.methode))];
}

/** One row of the regions side by side: a region (or the nation) and its value per method. */
export interface RegioRij {
  regio: string;
  regionaam: string;
  landelijk: boolean;
  waarden: Record<string, CelWaarde | undefined>;
}

/**
 * The regions of one quarter side by side for one measure: a row per region in the server's
 * order (by code) and the national row last, a value per method.
 */
export function regiosNaastElkaar(cellen: readonly CelGegevens[], periode: string, maat: string): RegioRij[] {
  const rijen = new Map<string, RegioRij>();
  for (const c of cellen) {
    if (c.periode !== periode) continue;
    let rij = rijen.get(c.regio);
    if (!rij) {
      rij = { regio: c.regio, regionaam: c.regionaam, landelijk: c.regio === 'NL', waarden: {} };
      rijen.set(c.regio, rij);
    }
    rij.waarden[c.methode] = waardeVan(c, maat);
  }
  const alle = [...rijen.values()];
  return [...alle.filter((r) => !r.landelijk), ...alle.filter((r) => r.landelijk)];
}

/**
 * The quarter to show first: the latest quarter with a release, else the latest quarter with
 * figures; `undefined` when there are none.
 */
export function standaardKwartaal(beschikbaar: readonly string[], vrijgegeven: readonly string[]): string | undefined {
  const kwartalen = beschikbaar.filter((p) => /Q[1-4]$/.test(p));
  const vrij = kwartalen.filter((p) => vrijgegeven.includes(p));
  return vrij.at(-1) ?? kwartalen.at(-1);
}

/** The duurzaam policy version (`duurzaam-v2`) in words. */
export function beleidTekst(versie: string): string {
  const m = /^duurzaam-v(\d+)$/.exec(versie);
  return m ? `duurzaambeleid versie ${m[1]}` : `duurzaambeleid ${versie}`;
}
