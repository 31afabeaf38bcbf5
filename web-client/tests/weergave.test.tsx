// How values are shown: hidden figures never as a number, signals and progress in words.
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { Waarde, kwartalen } from '../src/screens/Cijfers';
import { aandachtTekst } from '../src/screens/Caseload';
import { Voortgang } from '../src/screens/Traject';
import { datumTekst, woorden } from '../src/ui';
import { gegevensTekst, soortTekst } from '../src/gebeurtenissen';

describe('Waarde', () => {
  it('shows a hidden cell as hidden, never as zero and never why', () => {
    const { container } = render(<Waarde waarde={0} verborgen />);
    expect(container.textContent).toBe('verborgen');
  });
  it('shows a published count in Dutch notation, zero included', () => {
    expect(render(<Waarde waarde={12345} />).container.textContent).toBe('12.345');
    expect(render(<Waarde waarde={0} />).container.textContent).toBe('0');
  });
  it('shows a missing value as a dash', () => {
    expect(render(<Waarde waarde={null} />).container.textContent).toBe('–');
  });
});

describe('kwartalen', () => {
  it('runs from the current quarter back to 2016Q1', () => {
    const k = kwartalen(new Date(2026, 10, 24));
    expect(k[0]).toBe('2026Q4');
    expect(k.at(-1)).toBe('2016Q1');
    expect(k).toHaveLength(11 * 4);
    expect(kwartalen(new Date(2026, 0, 5))[0]).toBe('2026Q1');
  });
});

describe('aandachtTekst', () => {
  it('puts each signal into words', () => {
    expect(aandachtTekst({ soort: 'GEEN_GEBEURTENIS', dagen: 45 })).toBe('Al 45 dagen niets vastgelegd');
    expect(aandachtTekst({ soort: 'GEEN_WERKGEVERSCONTACT', dagen: 31 })).toBe(
      'Nog geen werkgeverscontact, 31 dagen na de intake',
    );
    expect(aandachtTekst({ soort: 'PLAATSING_NOG_NIET_DUURZAAM', sinds: '2026-03-07' })).toBe(
      'Aan het werk sinds 7 mrt 2026, nog niet duurzaam',
    );
    expect(aandachtTekst({ soort: 'WAAKVLAM_ZONDER_CONTACT', dagen: 61 })).toBe('Waakvlam, al 61 dagen geen contact');
    expect(aandachtTekst({ soort: 'ACTIE_TE_DOEN', op: '2026-12-01', actie: 'Werkplekbezoek' })).toBe(
      'Volgende actie te doen: Werkplekbezoek, gepland voor 1 dec 2026',
    );
    expect(aandachtTekst({ soort: 'CONTRACT_EINDIGT', op: '2026-12-31' })).toBe('Tijdelijk contract eindigt op 31 dec 2026');
    expect(aandachtTekst({ soort: 'IETS_NIEUWS' })).toBe('IETS_NIEUWS');
  });
});

describe('woorden en datums', () => {
  it('writes codes and dates as a coach reads them', () => {
    expect(woorden('WerkAlsBesteZorg')).toBe('Werk als beste zorg');
    expect(woorden('IPS')).toBe('IPS');
    expect(woorden('NL')).toBe('NL');
    expect(datumTekst('2025-12-01')).toBe('1 dec 2025');
    expect(datumTekst(null)).toBe('–');
  });
});

describe('Voortgang', () => {
  const status = {
    duurzaamBereiktOp: null,
    werkSinds: '2026-06-01',
    duurzaamVanaf: '2026-11-30',
    dagenWerk: 91,
  } as Parameters<typeof Voortgang>[0]['status'];

  it('shows the days of uninterrupted work of those required, as a labelled progress bar', () => {
    render(<Voortgang status={status} />);
    const balk = screen.getByRole('progressbar', { name: /91 van 182 dagen/ });
    expect(balk).toHaveAttribute('max', '182');
    expect(balk).toHaveAttribute('value', '91');
    expect(screen.getByText(/duurzaam vanaf 30 nov 2026/)).toBeInTheDocument();
  });

  it('says when duurzaam was reached', () => {
    render(<Voortgang status={{ ...status, duurzaamBereiktOp: '2026-11-30' }} />);
    expect(screen.getByRole('status')).toHaveTextContent('Duurzaam bereikt op 30 nov 2026.');
  });
});

describe('de tijdlijn', () => {
  it('names the events of the catalogue in Dutch', () => {
    expect(soortTekst('PlaatsingBeeindigd')).toBe('Plaatsing beëindigd');
    expect(soortTekst('WerkgeverContactGelegd')).toBe('Werkgeverscontact');
    expect(soortTekst('UrenGewijzigd')).toBe('Uren gewijzigd');
    expect(soortTekst('ActieGepland')).toBe('Volgende actie gepland');
  });
  it('shows a planned next action with its kind in words and the day it is planned for', () => {
    expect(gegevensTekst({ actie: 'Gesprek', op: '2026-12-08' }, 'ActieGepland')).toBe('actie: Gesprek met cliënt, gepland voor: 8 dec 2026');
  });
  it('shows the new hours of a change of hours', () => {
    expect(gegevensTekst({ plaatsing_id: '0193-abc', uren_per_week: 10.5 }, 'UrenGewijzigd')).toBe('nieuwe uren per week: 10,5');
  });
  it("writes the closed lists' values with their labels, in the glossary's spelling", () => {
    expect(
      gegevensTekst(
        { client_id: 'c-1', methode: 'IPS', regio: 'AM13', organisatie: 'org-am13-1', verwijzer: 'GGZ', financier: 'UWV' },
        'TrajectAangemeld',
      ),
    ).toBe('methode: IPS, regio: AM13, organisatie: org-am13-1, verwijzer: GGZ, financier: UWV');
    expect(gegevensTekst({ methode: 'WerkAlsBesteZorg', verwijzer: 'Client' }, 'TrajectAangemeld')).toBe(
      'methode: Werk als beste zorg, verwijzer: Cliënt zelf',
    );
    for (const uitkering of ['WIA', 'WW', 'ZW'])
      expect(gegevensTekst({ coach: 'c', uitkering, in_ggz_behandeling: true }, 'IntakeAfgerond')).toBe(
        `coach: c, uitkering: ${uitkering}, in ggz behandeling: ja`,
      );
    expect(gegevensTekst({ reden: 'VerzoekClient' }, 'PersoonsgegevensGewist')).toBe('reden: Verzoek van de cliënt (AVG art. 17)');
    expect(gegevensTekst({ reden: 'Anders' }, 'PersoonsgegevensGewist')).toBe('reden: Andere reden');
    expect(gegevensTekst({ event_id: 'e-1', reden: 'VerkeerdeDatum' }, 'GebeurtenisIngetrokken')).toBe('reden: Verkeerde datum');
    expect(gegevensTekst({ reden: 'DuurzaamAanHetWerk' }, 'TrajectAfgesloten')).toBe('reden: Duurzaam aan het werk');
  });
  it('writes the data in words, without ids and without the date of its own column', () => {
    expect(
      gegevensTekst({
        datum: '2026-11-24',
        plaatsing_id: '0193-abc',
        werkgever: 'Bakkerij De Korenschoof',
        uren_per_week: 24.5,
        contract: { vorm: 'Tijdelijk', einddatum: '2027-05-31' },
        betaald: true,
        in_ggz_behandeling: false,
        reden: 'ContractAfgelopen',
      }, 'PlaatsingGestart'),
    ).toBe(
      'werkgever: Bakkerij De Korenschoof, uren per week: 24,5, contract: vorm Tijdelijk einddatum 31 mei 2027, betaald: ja, in ggz behandeling: nee, reden: Contract afgelopen',
    );
  });
  it("says an erased client's employer and job title are erased", () => {
    expect(gegevensTekst({ werkgever: null, functie: null, uren_per_week: 8, betaald: true })).toBe(
      'werkgever: gewist, functie: gewist, uren per week: 8, betaald: ja',
    );
  });
});
