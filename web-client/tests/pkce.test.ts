// The OpenID Connect sign-in: the S256 challenge of RFC 7636, and the way back checks the state
// and sends the verifier with the code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  bewaarVernieuwing,
  challenge,
  maakVerifier,
  planVernieuwing,
  rondInloggenAf,
  startInloggen,
  wachttijd,
} from '../src/pkce';
import { neemTerugpad } from '../src/concept';

const config = { issuer: 'https://login.voorbeeld.nl/realms/traject/', clientId: 'traject-web' };

afterEach(() => {
  vi.useRealTimers();
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
    expect((await rondInloggenAf(config, '?code=c1&state=s1')).accessToken).toBe('het-token');
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

  it('keeps the refresh token and the expiry when the provider gives them', async () => {
    sessionStorage.setItem('traject.pkce', JSON.stringify({ verifier: 'v'.repeat(43), state: 's1' }));
    provider({ access_token: 'a1', refresh_token: 'r1', expires_in: 300 });
    const voor = Date.now();
    const tokens = await rondInloggenAf(config, '?code=c1&state=s1');
    expect(tokens.refreshToken).toBe('r1');
    expect(tokens.verlooptOp).toBeGreaterThanOrEqual(voor + 300_000);
  });

  it('renews a minute before expiry, or sooner for a short-lived token', () => {
    expect(wachttijd(1_000 + 300_000, 1_000)).toBe(240_000);
    expect(wachttijd(1_000 + 60_000, 1_000)).toBe(5_000);
    expect(wachttijd(1_000 + 100_000, 1_000)).toBe(40_000);
  });

  it('renews silently with the refresh token, and again with the rotated one', async () => {
    vi.useFakeTimers({ now: 0 });
    const fetch = provider({ access_token: 'a2', refresh_token: 'r2', expires_in: 300 });
    bewaarVernieuwing(config, { accessToken: 'a1', refreshToken: 'r1', verlooptOp: 300_000 });
    const nieuw = vi.fn();
    const stop = planVernieuwing(nieuw);
    await vi.advanceTimersByTimeAsync(239_000);
    expect(nieuw).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(nieuw).toHaveBeenCalledWith('a2');
    const [, init] = fetch.mock.calls[1] as [string, RequestInit];
    expect(Object.fromEntries(new URLSearchParams(init.body as URLSearchParams))).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'r1',
      client_id: 'traject-web',
    });
    expect(JSON.parse(sessionStorage.getItem('traject.vernieuwing')!).refreshToken).toBe('r2');
    stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(nieuw).toHaveBeenCalledTimes(1);
  });

  it('renews nothing without a refresh token', async () => {
    vi.useFakeTimers({ now: 0 });
    const fetch = provider({ access_token: 'a2' });
    bewaarVernieuwing(config, { accessToken: 'a1', verlooptOp: 300_000 });
    const nieuw = vi.fn();
    planVernieuwing(nieuw);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fetch).not.toHaveBeenCalled();
    expect(nieuw).not.toHaveBeenCalled();
  });

  it('remembers the page the user was on before going to the provider', async () => {
    provider({});
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, pathname: '/traject/t-1', search: '?x=1', origin: 'http://localhost', assign });
    await startInloggen(config);
    expect(assign).toHaveBeenCalled();
    expect(neemTerugpad()).toBe('/traject/t-1?x=1');
    expect(neemTerugpad()).toBe('/');
  });
});
