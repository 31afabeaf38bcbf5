// The server's errors land where the user looks: at the field, as a conflict, or for the form.
// The user reads the server's message; the kind and the rule's code are for deciding only.
import { describe, expect, it } from 'vitest';
import { CombinedError } from 'urql';
import { GraphQLError } from 'graphql';
import { foutTekst, isTijdelijk, leesFout, normaliseer, zin } from '../src/fouten';

function fout(code: string, extra: Record<string, unknown> = {}, bericht = 'bericht'): CombinedError {
  return new CombinedError({ graphQLErrors: [new GraphQLError(bericht, { extensions: { code, ...extra } })] });
}

describe('normaliseer', () => {
  it('matches the input the server names, with its path, with the form field by the last segment', () => {
    expect(normaliseer('plaatsing.urenPerWeek')).toBe(normaliseer('urenPerWeek'));
    expect(normaliseer('wijziging.datum')).toBe('datum');
    expect(normaliseer('intrekking.gebeurtenisId')).toBe(normaliseer('gebeurtenisId'));
    expect(normaliseer('invoer.verwijzer')).toBe('verwijzer');
    expect(normaliseer('reden')).toBe('reden');
  });
});

describe('zin', () => {
  it('writes a message as a sentence', () => {
    expect(zin('traject niet gevonden')).toBe('Traject niet gevonden.');
    expect(zin('Al een zin.')).toBe('Al een zin.');
  });
});

describe('leesFout', () => {
  const velden = ['datum', 'werkgever', 'urenPerWeek', 'einddatum'];

  it('is nothing without an error', () => {
    expect(leesFout(undefined, velden)).toBeUndefined();
  });

  it("puts BAD_USER_INPUT's message at the field the server names, by its last path segment", () => {
    const bericht = 'de datum (2026-01-02) ligt voor de aanmelding of de laatste heropening (2026-01-05)';
    const f = leesFout(fout('BAD_USER_INPUT', { veld: 'wijziging.datum', regel: 'datum_voor_begin' }, bericht), velden);
    expect(f).toEqual({ velden: { datum: bericht }, code: 'BAD_USER_INPUT', regel: 'datum_voor_begin' });

    const uren = leesFout(
      fout('BAD_USER_INPUT', { veld: 'plaatsing.urenPerWeek', regel: 'ongeldige_waarde' }, 'uren per week mag niet meer dan 60 zijn'),
      velden,
    );
    expect(uren?.velden).toEqual({ urenPerWeek: 'uren per week mag niet meer dan 60 zijn' });
    expect(leesFout(fout('BAD_USER_INPUT', { veld: 'plaatsing.einddatum', regel: 'contract_einde_voor_start' }), velden)?.velden).toEqual({
      einddatum: 'bericht',
    });
  });

  it('gives the message for the whole form when the form has no such field, or none is named', () => {
    const f = leesFout(
      fout('BAD_USER_INPUT', { veld: 'invoer.clientId', regel: 'client_gewist' }, 'de persoonsgegevens van deze client zijn gewist'),
      velden,
    );
    expect(f?.velden).toEqual({});
    expect(f?.algemeen).toBe('De persoonsgegevens van deze client zijn gewist.');
    expect(f?.regel).toBe('client_gewist');

    const geheel = leesFout(fout('BAD_USER_INPUT', { regel: 'intake_al_afgerond' }, 'de intake is al afgerond'), velden);
    expect(geheel?.algemeen).toBe('De intake is al afgerond.');
  });

  it('never puts the rule code, the kind or the field name into what it shows', () => {
    const f = leesFout(
      fout('BAD_USER_INPUT', { veld: 'coach', regel: 'coach_niet_in_team' }, 'deze coach hoort niet (meer) bij het team van de organisatie'),
      ['coach'],
    );
    expect(f?.velden.coach).toBe('deze coach hoort niet (meer) bij het team van de organisatie');
    const anders = leesFout(fout('BAD_USER_INPUT', { veld: 'invoer.regio', regel: 'ongeldige_waarde' }, 'regio moet een CBS-code zijn'), []);
    for (const tekst of [f?.velden.coach, f?.algemeen, anders?.algemeen]) {
      expect(tekst ?? '').not.toMatch(/coach_niet_in_team|ongeldige_waarde|BAD_USER_INPUT|invoer\.regio/);
    }
    expect(anders?.algemeen).toBe('Regio moet een CBS-code zijn.');
  });

  it('keeps the rule code to decide on, such as a closing that needs confirming', () => {
    const f = leesFout(
      fout(
        'BAD_USER_INPUT',
        { veld: 'reden', regel: 'duurzaam_niet_bereikt' },
        'duurzaam is op 2026-12-04 niet bereikt; kies een andere reden of bevestig dat de client duurzaam aan het werk is',
      ),
      ['datum', 'reden'],
    );
    expect(f?.regel).toBe('duurzaam_niet_bereikt');
    expect(f?.velden.reden).toMatch(/^duurzaam is op 2026-12-04 niet bereikt; kies een andere reden/);
  });

  it('reads a CONFLICT with the current revision', () => {
    const f = leesFout(fout('CONFLICT', { huidigeRevisie: 7 }), velden);
    expect(f?.conflict).toEqual({ huidigeRevisie: 7 });
    expect(f?.code).toBe('CONFLICT');
    expect(f?.algemeen).toBeUndefined();
  });

  it.each([
    ['FORBIDDEN', { regel: 'niet-eigen-client-of-organisatie' }, 'geen toegang: dit traject hoort niet bij uw caseload', 'Geen toegang: dit traject hoort niet bij uw caseload.'],
    ['NOT_FOUND', {}, 'traject niet gevonden', 'Traject niet gevonden.'],
    ['UNAVAILABLE', {}, 'nu niet beschikbaar: de store is niet bereikbaar; probeer het zo opnieuw', 'Traject is even niet beschikbaar. Probeer het zo opnieuw; wat u invulde blijft staan.'],
    ['UNAVAILABLE', {}, 'nu niet beschikbaar: de wijziging is opgeslagen; de leesmodellen lopen achter, haal het zo opnieuw op', 'Uw wijziging is opgeslagen, maar is nog niet te zien. Laad het traject zo opnieuw; verstuur niet nog een keer.'],
    ['UNAUTHENTICATED', {}, 'token verlopen', 'Uw sessie is verlopen. Log opnieuw in.'],
    ['TOO_MANY_REQUESTS', { regel: 'inzagequotum' }, 'te veel inzagen', 'U heeft in korte tijd erg veel dossiers geopend. Wacht een minuut en probeer het dan opnieuw.'],
    ['INTERNAL', {}, 'interne fout; meld correlatie-id 0193', 'Er ging iets mis op de server. Probeer het later opnieuw; blijft het misgaan, meld het dan bij uw beheerder met de code 0193.'],
  ])('gives %s as one message for the form', (code, extra, bericht, tekst) => {
    const f = leesFout(fout(code, extra, bericht), velden);
    expect(f?.code).toBe(code);
    expect(f?.algemeen).toBe(tekst);
    expect(foutTekst(fout(code, extra, bericht))).toBe(tekst);
  });

  it('never shows a technical or English message of an unknown kind', () => {
    const f = new CombinedError({ graphQLErrors: [new GraphQLError('Query is too complex.')] });
    expect(foutTekst(f)).toBe('Er ging iets mis op de server. Probeer het later opnieuw; blijft het misgaan, meld het dan bij uw beheerder.');
    const g = fout('GRAPHQL_VALIDATION_FAILED', {}, 'Unknown field "x"');
    expect(foutTekst(g)).toBe('Er ging iets mis. Probeer het opnieuw; blijft het misgaan, meld het dan bij uw beheerder.');
  });

  it('tells passing errors (no answer, UNAVAILABLE) from lasting ones', () => {
    expect(isTijdelijk(new CombinedError({ networkError: new TypeError('Failed to fetch') }))).toBe(true);
    expect(isTijdelijk(fout('UNAVAILABLE', {}, 'nu niet beschikbaar'))).toBe(true);
    expect(isTijdelijk(fout('FORBIDDEN', {}, 'geen toegang'))).toBe(false);
    expect(isTijdelijk(undefined)).toBe(false);
  });

  it('says that the server cannot be reached, and that nothing typed is lost', () => {
    const f = leesFout(new CombinedError({ networkError: new Error('Failed to fetch') }), velden);
    expect(f?.code).toBe('NETWERK');
    expect(f?.algemeen).toMatch(/niet bereikbaar/);
    const tekst = foutTekst(new CombinedError({ networkError: new TypeError('Failed to fetch') }));
    expect(tekst).toBe('De server is even niet bereikbaar. Controleer uw internetverbinding.');
    expect(tekst).not.toMatch(/Network|fetch/);
  });
});
