// The access log in words for the beheerder: its event codes (`traject.lezen`), authorisation
// rules (`coach-eigen-client`) and roles (`coach`) as a person reads them, the period filter
// from Dutch calendar days, and a value that follows a typed one after a pause (so that typing a
// user id does not read, and so log, the access log once per key).
import { useEffect, useState } from 'react';
import { Rol } from './gql/graphql';
import type { Optie } from './keuzelijsten';

/** What each kind of access (NEN 7513 event code) was, in words. */
export const GEBEURTENISCODES: Record<string, string> = {
  'caseload.zoeken': 'Caseload bekeken of doorzocht',
  'caseload.volgen': 'Caseload live gevolgd',
  'traject.lezen': 'Traject bekeken',
  'toegangslog.lezen': 'Toegangslog bekeken',
  'toegangslog.overzicht': 'Inzage in een dossier bekeken',
  'toegangslog.signalen': 'Opvallende toegang bekeken',
  'toegangslog.controleren': 'Keten van de log gecontroleerd',
  'toegangslog.checkpoint': 'Checkpoint van de log geëxporteerd',
  'traject.aanmelden': 'Aanmelding vastgelegd',
  'intake.afronden': 'Intake vastgelegd',
  'coach.toewijzen': 'Coach toegewezen',
  'werkgeverscontact.vastleggen': 'Werkgeverscontact vastgelegd',
  'plaatsing.starten': 'Plaatsing gestart',
  'plaatsing.beeindigen': 'Plaatsing beëindigd',
  'plaatsing.uren_wijzigen': 'Uren van een plaatsing gewijzigd',
  'waakvlam.inzetten': 'Waakvlam ingezet',
  'opschaling.vastleggen': 'Opgeschaald',
  'traject.afsluiten': 'Traject afgesloten',
  'traject.heropenen': 'Traject heropend',
  'gebeurtenis.intrekken': 'Gebeurtenis ingetrokken',
  'actie.plannen': 'Volgende actie gepland',
  'persoon.lezen': 'Persoonsgegevens bekeken',
  'persoon.vastleggen': 'Persoonsgegevens vastgelegd',
  'client.wissen': 'Persoonsgegevens gewist',
  'team.toevoegen': 'Coach aan het team toegevoegd',
  'team.verwijderen': 'Coach uit het team verwijderd',
};

/** The authorisation rules that decided an access, in words. */
export const REGELS: Record<string, string> = {
  'coach-eigen-client': 'Coach van de cliënt',
  'coach-eigen-caseload': 'Eigen caseload van de coach',
  'eigen-caseload': 'Eigen caseload',
  'coach-aanmelding-eigen-organisatie': 'Aanmelding in de eigen organisatie',
  'coach-aanmelden-eigen-organisatie': 'Aanmelden in de eigen organisatie',
  'teamleider-eigen-organisatie': 'Teamleider van de eigen organisatie',
  'beheerder-leest-toegangslog': 'Beheerder leest de toegangslog',
  'beheerder-wist-op-verzoek': 'Beheerder wist op verzoek',
  'beheerder-beheert-teams': 'Beheerder beheert de teams',
  'niet-eigen-client-of-organisatie': 'Niet de eigen cliënt of organisatie',
  // Refused referrals under another organisation's client id, before they were refused as
  // 'niet-eigen-client-of-organisatie': older entries keep this rule.
  'client-niet-van-eigen-organisatie': 'Cliënt niet van de eigen organisatie',
  'alleen-beheerder-leest-toegangslog': 'Alleen de beheerder leest de toegangslog',
  'alleen-beheerder-wist': 'Alleen de beheerder wist',
  'client-onbekend': 'Cliënt onbekend',
  'alleen-in-eigen-organisatie': 'Alleen in de eigen organisatie',
  'alleen-teamleider-van-de-organisatie-of-beheerder': 'Alleen de teamleider van de organisatie of de beheerder',
  'alleen-teamleider-wijst-coach-toe': 'Alleen de teamleider wijst een coach toe',
  'alleen-teamleider-ziet-organisatie': 'Alleen de teamleider ziet de hele organisatie',
  'rol-ziet-geen-persoonsgegevens': 'Deze rol ziet geen persoonsgegevens',
  inzagequotum: 'Boven het inzagequotum',
};

/** The roles as the log names them (the token's, in lower case), in words. */
export const ROL_TEKST: Record<string, string> = {
  coach: 'Coach',
  teamleider: 'Teamleider',
  regio: 'Regio',
  landelijk: 'Landelijk',
  beheerder: 'Beheerder',
  geen: 'Geen rol',
};

/** The role filter's choices: the schema's roles as the log writes them, each in words. */
export const ROL_OPTIES: Optie[] = Object.values(Rol).map((r) => {
  const waarde = r.toLowerCase();
  return { waarde, tekst: ROL_TEKST[waarde] ?? waarde };
});

/** A code of our own making not known here, in words: separators as spaces, a capital first. */
function alsWoorden(code: string): string {
  const t = code.replace(/[._-]+/g, ' ').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function codeTekst(code: string): string {
  return GEBEURTENISCODES[code] ?? alsWoorden(code);
}

export function regelTekst(regel: string): string {
  return REGELS[regel] ?? alsWoorden(regel);
}

export function rolTekst(rol: string): string {
  return ROL_TEKST[rol] ?? alsWoorden(rol);
}

/** The day after `datum` (`YYYY-MM-DD`), as `YYYY-MM-DD`. */
function volgendeDag(datum: string): string {
  const [j, m, d] = datum.split('-').map(Number);
  const dag = new Date(Date.UTC(j, m - 1, d + 1));
  return dag.toISOString().slice(0, 10);
}

/** The start of a day in the browser's zone (the Dutch day the user means) as an instant. */
function beginVan(datum: string): string {
  return new Date(`${datum}T00:00:00`).toISOString();
}

const DATUM = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The period filter of two calendar days, both included: from the start of `van` to the start of
 * the day after `tot` (the server's `tot` is exclusive). A `tot` before `van` is an error at the
 * field and is left out of the filter.
 */
export function periodeFilter(van: string, tot: string): { van: string | null; tot: string | null; fout?: string } {
  const v = DATUM.test(van) ? van : '';
  const t = DATUM.test(tot) ? tot : '';
  if (v && t && t < v) return { van: beginVan(v), tot: null, fout: 'De einddatum ligt voor de begindatum.' };
  return { van: v ? beginVan(v) : null, tot: t ? beginVan(volgendeDag(t)) : null };
}

/** `waarde`, once it has stayed the same for `ms` milliseconds. */
export function useUitgesteld<T>(waarde: T, ms = 400): T {
  const [uitgesteld, setUitgesteld] = useState(waarde);
  useEffect(() => {
    const t = window.setTimeout(() => setUitgesteld(waarde), ms);
    return () => window.clearTimeout(t);
  }, [waarde, ms]);
  return uitgesteld;
}
