// OpenID Connect sign-in: the authorization code flow with PKCE (RFC 7636), as a public client
// without a secret. The verifier and state stay in sessionStorage for the one round trip.

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
export async function rondInloggenAf(config: OidcConfig, zoek: string): Promise<string> {
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
  if (!antwoord.ok) throw new Error(`de inlogdienst gaf geen token (${antwoord.status})`);
  const json = (await antwoord.json()) as { access_token?: string };
  if (!json.access_token) throw new Error('de inlogdienst gaf geen access token');
  return json.access_token;
}
