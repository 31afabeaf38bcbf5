// The OpenID Connect sign-in: the S256 challenge of RFC 7636, and the way back checks the state
// and sends the verifier with the code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { challenge, maakVerifier, rondInloggenAf } from '../src/pkce';

const config = { issuer: 'https://login.voorbeeld.nl/realms/traject/', clientId: 'traject-web' };

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

function provider(token: Record<string, unknown>) {
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (url.endsWith('/.well-known/openid-configuration')) {
      return Response.json({ authorization_endpoint: 'https://login/auth', token_endpoint: 'https://login/token' });
    }
    expect(url).toBe('https://login/token');
    expect(init?.method).toBe('POST');
    return Response.json(token);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('pkce', () => {
  it('computes the challenge of the RFC 7636 example', async () => {
    expect(await challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers of 43 URL-safe characters, each new', () => {
    const a = maakVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(maakVerifier()).not.toBe(a);
  });

  it('exchanges the code with the verifier kept for this browser', async () => {
    sessionStorage.setItem('traject.pkce', JSON.stringify({ verifier: 'v'.repeat(43), state: 's1' }));
    const fetch = provider({ access_token: 'het-token' });
    expect(await rondInloggenAf(config, '?code=c1&state=s1')).toBe('het-token');
    const [, init] = fetch.mock.calls[1] as [string, RequestInit];
    const body = new URLSearchParams(init.body as URLSearchParams);
    expect(Object.fromEntries(body)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'c1',
      client_id: 'traject-web',
      code_verifier: 'v'.repeat(43),
    });
    expect(sessionStorage.getItem('traject.pkce')).toBeNull();
  });

  it('refuses a return that does not belong to this browser', async () => {
    sessionStorage.setItem('traject.pkce', JSON.stringify({ verifier: 'v'.repeat(43), state: 's1' }));
    const fetch = provider({ access_token: 'het-token' });
    await expect(rondInloggenAf(config, '?code=c1&state=ander')).rejects.toThrow(/hoort niet bij deze browser/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("reports the provider's refusal", async () => {
    sessionStorage.setItem('traject.pkce', JSON.stringify({ verifier: 'v'.repeat(43), state: 's1' }));
    provider({});
    await expect(rondInloggenAf(config, '?error=access_denied&state=s1')).rejects.toThrow('inloggen geweigerd: access_denied');
    await expect(rondInloggenAf(config, '?code=c1&state=s1')).rejects.toThrow(/hoort niet bij deze browser/);
  });
});
