// The coach's day and week: dates in Dutch words relative to today, what needs action now and
// in which order, the rest by their next action, and the week agenda with the overdue above
// today.
import { describe, expect, it } from 'vitest';
import { week, weekTitel, weekUit } from '../src/agenda';
import { dagNaam, dagenTussen, datumLang, maandagVan, plusDagen, wanneer, weeknummer } from '../src/datums';
import type { Fase } from '../src/gql/graphql';
import { deelIn, naamVan, volgendeActieTekst, type VandaagItem } from '../src/vandaag';

// Friday 4 December 2026.
const VANDAAG = '2026-12-04';

describe('dagen in woorden', () => {
  it('says when something is due relative to today', () => {
    expect(wanneer('2026-12-04', VANDAAG)).toBe('vandaag');
    expect(wanneer('2026-12-05', VANDAAG)).toBe('morgen');
    expect(wanneer('2026-12-03', VANDAAG)).toBe('1 dag te laat');
    expect(wanneer('2026-12-01', VANDAAG)).toBe('3 dagen te laat');
    expect(wanneer('2026-12-08', VANDAAG)).toBe('di 8 december');
    expect(wanneer('2027-01-05', VANDAAG)).toBe('di 5 januari 2027');
  });

  it('names days with their weekday, in full where asked', () => {
    expect(dagNaam('2026-12-06', VANDAAG)).toBe('zo 6 december');
    expect(dagNaam('2026-12-07', VANDAAG, true)).toBe('maandag 7 december');
    expect(datumLang(VANDAAG)).toBe('vrijdag 4 december 2026');
  });

  it('counts whole days, across the change to summer time and the turn of the year', () => {
    expect(dagenTussen('2026-03-28', '2026-03-30')).toBe(2);
    expect(dagenTussen('2026-12-30', '2027-01-02')).toBe(3);
    expect(plusDagen('2026-12-30', 3)).toBe('2027-01-02');
    expect(plusDagen('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('finds the Monday and the ISO week number of a day', () => {
    expect(maandagVan(VANDAAG)).toBe('2026-11-30');
    expect(maandagVan('2026-11-30')).toBe('2026-11-30');
    expect(maandagVan('2026-12-06')).toBe('2026-11-30');
    expect(weeknummer('2026-11-30')).toBe(49);
    expect(weeknummer('2026-12-31')).toBe(53);
    expect(weeknummer('2027-01-04')).toBe(1);
    expect(weeknummer('2025-12-29')).toBe(1);
  });
});

let teller = 0;
function item(deel: Partial<VandaagItem> = {}): VandaagItem {
  teller += 1;
  return { trajectId: `t-${teller}`, naam: `Cliënt ${teller}`, fase: 'Zoekend' as Fase, aandacht: [], ...deel };
}

describe('Vandaag: nu doen', () => {
  it('puts what is due or overdue first, the longest overdue first, then what comes up soon, then the other signals', () => {
    const stil = item({ naam: 'Stil', aandacht: [{ soort: 'GEEN_GEBEURTENIS', dagen: 60 }] });
    const contract = item({
      naam: 'Contract',
      fase: 'Geplaatst' as Fase,
      contractEindigtOp: '2026-12-14',
      aandacht: [{ soort: 'CONTRACT_EINDIGT', op: '2026-12-14' }],
    });
    const vandaagTeDoen = item({
      naam: 'Vandaag',
      volgendeActie: { actie: 'Gesprek', op: VANDAAG },
      aandacht: [{ soort: 'ACTIE_TE_DOEN', op: VANDAAG, actie: 'Gesprek' }],
    });
    const teLaat = item({
      naam: 'Te laat',
      volgendeActie: { actie: 'Werkplekbezoek', op: '2026-12-01' },
      aandacht: [{ soort: 'ACTIE_TE_DOEN', op: '2026-12-01', actie: 'Werkplekbezoek' }],
    });
    const contactBijna = item({ naam: 'Contact bijna', werkgeverscontactUiterlijk: '2026-12-07' });
    const contactTeLaat = item({
      naam: 'Contact te laat',
      werkgeverscontactUiterlijk: '2026-12-02',
      aandacht: [{ soort: 'GEEN_WERKGEVERSCONTACT', dagen: 32 }],
    });
    const rustig = item({ naam: 'Rustig', volgendeActie: { actie: 'Evaluatie', op: '2026-12-20' } });
    const contactLater = item({ naam: 'Contact later', werkgeverscontactUiterlijk: '2026-12-20' });

    const dag = deelIn([stil, contract, vandaagTeDoen, teLaat, contactBijna, contactTeLaat, rustig, contactLater], VANDAAG);
    expect(dag.nuDoen.map((r) => r.naam)).toEqual(['Te laat', 'Contact te laat', 'Vandaag', 'Contact bijna', 'Contract', 'Stil']);
    expect(dag.overige.map((r) => r.naam)).toEqual(['Rustig', 'Contact later']);

    const tekst = (naam: string) => dag.nuDoen.find((r) => r.naam === naam)!.redenen.map((r) => r.tekst);
    expect(tekst('Te laat')).toEqual(['Werkplekbezoek, 3 dagen te laat (gepland voor di 1 december)']);
    expect(tekst('Vandaag')).toEqual(['Gesprek met cliënt, gepland voor vandaag']);
    expect(tekst('Contact te laat')).toEqual(['Eerste werkgeverscontact 2 dagen te laat (uiterlijk 30 dagen na de intake)']);
    expect(tekst('Contact bijna')).toEqual(['Eerste werkgeverscontact uiterlijk ma 7 december, nog 3 dagen']);
    expect(tekst('Contract')).toEqual(['Tijdelijk contract eindigt ma 14 december, nog 10 dagen']);
    expect(tekst('Stil')).toEqual(['Al 60 dagen niets vastgelegd']);
    expect(dag.nuDoen.find((r) => r.naam === 'Te laat')!.redenen[0].nu).toBe(true);
    expect(dag.nuDoen.find((r) => r.naam === 'Contract')!.redenen[0].nu).toBe(false);
  });

  it('gives each trajectory its reasons most urgent first, and its next action', () => {
    const rij = deelIn(
      [
        item({
          volgendeActie: { actie: 'AfstemmingBehandelaar', op: '2026-12-03' },
          contractEindigtOp: '2026-12-05',
          aandacht: [
            { soort: 'CONTRACT_EINDIGT', op: '2026-12-05' },
            { soort: 'WAAKVLAM_ZONDER_CONTACT', dagen: 61 },
            { soort: 'ACTIE_TE_DOEN', op: '2026-12-03', actie: 'AfstemmingBehandelaar' },
          ],
        }),
      ],
      VANDAAG,
    ).nuDoen[0];
    expect(rij.redenen.map((r) => r.tekst)).toEqual([
      'Afstemming met behandelaar, 1 dag te laat (gepland voor do 3 december)',
      'Tijdelijk contract eindigt morgen',
      'Waakvlam, al 61 dagen geen contact',
    ]);
    expect(rij.volgendeActie).toBe('Afstemming met behandelaar, 1 dag te laat');
    expect(rij.fase).toBe('Zoekend');
    expect(rij.actieTeDoen).toBe(true);
  });

  it('marks the first employer contact due today, and a contract that ends today, as now', () => {
    const dag = deelIn(
      [
        item({ naam: 'A', werkgeverscontactUiterlijk: VANDAAG }),
        item({ naam: 'B', contractEindigtOp: VANDAAG, aandacht: [{ soort: 'CONTRACT_EINDIGT', op: VANDAAG }] }),
      ],
      VANDAAG,
    );
    expect(dag.nuDoen.flatMap((r) => r.redenen)).toEqual([
      { tekst: 'Eerste werkgeverscontact uiterlijk vandaag', nu: true },
      { tekst: 'Tijdelijk contract eindigt vandaag', nu: true },
    ]);
  });

  it('never shows the code of a signal it does not know', () => {
    const rij = deelIn([item({ aandacht: [{ soort: 'IETS_NIEUWS' }] })], VANDAAG).nuDoen[0];
    expect(rij.redenen[0].tekst).toBe('Aandacht nodig: iets nieuws');
  });
});

describe('Vandaag: overige trajecten', () => {
  it('orders by the day of the next action, those without one last and flagged', () => {
    const dag = deelIn(
      [
        item({ naam: 'Zonder' }),
        item({ naam: 'Later', volgendeActie: { actie: 'Evaluatie', op: '2027-01-05' } }),
        item({ naam: 'Morgen', volgendeActie: { actie: 'Gesprek', op: '2026-12-05' } }),
        item({ naam: 'Aaron zonder' }),
      ],
      VANDAAG,
    );
    expect(dag.nuDoen).toEqual([]);
    expect(dag.overige.map((r) => [r.naam, r.volgendeActie, r.geenActie])).toEqual([
      ['Morgen', 'Gesprek met cliënt, morgen', false],
      ['Later', 'Evaluatie, di 5 januari 2027', false],
      ['Aaron zonder', 'Geen volgende actie gepland', true],
      ['Zonder', 'Geen volgende actie gepland', true],
    ]);
  });

  it('names a client without a known name neutrally', () => {
    expect(naamVan({ naam: null })).toBe('Cliënt zonder naam');
    expect(naamVan({ naam: '  ' })).toBe('Cliënt zonder naam');
    expect(naamVan({ naam: 'Anna de Vries' })).toBe('Anna de Vries');
    expect(volgendeActieTekst(null, VANDAAG)).toBe('Geen volgende actie gepland');
  });
});

describe('de weekagenda', () => {
  const items = [
    { trajectId: 'a', naam: 'Anna', volgendeActie: { actie: 'Gesprek' as const, op: '2026-11-20' } },
    { trajectId: 'b', naam: 'Bart', volgendeActie: { actie: 'Werkplekbezoek' as const, op: '2026-12-02' } },
    { trajectId: 'c', naam: 'Cem', volgendeActie: { actie: 'Evaluatie' as const, op: VANDAAG } },
    { trajectId: 'd', naam: null, volgendeActie: { actie: 'Anders' as const, op: '2026-12-06' } },
    { trajectId: 'e', naam: 'Eva', volgendeActie: { actie: 'AfstemmingFinancier' as const, op: '2026-12-08' } },
    { trajectId: 'f', naam: 'Fleur', volgendeActie: null },
  ];

  it('shows this week from today to Sunday, with every overdue action right above today', () => {
    const w = week(items, maandagVan(VANDAAG), VANDAAG);
    expect(w.huidig).toBe(true);
    expect(w.titel).toBe('Week 49: 30 november tot en met 6 december 2026');
    expect(w.voorbij).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    expect(w.teLaat.map((i) => [i.naam, i.teLaat])).toEqual([
      ['Anna', '14 dagen te laat'],
      ['Bart', '2 dagen te laat'],
    ]);
    expect(w.dagen.map((d) => d.titel)).toEqual(['Vandaag, vrijdag 4 december', 'Morgen, zaterdag 5 december', 'Zondag 6 december']);
    expect(w.dagen[0].vandaag).toBe(true);
    expect(w.dagen[0].items.map((i) => [i.naam, i.actie])).toEqual([['Cem', 'Evaluatie']]);
    expect(w.dagen[2].items.map((i) => [i.naam, i.actie])).toEqual([['Cliënt zonder naam', 'Anders']]);
  });

  it('shows a week ahead Monday to Sunday, without the overdue', () => {
    const w = week(items, '2026-12-07', VANDAAG);
    expect(w.huidig).toBe(false);
    expect(w.teLaat).toEqual([]);
    expect(w.dagen).toHaveLength(7);
    expect(w.dagen[0].titel).toBe('Maandag 7 december');
    expect(w.dagen[1].items.map((i) => i.naam)).toEqual(['Eva']);
    expect(w.dagen.flatMap((d) => d.items)).toHaveLength(1);
  });

  it('shows a week gone by with what is still open of it, marked overdue', () => {
    const w = week(items, '2026-11-16', VANDAAG);
    expect(w.dagen).toHaveLength(7);
    expect(w.dagen[4].items.map((i) => [i.naam, i.teLaat])).toEqual([['Anna', '14 dagen te laat']]);
  });

  it('takes the week from the address, any day of it, or else this week', () => {
    expect(weekUit('2026-12-09', VANDAAG)).toBe('2026-12-07');
    expect(weekUit(null, VANDAAG)).toBe('2026-11-30');
    expect(weekUit('onzin', VANDAAG)).toBe('2026-11-30');
    expect(weekUit('2026-02-30', VANDAAG)).toBe('2026-11-30');
  });

  it('names weeks across months and years', () => {
    expect(weekTitel('2026-12-07')).toBe('Week 50: 7 tot en met 13 december 2026');
    expect(weekTitel('2026-12-28')).toBe('Week 53: 28 december 2026 tot en met 3 januari 2027');
  });
});
