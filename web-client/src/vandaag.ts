// The coach's day: which of their trajectories need action now and why, most urgent first
// ("Nu doen"), and the rest by the day of their next action ("Overige trajecten"). Pure: the
// screen (screens/Vandaag.tsx) gives it the caseload and today's date.
//
// Most urgent first means, in this order:
// 1. what is due or overdue: a next action planned for today or earlier, and the first employer
//    contact past its deadline (30 days after the intake, the IPS norm); the longest overdue
//    first;
// 2. what comes up soon: a fixed-term contract that ends within 30 days and a first employer
//    contact due within 7 days; the soonest first;
// 3. the other signals (nothing recorded for long, waakvlam without contact, placed but not yet
//    duurzaam); the oldest first.
// Within the same day a due action comes before the employer contact, and that before a
// contract.
import type { ActieSoort, Fase } from './gql/graphql';
import { ACTIESOORT, FASE } from './keuzelijsten';
import { dagNaam, dagenTekst, dagenTussen, plusDagen, wanneer } from './datums';
import { datumTekst, woorden } from './ui';

/** A signal of the caseload (`Aandachtspunt`). */
export interface Aandacht {
  soort: string;
  dagen?: number | null;
  sinds?: string | null;
  op?: string | null;
  actie?: ActieSoort | null;
}

/** What the day needs of a caseload item. */
export interface VandaagItem {
  trajectId: string;
  naam?: string | null;
  fase: Fase;
  volgendeActie?: { actie: ActieSoort; op: string } | null;
  contractEindigtOp?: string | null;
  werkgeverscontactUiterlijk?: string | null;
  aandacht: readonly Aandacht[];
}

/** How many days ahead the deadline of the first employer contact is shown. */
export const WERKGEVERSCONTACT_VOORUIT = 7;

/** A reason why a trajectory needs action now, in words. */
export interface Reden {
  tekst: string;
  /** Whether it is due today or overdue. */
  nu: boolean;
}

/** One trajectory on the page. */
export interface Rij<T extends VandaagItem = VandaagItem> {
  item: T;
  naam: string;
  fase: string;
  /** Why it needs action now, most urgent first; empty under "Overige trajecten". */
  redenen: Reden[];
  /** The next action in words (`Gesprek met cliënt, morgen`), or that none is planned. */
  volgendeActie: string;
  /** Whether no next action is planned. */
  geenActie: boolean;
  /** Whether the next action is due, and so among the reasons already. */
  actieTeDoen: boolean;
}

export interface Dag<T extends VandaagItem = VandaagItem> {
  nuDoen: Rij<T>[];
  overige: Rij<T>[];
}

/** The client's name, or a neutral stand-in when it is unknown or erased. */
export function naamVan(item: { naam?: string | null }): string {
  return item.naam?.trim() || 'Cliënt zonder naam';
}

/** The action kind in words. */
export function actieTekst(actie: ActieSoort | string): string {
  return ACTIESOORT[actie as ActieSoort] ?? woorden(actie);
}

/** The next action in words: `Gesprek met cliënt, morgen`, `Werkplekbezoek, 2 dagen te laat`. */
export function volgendeActieTekst(v: { actie: ActieSoort; op: string } | null | undefined, vandaag: string): string {
  return v ? `${actieTekst(v.actie)}, ${wanneer(v.op, vandaag)}` : 'Geen volgende actie gepland';
}

/** A reason with what it sorts by: tier (0 now, 1 soon, 2 other), day, kind. */
interface Gewogen extends Reden {
  sleutel: [number, string, number];
}

function gewogen(tekst: string, laag: number, dag: string, soort: number): Gewogen {
  return { tekst, nu: laag === 0, sleutel: [laag, dag, soort] };
}

/** Why `item` needs action on `vandaag`, most urgent first; empty when nothing does. */
export function redenen(item: VandaagItem, vandaag: string): Gewogen[] {
  const uit: Gewogen[] = [];
  for (const a of item.aandacht) {
    if (a.soort === 'ACTIE_TE_DOEN') {
      const op = a.op ?? item.volgendeActie?.op ?? vandaag;
      const actie = actieTekst(a.actie ?? item.volgendeActie?.actie ?? 'Anders');
      const tekst = op === vandaag ? `${actie}, gepland voor vandaag` : `${actie}, ${wanneer(op, vandaag)} (gepland voor ${dagNaam(op, vandaag)})`;
      uit.push(gewogen(tekst, 0, op, 0));
    }
  }
  const uiterlijk = item.werkgeverscontactUiterlijk;
  const geenContact = item.aandacht.find((a) => a.soort === 'GEEN_WERKGEVERSCONTACT');
  if (uiterlijk) {
    const over = dagenTussen(vandaag, uiterlijk);
    if (over < 0 || geenContact)
      uit.push(gewogen(`Eerste werkgeverscontact ${dagenTekst(Math.max(1, -over))} te laat (uiterlijk 30 dagen na de intake)`, 0, uiterlijk, 1));
    else if (over === 0) uit.push(gewogen('Eerste werkgeverscontact uiterlijk vandaag', 0, uiterlijk, 1));
    else if (over <= WERKGEVERSCONTACT_VOORUIT)
      uit.push(gewogen(`Eerste werkgeverscontact uiterlijk ${wanneer(uiterlijk, vandaag)}, nog ${dagenTekst(over)}`, 1, uiterlijk, 1));
  } else if (geenContact) {
    const dagen = geenContact.dagen ?? 31;
    uit.push(gewogen(`Eerste werkgeverscontact ${dagenTekst(Math.max(1, dagen - 30))} te laat (uiterlijk 30 dagen na de intake)`, 0, plusDagen(vandaag, 30 - dagen), 1));
  }
  for (const a of item.aandacht) {
    if (a.soort !== 'CONTRACT_EINDIGT') continue;
    const op = a.op ?? item.contractEindigtOp ?? vandaag;
    const over = dagenTussen(vandaag, op);
    const tekst =
      over <= 1
        ? `Tijdelijk contract eindigt ${wanneer(op, vandaag)}`
        : `Tijdelijk contract eindigt ${dagNaam(op, vandaag)}, nog ${dagenTekst(over)}`;
    uit.push(gewogen(tekst, over <= 0 ? 0 : 1, op, 2));
  }
  for (const a of item.aandacht) {
    switch (a.soort) {
      case 'GEEN_GEBEURTENIS':
        uit.push(gewogen(`Al ${dagenTekst(a.dagen ?? 0)} niets vastgelegd`, 2, plusDagen(vandaag, -(a.dagen ?? 0)), 3));
        break;
      case 'WAAKVLAM_ZONDER_CONTACT':
        uit.push(gewogen(`Waakvlam, al ${dagenTekst(a.dagen ?? 0)} geen contact`, 2, plusDagen(vandaag, -(a.dagen ?? 0)), 3));
        break;
      case 'PLAATSING_NOG_NIET_DUURZAAM':
        uit.push(gewogen(`Aan het werk sinds ${datumTekst(a.sinds)}, nog niet duurzaam`, 2, a.sinds ?? vandaag, 4));
        break;
      case 'ACTIE_TE_DOEN':
      case 'CONTRACT_EINDIGT':
      case 'GEEN_WERKGEVERSCONTACT':
        break;
      default:
        // A signal this client does not know yet: shown, never as its code.
        uit.push(gewogen(`Aandacht nodig: ${woorden(a.soort.toLowerCase().replace(/_/g, ' '))}`, 2, vandaag, 5));
    }
  }
  return uit.sort((a, b) => vergelijk(a.sleutel, b.sleutel));
}

function vergelijk(a: [number, string, number], b: [number, string, number]): number {
  return a[0] - b[0] || a[1].localeCompare(b[1]) || a[2] - b[2];
}

/** Splits the caseload into what needs action now (most urgent first) and the rest (by next action). */
export function deelIn<T extends VandaagItem>(items: readonly T[], vandaag: string): Dag<T> {
  const nu: { rij: Rij<T>; sleutel: [number, string, number] }[] = [];
  const overige: Rij<T>[] = [];
  for (const item of items) {
    const r = redenen(item, vandaag);
    const rij: Rij<T> = {
      item,
      naam: naamVan(item),
      fase: FASE[item.fase] ?? woorden(item.fase),
      redenen: r.map(({ tekst, nu }) => ({ tekst, nu })),
      volgendeActie: volgendeActieTekst(item.volgendeActie, vandaag),
      geenActie: !item.volgendeActie,
      actieTeDoen: item.aandacht.some((a) => a.soort === 'ACTIE_TE_DOEN'),
    };
    if (r.length > 0) nu.push({ rij, sleutel: r[0].sleutel });
    else overige.push(rij);
  }
  const opNaam = (a: Rij<T>, b: Rij<T>) => a.naam.localeCompare(b.naam, 'nl') || a.item.trajectId.localeCompare(b.item.trajectId);
  nu.sort((a, b) => vergelijk(a.sleutel, b.sleutel) || opNaam(a.rij, b.rij));
  // The rest by the day of the next action; those without one last (flagged on screen).
  overige.sort((a, b) => {
    const x = a.item.volgendeActie?.op;
    const y = b.item.volgendeActie?.op;
    if (x && y) return x.localeCompare(y) || opNaam(a, b);
    if (x || y) return x ? -1 : 1;
    return opNaam(a, b);
  });
  return { nuDoen: nu.map((n) => n.rij), overige };
}
