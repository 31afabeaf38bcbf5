// The what-if ("wat als") of the business case: the form's fields prefilled from the released
// case (the trajectories counted per method and the region's assumptions, read from the JSON the
// query returns), a number as a Dutch user types it, and the `watAls` input built from what the
// user changed: only the fields that differ from the region's, over which the server reads them
// (businesscase/src/aannames.rs, `Aannames::wat_als`: no `versie` of its own, so the server
// names the version `<region's> + wat-als`). The costs per trajectory-month of a method apply to
// every financier. Percentages on screen are shares (0 to 1) in the JSON. The server checks
// every rule again and names the field and the rule (`extensions.veld`); `foutSleutel` finds the
// form's field for it.
import { Financier, Methode } from './gql/graphql';
import { euroTekst, methodeNaam } from './businesscaseweergave';

/** One assumption as a range, as in the assumptions' JSON. */
export interface Bereik {
  laag: number;
  midden: number;
  hoog: number;
}

export const BEREIK_DELEN = ['laag', 'midden', 'hoog'] as const;
export type BereikDeel = (typeof BEREIK_DELEN)[number];
export const BEREIK_DEEL_TEKST: Record<BereikDeel, string> = { laag: 'Laag', midden: 'Midden', hoog: 'Hoog' };

/** A range as typed in the form. */
export type BereikTekst = Record<BereikDeel, string>;

/** The assumptions the form offers, from the JSON the query returns. */
export interface Aannames {
  versie: string;
  zorgkosten_bron: string;
  kosten_per_trajectmaand: Record<string, Record<string, Bereik>>;
  zorgkosten_effect_werk: Bereik;
  behoud_per_jaar: Bereik;
}

/** The assumptions' JSON read, or `undefined` when it is not what this form knows. */
export function leesAannames(json: string): Aannames | undefined {
  try {
    const a = JSON.parse(json) as Partial<Aannames>;
    if (!a || typeof a !== 'object' || !a.kosten_per_trajectmaand || !isBereik(a.zorgkosten_effect_werk) || !isBereik(a.behoud_per_jaar)) {
      return undefined;
    }
    return a as Aannames;
  } catch {
    return undefined;
  }
}

function isBereik(b: unknown): b is Bereik {
  return !!b && typeof b === 'object' && BEREIK_DELEN.every((d) => typeof (b as Record<string, unknown>)[d] === 'number');
}

export const METHODEN: readonly Methode[] = Object.values(Methode);
const FINANCIERS: readonly Financier[] = Object.values(Financier);

/** What the form starts from: the released case's counts and the region's assumptions. */
export interface Basis {
  trajecten: Record<Methode, number>;
  /** Per method the costs per trajectory-month: the first financier's range. */
  kosten: Record<Methode, Bereik | undefined>;
  /** Per method, whether its financiers' ranges differ (the form sets one for all). */
  kostenVerschillen: Record<Methode, boolean>;
  zorgkostenEffect: Bereik;
  behoud: Bereik;
}

/** The basis of the form from the released case. */
export function basisVan(aannames: Aannames, trajecten: readonly { methode: Methode; geteld: number }[]): Basis {
  const kosten = {} as Record<Methode, Bereik | undefined>;
  const verschillen = {} as Record<Methode, boolean>;
  for (const m of METHODEN) {
    const per = Object.values(aannames.kosten_per_trajectmaand[m] ?? {}).filter(isBereik);
    kosten[m] = per[0];
    verschillen[m] = per.some((b) => !gelijkBereik(b, per[0]));
  }
  return {
    trajecten: Object.fromEntries(METHODEN.map((m) => [m, trajecten.find((t) => t.methode === m)?.geteld ?? 0])) as Record<Methode, number>,
    kosten,
    kostenVerschillen: verschillen,
    zorgkostenEffect: aannames.zorgkosten_effect_werk,
    behoud: aannames.behoud_per_jaar,
  };
}

/** The form's fields as typed. */
export interface Formulier {
  trajecten: Record<Methode, string>;
  kosten: Record<Methode, BereikTekst>;
  zorgkostenEffect: BereikTekst;
  behoud: BereikTekst;
}

/** A number as the form shows it: Dutch decimal comma, no thousands separator, at most two decimals. */
export function getalInvoer(x: number): string {
  return x.toLocaleString('nl-NL', { useGrouping: false, maximumFractionDigits: 2 });
}

const bereikInvoer = (b: Bereik | undefined, factor = 1): BereikTekst =>
  Object.fromEntries(BEREIK_DELEN.map((d) => [d, b ? getalInvoer(b[d] * factor) : ''])) as BereikTekst;

/** The form prefilled from the basis: counts, euros, and shares as percentages. */
export function formulierVan(basis: Basis): Formulier {
  return {
    trajecten: Object.fromEntries(METHODEN.map((m) => [m, String(basis.trajecten[m])])) as Record<Methode, string>,
    kosten: Object.fromEntries(METHODEN.map((m) => [m, bereikInvoer(basis.kosten[m])])) as Record<Methode, BereikTekst>,
    zorgkostenEffect: bereikInvoer(basis.zorgkostenEffect, 100),
    behoud: bereikInvoer(basis.behoud, 100),
  };
}

/**
 * A number as a Dutch user types it: `1350`, `1.350`, `1.350,50`, `0,5`, `0.5`, with `€` or `%`
 * around it; or why it is none.
 */
export function leesGetal(tekst: string): { waarde: number } | { fout: string } {
  let t = tekst.replace(/[\s\u00a0€%]/g, '');
  if (t === '') return { fout: 'moet een getal zijn' };
  if (/^[-−]/.test(t)) return { fout: 'mag niet negatief zijn' };
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, '');
  t = t.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return { fout: 'moet een getal zijn, bijvoorbeeld 450 of 0,5' };
  return { waarde: Number(t) };
}

/** A count of trajectories: a whole number of 0 or more. */
export function leesAantal(tekst: string): { waarde: number } | { fout: string } {
  const g = leesGetal(tekst);
  if ('fout' in g) return /negatief/.test(g.fout) ? g : { fout: 'moet een geheel getal zijn, bijvoorbeeld 60' };
  if (!Number.isInteger(g.waarde)) return { fout: 'moet een geheel getal zijn, bijvoorbeeld 60' };
  return g;
}

/** The `watAls` input of the query (`WatAlsInvoer`). */
export interface WatAls {
  trajecten?: { methode: Methode; aantal: number }[];
  aannames?: string;
}

/** What the form gives: errors per field (`trajecten.IPS`, `kosten.IPS.laag`, `behoud.hoog`), the what-if, and its changes in words. */
export interface WatAlsUitkomst {
  fouten: Record<string, string>;
  /** `undefined` when nothing changed or a field is in error. */
  watAls?: WatAls;
  wijzigingen: string[];
}

const procent = (x: number) => `${getalInvoer(x * 100)}%`;
const bereikTekst = (b: Bereik, tekst: (x: number) => string) => BEREIK_DELEN.map((d) => tekst(b[d])).join(' / ');
const gelijk = (a: number, b: number) => Math.abs(a - b) < 1e-9;
const gelijkBereik = (a: Bereik, b: Bereik | undefined) => !!b && BEREIK_DELEN.every((d) => gelijk(a[d], b[d]));

/** The names of the assumptions the form offers, as the assumptions' JSON has them. */
export const AANNAME_VELD = {
  kosten: 'kosten_per_trajectmaand',
  zorgkostenEffect: 'zorgkosten_effect_werk',
  behoud: 'behoud_per_jaar',
} as const;

/** The words of each assumption on screen. */
export const AANNAME_TEKST = {
  kosten: (m: Methode) => `Kosten per trajectmaand, ${methodeNaam(m)}`,
  zorgkostenEffect: 'Vermeden zorgkosten door werk',
  behoud: 'Behoud van werk per jaar',
} as const;

/**
 * The what-if from the form: the numbers of trajectories that differ from those counted, and a
 * JSON with only the assumptions that differ from the region's; `watAls` is `undefined` when
 * nothing differs or a field is not a number (the errors say which).
 */
export function watAlsVan(basis: Basis, formulier: Formulier): WatAlsUitkomst {
  const fouten: Record<string, string> = {};
  const wijzigingen: string[] = [];
  const trajecten: { methode: Methode; aantal: number }[] = [];
  for (const m of METHODEN) {
    const a = leesAantal(formulier.trajecten[m]);
    if ('fout' in a) fouten[`trajecten.${m}`] = a.fout;
    else if (a.waarde !== basis.trajecten[m]) {
      trajecten.push({ methode: m, aantal: a.waarde });
      wijzigingen.push(`${methodeNaam(m)}: ${a.waarde.toLocaleString('nl-NL')} trajecten (geteld: ${basis.trajecten[m].toLocaleString('nl-NL')})`);
    }
  }
  const leesBereik = (sleutel: string, invoer: BereikTekst, factor: number): Bereik | undefined => {
    const uit = {} as Bereik;
    let goed = true;
    for (const d of BEREIK_DELEN) {
      const g = leesGetal(invoer[d]);
      if ('fout' in g) {
        fouten[`${sleutel}.${d}`] = g.fout;
        goed = false;
      } else uit[d] = g.waarde / factor;
    }
    return goed ? uit : undefined;
  };
  const aannames: Record<string, unknown> = {};
  const kosten: Record<string, Record<string, Bereik>> = {};
  for (const m of METHODEN) {
    const b = leesBereik(`kosten.${m}`, formulier.kosten[m], 1);
    if (!b || gelijkBereik(b, basis.kosten[m])) continue;
    kosten[m] = Object.fromEntries(FINANCIERS.map((f) => [f, b]));
    const was = basis.kostenVerschillen[m] ? 'verschillend per financier' : basis.kosten[m] ? bereikTekst(basis.kosten[m], euroTekst) : 'niet gegeven';
    wijzigingen.push(`${AANNAME_TEKST.kosten(m)}: ${bereikTekst(b, euroTekst)} voor elke financier (was ${was})`);
  }
  if (Object.keys(kosten).length > 0) aannames[AANNAME_VELD.kosten] = kosten;
  for (const sleutel of ['zorgkostenEffect', 'behoud'] as const) {
    const b = leesBereik(sleutel, formulier[sleutel], 100);
    if (!b || gelijkBereik(b, basis[sleutel])) continue;
    aannames[AANNAME_VELD[sleutel]] = b;
    wijzigingen.push(`${AANNAME_TEKST[sleutel]}: ${bereikTekst(b, procent)} (was ${bereikTekst(basis[sleutel], procent)})`);
  }
  if (Object.keys(fouten).length > 0) return { fouten, wijzigingen: [] };
  const watAls: WatAls = {};
  if (trajecten.length > 0) watAls.trajecten = trajecten;
  if (Object.keys(aannames).length > 0) watAls.aannames = JSON.stringify(aannames);
  return { fouten, watAls: watAls.trajecten || watAls.aannames ? watAls : undefined, wijzigingen };
}

/**
 * The form's group a server error is about, from its `extensions.veld`: `watAls.trajecten.IPS`
 * is `trajecten.IPS`, `watAls.aannames.behoudPerJaar` (or `behoud_per_jaar`) is `behoud`,
 * `watAls.aannames.kostenPerTrajectmaand.IPS.UWV` is `kosten.IPS`; `undefined` for any other.
 */
export function foutSleutel(veld: string | undefined): string | undefined {
  if (!veld) return undefined;
  const delen = veld.split('.');
  if (delen[0] === 'watAls') delen.shift();
  const naam = (s: string | undefined) => (s ?? '').replace(/[_-]/g, '').toLowerCase();
  const methode = (s: string | undefined) => METHODEN.find((m) => m.toLowerCase() === (s ?? '').toLowerCase());
  if (delen[0] === 'trajecten') {
    const m = methode(delen[1]);
    return m ? `trajecten.${m}` : undefined;
  }
  if (delen[0] !== 'aannames') return undefined;
  const veldNaam = naam(delen[1]);
  if (veldNaam === naam(AANNAME_VELD.kosten)) {
    const m = methode(delen[2]);
    return m ? `kosten.${m}` : undefined;
  }
  if (veldNaam === naam(AANNAME_VELD.zorgkostenEffect)) return 'zorgkostenEffect';
  if (veldNaam === naam(AANNAME_VELD.behoud)) return 'behoud';
  return undefined;
}
