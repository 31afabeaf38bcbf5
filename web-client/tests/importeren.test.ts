// The import's report as the screen shows it: one line per trajectory and per row that did not
// read, in row order, refusals with their place and the rule's sentence, and the counts.
import { expect, it } from 'vitest';
import { samenvatting, verslagRegels, type ImportVerslag } from '../src/importeren';

const verslag: ImportVerslag = {
  vorm: 'CSV, Windows-1252, ;',
  indeling: 'traject',
  proef: true,
  rijen: 4,
  onbekendeKolommen: ['Opmerking'],
  trajecten: [
    { rij: 4, uitkomst: 'wordt_vastgelegd', gebeurtenissen: 1 },
    { rij: 2, uitkomst: 'wordt_vastgelegd', gebeurtenissen: 3 },
    {
      rij: 3,
      uitkomst: 'geweigerd',
      fout: { rij: 3, veld: 'coach', kolom: 'coach', regel: 'coach_niet_in_team', bericht: 'deze coach hoort niet bij het team' },
    },
  ],
  rijfouten: [{ rij: 5, kolom: 'Aanmelddatum', regel: 'geen_datum', bericht: 'is geen datum' }],
  afgebroken: null,
  tellingen: { vastgelegd: 2, aangevuld: 0, ongewijzigd: 0, geweigerd: 2, gebeurtenissen: 4 },
};

it('lists every row in order, refusals with their place and sentence but without the rule code', () => {
  const regels = verslagRegels(verslag);
  expect(regels.map((r) => r.rij)).toEqual([2, 3, 4, 5]);
  expect(regels[0]).toMatchObject({ wat: 'wordt vastgelegd', waarom: '3 gebeurtenissen', fout: false });
  expect(regels[1]).toMatchObject({ wat: 'geweigerd', waar: 'kolom coach', fout: true });
  expect(regels[2].waarom).toBe('1 gebeurtenis');
  expect(regels[3]).toMatchObject({ waar: 'kolom Aanmelddatum', waarom: 'is geen datum' });
  expect(regels.map((r) => r.waarom).join(' ')).not.toMatch(/coach_niet_in_team|geen_datum/);
});

it('names a refusal in a later row of a trajectory and says nothing of it was written', () => {
  const later: ImportVerslag = {
    ...verslag,
    trajecten: [{ rij: 2, uitkomst: 'geweigerd', fout: { rij: 7, veld: 'datum', regel: 'x', bericht: 'ligt voor de aanmelding' } }],
    rijfouten: [],
  };
  const [regel] = verslagRegels(later);
  expect(regel.rij).toBe(7);
  expect(regel.waarom).toBe('ligt voor de aanmelding; traject van rij 2, niets ervan vastgelegd');
});

it('sums up a proef and an import in their own words', () => {
  expect(samenvatting(verslag)).toBe('2 trajecten worden vastgelegd (4 gebeurtenissen), 0 aangevuld, 0 ongewijzigd, 2 geweigerd.');
  expect(samenvatting({ ...verslag, proef: false })).toMatch(/^2 trajecten vastgelegd/);
});
