// The web client's checks give the domain's verdicts and wording on the shared cases of
// domain/tests/fixtures/invoerregels.json (the domain's tests read the same file).
import { describe, expect, it } from 'vitest';
import regels from '../../domain/tests/fixtures/invoerregels.json';
import * as v from '../src/validatie';
import { waarden } from '../src/keuzelijsten';

const checks: Record<string, (invoer: string) => string | undefined> = {
  identificatie: v.identificatie,
  label: v.label,
  uren: v.uren,
  datum: v.datum,
  naam: v.naam,
  telefoon: v.telefoon,
  email: v.email,
  bsn: v.bsn,
  geboortedatum: (invoer) => v.geboortedatum(invoer, regels.vandaag),
};

describe('invoerregels', () => {
  it.each(regels.gevallen)('$regel $invoer', ({ regel, invoer, fout }) => {
    const check = checks[regel];
    expect(check, `a check for ${regel}`).toBeDefined();
    expect(check(invoer) ?? null).toBe(fout);
  });
});

describe('gebeurtenisdatum', () => {
  it('refuses a day after today', () => {
    expect(v.gebeurtenisdatum('2026-11-25', '2026-11-24')).toBe('mag niet in de toekomst liggen');
    expect(v.gebeurtenisdatum('2026-11-24', '2026-11-24')).toBeUndefined();
  });
  it('applies the domain date rule first', () => {
    expect(v.gebeurtenisdatum('1999-01-01', '2026-11-24')).toBe('moet tussen 2000-01-01 en 2100-12-31 liggen');
    expect(v.gebeurtenisdatum('2026-02-30', '2026-11-24')).toBe('moet een datum zijn als JJJJ-MM-DD');
  });
});

describe('keuze', () => {
  it('accepts the values of a closed list of the schema in any case and names them otherwise', () => {
    const methode = v.keuze(waarden('Methode'));
    expect(methode('IPS')).toBeUndefined();
    expect(methode('ips')).toBeUndefined();
    expect(methode('Re-integratie')).toBe('moet een van IPS Jobcoaching WerkAlsBesteZorg zijn');
  });
});

describe('controleer', () => {
  it('gives a message per broken field and none for the rest', () => {
    expect(
      v.controleer({ werkgever: 'Bakkerij', uren: '0' }, { werkgever: v.label, uren: v.uren }),
    ).toEqual({ uren: 'moet groter dan 0 zijn' });
  });
});

describe('actiedatum', () => {
  it('takes a day up to 366 days after today, and refuses one further ahead or no date', () => {
    expect(v.actiedatum('2026-12-04', '2026-12-04')).toBeUndefined();
    expect(v.actiedatum('2027-12-05', '2026-12-04')).toBeUndefined();
    expect(v.actiedatum('2027-12-06', '2026-12-04')).toBe('mag hoogstens een jaar vooruit liggen');
    expect(v.actiedatum('', '2026-12-04')).toBe('moet een datum zijn als JJJJ-MM-DD');
  });
});
