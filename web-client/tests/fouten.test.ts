// The server's errors land where the user looks: at the field, as a conflict, or for the form.
import { describe, expect, it } from 'vitest';
import { CombinedError } from 'urql';
import { GraphQLError } from 'graphql';
import { leesFout, normaliseer } from '../src/fouten';

function fout(code: string, extra: Record<string, unknown> = {}, bericht = 'bericht'): CombinedError {
  return new CombinedError({ graphQLErrors: [new GraphQLError(bericht, { extensions: { code, ...extra } })] });
}

describe('normaliseer', () => {
  it('matches the server field names with the form field names', () => {
    expect(normaliseer('uren_per_week')).toBe(normaliseer('urenPerWeek'));
    expect(normaliseer('contract.einddatum')).toBe('einddatum');
  });
});

describe('leesFout', () => {
  const velden = ['datum', 'werkgever', 'urenPerWeek'];

  it('is nothing without an error', () => {
    expect(leesFout(undefined, velden)).toBeUndefined();
  });

  it('puts BAD_USER_INPUT at the field the server names', () => {
    const f = leesFout(fout('BAD_USER_INPUT', { veld: 'uren_per_week', regel: 'mag niet meer dan 60 zijn' }), velden);
    expect(f).toEqual({ velden: { urenPerWeek: 'mag niet meer dan 60 zijn' }, code: 'BAD_USER_INPUT' });
  });

  it('names a field the form does not have in the message for the whole form', () => {
    const f = leesFout(fout('BAD_USER_INPUT', { veld: 'client_id', regel: 'bestaat niet' }), velden);
    expect(f?.velden).toEqual({});
    expect(f?.algemeen).toBe('client_id: bestaat niet');
  });

  it('reads a CONFLICT with the current revision', () => {
    const f = leesFout(fout('CONFLICT', { huidigeRevisie: 7 }), velden);
    expect(f?.conflict).toEqual({ huidigeRevisie: 7 });
    expect(f?.code).toBe('CONFLICT');
    expect(f?.algemeen).toBeUndefined();
  });

  it.each([
    ['FORBIDDEN', 'Dat mag u niet: bericht'],
    ['NOT_FOUND', 'Niet gevonden: bericht'],
    ['UNAUTHENTICATED', 'Uw sessie is verlopen. Log opnieuw in.'],
    ['INTERNAL', 'bericht'],
  ])('gives %s as one message for the form', (code, tekst) => {
    const f = leesFout(fout(code), velden);
    expect(f?.code).toBe(code);
    expect(f?.algemeen).toBe(tekst);
  });

  it('says that the server cannot be reached, and that nothing typed is lost', () => {
    const f = leesFout(new CombinedError({ networkError: new Error('Failed to fetch') }), velden);
    expect(f?.code).toBe('NETWERK');
    expect(f?.algemeen).toMatch(/niet bereikbaar/);
  });
});
