// The access log in words (its codes, rules and roles), the period filter of two calendar days
// both included, and a typed value that follows after a pause.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import {
  GEBEURTENISCODES,
  ROL_OPTIES,
  codeTekst,
  periodeFilter,
  regelTekst,
  rolTekst,
  useUitgesteld,
} from '../src/toegangslogweergave';

/** The server's event codes (dienst's `logcode`). */
const SERVER_CODES = [
  'caseload.zoeken',
  'caseload.volgen',
  'traject.lezen',
  'toegangslog.lezen',
  'toegangslog.overzicht',
  'toegangslog.signalen',
  'toegangslog.controleren',
  'toegangslog.checkpoint',
  'traject.aanmelden',
  'intake.afronden',
  'coach.toewijzen',
  'werkgeverscontact.vastleggen',
  'plaatsing.starten',
  'plaatsing.beeindigen',
  'plaatsing.uren_wijzigen',
  'waakvlam.inzetten',
  'opschaling.vastleggen',
  'traject.afsluiten',
  'traject.heropenen',
  'gebeurtenis.intrekken',
  'actie.plannen',
  'persoon.lezen',
  'persoon.vastleggen',
  'client.wissen',
  'team.toevoegen',
  'team.verwijderen',
];

describe('de log in woorden', () => {
  it('names every event code of the server in words', () => {
    expect(Object.keys(GEBEURTENISCODES).sort()).toEqual([...SERVER_CODES].sort());
    for (const code of SERVER_CODES) expect(codeTekst(code)).not.toMatch(/[._]/);
    expect(codeTekst('traject.lezen')).toBe('Traject bekeken');
    expect(codeTekst('client.wissen')).toBe('Persoonsgegevens gewist');
  });

  it('writes an unknown code, rule or role as words, without dots, dashes or underscores', () => {
    expect(codeTekst('iets.nieuws_hier')).toBe('Iets nieuws hier');
    expect(regelTekst('nieuwe-regel-van-de-server')).toBe('Nieuwe regel van de server');
    expect(rolTekst('auditor')).toBe('Auditor');
  });

  it('names the rules and roles', () => {
    expect(regelTekst('coach-eigen-client')).toBe('Coach van de cliënt');
    expect(regelTekst('inzagequotum')).toBe('Boven het inzagequotum');
    expect(rolTekst('beheerder')).toBe('Beheerder');
    expect(ROL_OPTIES).toEqual([
      { waarde: 'coach', tekst: 'Coach' },
      { waarde: 'teamleider', tekst: 'Teamleider' },
      { waarde: 'regio', tekst: 'Regio' },
      { waarde: 'landelijk', tekst: 'Landelijk' },
      { waarde: 'beheerder', tekst: 'Beheerder' },
    ]);
  });
});

describe('periodeFilter', () => {
  const begin = (d: string) => new Date(`${d}T00:00:00`).toISOString();

  it('runs from the start of the first day to the start of the day after the last', () => {
    expect(periodeFilter('2026-12-01', '2026-12-04')).toEqual({ van: begin('2026-12-01'), tot: begin('2026-12-05') });
    expect(periodeFilter('2026-12-04', '2026-12-04')).toEqual({ van: begin('2026-12-04'), tot: begin('2026-12-05') });
    expect(periodeFilter('', '2026-12-31')).toEqual({ van: null, tot: begin('2027-01-01') });
    expect(periodeFilter('2024-02-28', '2024-02-28').tot).toBe(begin('2024-02-29'));
  });

  it('leaves out what is empty or not a whole date', () => {
    expect(periodeFilter('', '')).toEqual({ van: null, tot: null });
    expect(periodeFilter('2026-1', '')).toEqual({ van: null, tot: null });
  });

  it('refuses an end before the start at the field, and filters from the start only', () => {
    expect(periodeFilter('2026-12-04', '2026-12-03')).toEqual({
      van: begin('2026-12-04'),
      tot: null,
      fout: 'De einddatum ligt voor de begindatum.',
    });
  });
});

describe('useUitgesteld', () => {
  afterEach(() => vi.useRealTimers());

  it('follows a value once it stays the same for the pause', () => {
    vi.useFakeTimers();
    const { result, rerender } = renderHook(({ w }) => useUitgesteld(w, 400), { initialProps: { w: '' } });
    rerender({ w: 'org' });
    act(() => vi.advanceTimersByTime(300));
    rerender({ w: 'org-am13' });
    act(() => vi.advanceTimersByTime(300));
    expect(result.current).toBe('');
    act(() => vi.advanceTimersByTime(100));
    expect(result.current).toBe('org-am13');
  });
});
