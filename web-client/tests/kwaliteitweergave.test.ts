// The quality report in words: a report's name in the list, a value by its kind and status (a
// share as a percentage with "teller van noemer", hidden as the one marker, never a zero), the
// median of the regions and the norm, the sections in the server's order and the cohorts as one
// table of intake quarters and horizons.
import { describe, expect, it } from 'vitest';
import { VERBORGEN } from '../src/cijferweergave';
import {
  cohortTabel,
  exportNaam,
  getalTekst,
  isCohort,
  mediaanRegiosTekst,
  normTekst,
  periodeTekst,
  rapportTekst,
  rapportjaren,
  secties,
  vrijgaveNummerTekst,
  waardeZin,
  weergave,
  type KwaliteitRij,
  type KwaliteitWaarde,
} from '../src/kwaliteitweergave';

const getoond = (waarde: number, teller?: number, noemer?: number): KwaliteitWaarde => ({ status: 'getoond', waarde, teller, noemer });
const verborgen: KwaliteitWaarde = { status: 'verborgen', waarde: null, teller: null, noemer: null };

function rij(groep: string, code: string, soort = 'aandeel', eigen: KwaliteitWaarde = verborgen): KwaliteitRij {
  return { groep, code, omschrijving: code, soort, norm: null, eigen, landelijk: getoond(0.5, 5, 10), mediaanRegios: null, regiosMetWaarde: 0 };
}

describe('rapportTekst en periodeTekst', () => {
  it('names a calendar year by its year and other four quarters by their last quarter', () => {
    expect(rapportTekst('2025Q4')).toBe('2025');
    expect(rapportTekst('2025')).toBe('2025');
    expect(rapportTekst('2026Q3')).toBe('4 kwartalen tot 2026Q3');
    expect(rapportTekst('2024Q1')).toBe('4 kwartalen tot 2024Q1');
  });

  it('offers calendar years only for a release, newest first', () => {
    const jaren = rapportjaren(new Date(2026, 11, 5));
    expect(jaren[0]).toBe('2026');
    expect(jaren[jaren.length - 1]).toBe('2016');
    expect(jaren.every((j) => /^\d{4}$/.test(j))).toBe(true);
  });

  it('writes the period and the release in words', () => {
    expect(periodeTekst('2025Q4', '2026Q3')).toBe('4e kwartaal 2025 tot en met 3e kwartaal 2026');
    expect(vrijgaveNummerTekst(1)).toBe('vrijgave 1 (de eerste)');
    expect(vrijgaveNummerTekst(3)).toBe('vrijgave 3 (correctie 2)');
  });
});

describe('weergave', () => {
  it('writes a share as a whole percentage with its numerator and denominator', () => {
    expect(weergave('aandeel', getoond(0.5202205882352942, 283, 544))).toEqual({
      tekst: '52%',
      toelichting: '283 van 544',
      getal: true,
      status: 'getoond',
    });
    expect(waardeZin('aandeel', getoond(0.5202205882352942, 283, 544))).toBe('52% (283 van 544)');
    expect(waardeZin('aandeel', getoond(0, 0, 8))).toBe('0% (0 van 8)');
    expect(waardeZin('aandeel', getoond(1, 1, 1))).toBe('100% (1 van 1)');
    expect(waardeZin('aandeel', getoond(0.3, 3000, 10000))).toBe('30% (3.000 van 10.000)');
  });

  it('writes a count in Dutch notation and a median with at most one decimal', () => {
    expect(waardeZin('aantal', getoond(12345))).toBe('12.345');
    expect(waardeZin('aantal', getoond(0))).toBe('0');
    expect(waardeZin('mediaan', getoond(25.5))).toBe('25,5');
    expect(waardeZin('mediaan', getoond(30))).toBe('30');
  });

  it('shows a hidden value as the one marker, never a zero or a reason', () => {
    for (const soort of ['aantal', 'aandeel', 'mediaan']) {
      const w = weergave(soort, verborgen);
      expect(w).toEqual({ tekst: VERBORGEN, getal: false, status: 'verborgen' });
      // Even when a value came with it, it is not shown.
      expect(weergave(soort, { status: 'verborgen', waarde: 0, teller: 0, noemer: 4 }).tekst).toBe(VERBORGEN);
    }
  });

  it('says "nog niet bekend" and "geen" as such', () => {
    expect(waardeZin('aandeel', { status: 'nog_niet_bekend' })).toBe('nog niet bekend');
    expect(waardeZin('aandeel', { status: 'geen' })).toBe('geen');
    expect(waardeZin('aantal', { status: 'getoond', waarde: null })).toBe('geen');
    expect(waardeZin('aantal', undefined)).toBe('–');
    // A status this client does not know: in words, never a number.
    expect(weergave('aantal', { status: 'iets_nieuws', waarde: 3 })).toMatchObject({ tekst: 'iets nieuws', getal: false });
  });
});

describe('mediaanRegiosTekst en normTekst', () => {
  it('gives the median of the regions with over how many regions, or none', () => {
    expect(mediaanRegiosTekst({ soort: 'aantal', mediaanRegios: 19, regiosMetWaarde: 17 })).toMatchObject({
      tekst: '19',
      toelichting: "over 17 regio's",
      getal: true,
    });
    expect(mediaanRegiosTekst({ soort: 'aandeel', mediaanRegios: 0.25, regiosMetWaarde: 1 }).toelichting).toBe('over 1 regio');
    expect(mediaanRegiosTekst({ soort: 'aandeel', mediaanRegios: 0.25, regiosMetWaarde: 1 }).tekst).toBe('25%');
    expect(mediaanRegiosTekst({ soort: 'aantal', mediaanRegios: null, regiosMetWaarde: 0 })).toMatchObject({ tekst: '–', getal: false });
    // Over one or two regions the server leaves the median out: the screen says why.
    expect(mediaanRegiosTekst({ soort: 'aandeel', mediaanRegios: null, regiosMetWaarde: 2 })).toMatchObject({
      tekst: '–',
      toelichting: "te weinig regio's met een getoonde waarde (2)",
      getal: false,
    });
  });

  it('writes the norm by the kind of figure', () => {
    expect(normTekst({ soort: 'mediaan', norm: 30 })).toBe('ten hoogste 30');
    expect(normTekst({ soort: 'aantal', norm: 3500 })).toBe('doel 3.500');
    expect(normTekst({ soort: 'aandeel', norm: 0.8 })).toBe('norm 80%');
    expect(normTekst({ soort: 'aantal', norm: null })).toBeUndefined();
  });

  it('writes numbers without a status by their kind', () => {
    expect(getalTekst('aandeel', 0.056)).toBe('6%');
    expect(getalTekst('aantal', 1000)).toBe('1.000');
    expect(getalTekst('mediaan', 22.25)).toBe('22,3');
  });
});

describe('secties en cohortTabel', () => {
  const rijen: KwaliteitRij[] = [
    rij('Instroom', 'gestart', 'aantal', getoond(40)),
    rij('Instroom', 'gestart_IPS'),
    rij('Cohort intake 2024Q1', 'cohort_2024Q1_grootte', 'aantal'),
    rij('Cohort intake 2024Q1', 'cohort_2024Q1_werk_6m'),
    rij('Cohort intake 2024Q1', 'cohort_2024Q1_werk_12m'),
    rij('Cohort intake 2024Q1', 'cohort_2024Q1_duurzaam_6m'),
    rij('Cohort intake 2024Q2', 'cohort_2024Q2_grootte', 'aantal', getoond(12)),
    rij('Cohort intake 2024Q2', 'cohort_2024Q2_werk_6m', 'aandeel', getoond(0.25, 3, 12)),
    rij('Cohort intake 2024Q2', 'cohort_2024Q2_werk_12m', 'aandeel', { status: 'nog_niet_bekend' }),
    rij('Cohort intake 2024Q2', 'cohort_2024Q2_duurzaam_6m'),
    rij('Werkgeverscontact', 'mediaan_dagen_tot_contact', 'mediaan'),
    rij('Caseload', 'coaches', 'aantal'),
    rij('Caseload', 'mediaan_caseload', 'mediaan'),
  ];

  it('keeps the groups in the server order, the cohorts as one section where the first stands', () => {
    const s = secties(rijen);
    expect(s.map((d) => (d.soort === 'cohorten' ? 'cohorten' : d.groep.groep))).toEqual([
      'Instroom',
      'cohorten',
      'Werkgeverscontact',
      'Caseload',
    ]);
    const instroom = s[0];
    expect(instroom.soort === 'groep' && instroom.groep.rijen.map((r) => r.code)).toEqual(['gestart', 'gestart_IPS']);
    const cohorten = s[1];
    expect(cohorten.soort === 'cohorten' && cohorten.rijen).toHaveLength(8);
    expect(secties([])).toEqual([]);
    expect(isCohort('Cohort intake 2025Q4')).toBe(true);
    expect(isCohort('Caseload')).toBe(false);
  });

  it('makes a row per intake quarter and a column per horizon, the size first', () => {
    const t = cohortTabel(rijen);
    expect(t.kolommen).toEqual([
      { sleutel: 'grootte', kop: 'Intakes', soort: 'aantal' },
      { sleutel: 'werk_6m', kop: 'Aan het werk binnen 6 maanden', soort: 'aandeel' },
      { sleutel: 'werk_12m', kop: 'Aan het werk binnen 12 maanden', soort: 'aandeel' },
      { sleutel: 'duurzaam_6m', kop: 'Duurzaam binnen 6 maanden', soort: 'aandeel' },
    ]);
    expect(t.rijen.map((r) => r.kwartaal)).toEqual(['2024Q1', '2024Q2']);
    expect(waardeZin('aandeel', t.rijen[1].cellen.werk_6m?.eigen)).toBe('25% (3 van 12)');
    expect(waardeZin('aandeel', t.rijen[1].cellen.werk_12m?.eigen)).toBe('nog niet bekend');
    expect(waardeZin('aantal', t.rijen[0].cellen.grootte?.eigen)).toBe(VERBORGEN);
    expect(t.rijen[0].cellen.werk_18m).toBeUndefined();
  });

  it('keeps a horizon it does not know, under its description', () => {
    const t = cohortTabel([{ ...rij('Cohort intake 2025Q1', 'cohort_2025Q1_werk_24m'), omschrijving: 'Aan het werk binnen 24 maanden na intake' }]);
    expect(t.kolommen).toEqual([{ sleutel: 'werk_24m', kop: 'Aan het werk binnen 24 maanden na intake', soort: 'aandeel' }]);
  });
});

describe('exportNaam', () => {
  it('names the file as the server does', () => {
    expect(exportNaam('AM13', '2025Q4', 1, 'csv-nl')).toBe('kwaliteitsrapport-AM13-2025Q4-vrijgave1.csv');
    expect(exportNaam('NL', '2026Q3', 2, 'xlsx')).toBe('kwaliteitsrapport-NL-2026Q3-vrijgave2.xlsx');
  });
});
