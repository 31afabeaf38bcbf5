// OpenID Connect sign-in: the authorization code flow with PKCE (RFC 7636), as a public client
// without a secret. The verifier and state stay in sessionStorage for the one round trip, with
// the page the user was on, to come back to.
import { bewaarTerugpad } from './concept';

export interface OidcConfig {
  issuer: string;
  clientId: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

function base64url(bytes: Uint8Array): string {
  let tekst = '';
  for (const b of bytes) tekst += String.fromCharCode(b);
  return btoa(tekst).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh code verifier (43 characters from 32 random bytes). */
export function maakVerifier(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier. */
export async function challenge(verifier: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(hash));
}

async function ontdek(issuer: string): Promise<Discovery> {
  const antwoord = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!antwoord.ok) throw new Error(`de inlogdienst antwoordt niet (${antwoord.status})`);
  return (await antwoord.json()) as Discovery;
}

const OPSLAG = 'traject.pkce';

export function terugUrl(): string {
  return `${window.location.origin}/aanmelden/terug`;
}

/** Sends the browser to the provider's sign-in page. */
export async function startInloggen(config: OidcConfig): Promise<void> {
  const { authorization_endpoint } = await ontdek(config.issuer);
  const verifier = maakVerifier();
  const state = maakVerifier();
  sessionStorage.setItem(OPSLAG, JSON.stringify({ verifier, state }));
  bewaarTerugpad();
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: terugUrl(),
    scope: 'openid profile',
    code_challenge: await challenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  window.location.assign(url.toString());
}

/** Finishes the sign-in on the way back: checks the state and exchanges the code for a token. */
export async function rondInloggenAf(config: OidcConfig, zoek: string): Promise<Tokens> {
  const params = new URLSearchParams(zoek);
  const bewaard = JSON.parse(sessionStorage.getItem(OPSLAG) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(OPSLAG);
  if (params.get('error')) throw new Error(`inloggen geweigerd: ${params.get('error')}`);
  const code = params.get('code');
  if (!bewaard || !code || params.get('state') !== bewaard.state) {
    throw new Error('het inloggen hoort niet bij deze browser; begin opnieuw');
  }
  const { token_endpoint } = await ontdek(config.issuer);
  const antwoord = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: terugUrl(),
      client_id: config.clientId,
      code_verifier: bewaard.verifier,
    }),
  });
  return leesTokens(antwoord);
}

/** What the provider's token endpoint answered, as far as the client needs it. */
export interface Tokens {
  accessToken: string;
  /** Only when the provider gives one (not every provider does for a public client). */
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), if the provider said (`expires_in`). */
  verlooptOp?: number;
}

async function leesTokens(antwoord: Response, nu = Date.now()): Promise<Tokens> {
  if (!antwoord.ok) throw new Error(`de inlogdienst gaf geen token (${antwoord.status})`);
  const json = (await antwoord.json()) as { access_token?: string; refresh_token?: string; expires_in?: number };
  if (!json.access_token) throw new Error('de inlogdienst gaf geen access token');
  return {
    accessToken: json.access_token,
    refreshToken: json.refresh_token || undefined,
    verlooptOp: typeof json.expires_in === 'number' && json.expires_in > 0 ? nu + json.expires_in * 1000 : undefined,
  };
}

/** A new access token for a refresh token (`grant_type=refresh_token`). */
export async function vernieuw(config: OidcConfig, refreshToken: string): Promise<Tokens> {
  const { token_endpoint } = await ontdek(config.issuer);
  const antwoord = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: config.clientId }),
  });
  const tokens = await leesTokens(antwoord);
  // A provider that does not rotate refresh tokens answers without one: the old one stays valid.
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
}

/**
 * How long to wait before renewing a token that expires at `verlooptOp`: a minute before, or
 * for a short-lived token at four fifths of its remaining life; never less than 5 seconds.
 */
export function wachttijd(verlooptOp: number, nu = Date.now()): number {
  const over = verlooptOp - nu;
  return Math.max(5_000, Math.min(over - 60_000, over * 0.8));
}

const VERNIEUWING = 'traject.vernieuwing';

interface Vernieuwing {
  config: OidcConfig;
  refreshToken: string;
  verlooptOp: number;
}

/** Keeps what silent renewal needs (in sessionStorage, like the token); forgets it when there is nothing to renew with. */
export function bewaarVernieuwing(config: OidcConfig, tokens: Tokens): void {
  if (tokens.refreshToken && tokens.verlooptOp) {
    const v: Vernieuwing = { config, refreshToken: tokens.refreshToken, verlooptOp: tokens.verlooptOp };
    sessionStorage.setItem(VERNIEUWING, JSON.stringify(v));
  } else {
    sessionStorage.removeItem(VERNIEUWING);
  }
}

export function vergeetVernieuwing(): void {
  sessionStorage.removeItem(VERNIEUWING);
}

/**
 * Silent renewal in production: with a refresh token, a new access token is fetched shortly
 * before the current one expires (`wachttijd`), and again before that one expires, for as long
 * as the provider gives new ones. `nieuw` receives each new access token; the page, its forms
 * and its subscriptions go on undisturbed (the GraphQL client reads the token per request).
 *
 * Without a refresh token (the provider gives none to a public client, or offline access was
 * not granted) nothing is renewed: the session ends when the access token expires. The server
 * then answers UNAUTHENTICATED, the sign-in screen shows "Uw sessie is verlopen", every form
 * keeps its draft in sessionStorage, and after signing in again (at the provider, usually
 * without typing anything thanks to the provider's own session) the user is back on the same
 * page with the same form and values. A failed renewal ends the same way.
 *
 * Returns a function that stops the renewal (on signing out).
 */
export function planVernieuwing(nieuw: (accessToken: string) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gestopt = false;
  const plan = () => {
    const v = JSON.parse(sessionStorage.getItem(VERNIEUWING) ?? 'null') as Vernieuwing | null;
    if (!v || gestopt) return;
    timer = setTimeout(async () => {
      try {
        const tokens = await vernieuw(v.config, v.refreshToken);
        if (gestopt) return;
        bewaarVernieuwing(v.config, { ...tokens, verlooptOp: tokens.verlooptOp ?? v.verlooptOp });
        nieuw(tokens.accessToken);
        if (tokens.verlooptOp) plan();
      } catch {
        // The session ends at the token's expiry, as without a refresh token (see above).
        vergeetVernieuwing();
      }
    }, wachttijd(v.verlooptOp));
  };
  plan();
  return () => {
    gestopt = true;
    if (timer) clearTimeout(timer);
  };
}
