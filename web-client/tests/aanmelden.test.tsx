// Back from the OpenID Connect provider: the code is exchanged, a refresh token is kept for
// silent renewal, and the user lands on the page they were on before signing in.
import { afterEach, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { Aanmelden } from '../src/screens/Aanmelden';
import { bewaarTerugpad } from '../src/concept';

afterEach(() => vi.unstubAllGlobals());

function Waar() {
  const l = useLocation();
  return <p data-testid="waar">{l.pathname + l.search}</p>;
}

it('returns to the page the user was on, and keeps the refresh token', async () => {
  sessionStorage.setItem('traject.pkce', JSON.stringify({ verifier: 'v'.repeat(43), state: 's1' }));
  bewaarTerugpad('/traject/t-9?peildatum=2026-01-01');
  vi.stubGlobal('location', { ...window.location, pathname: '/aanmelden/terug', search: '?code=c1&state=s1', origin: 'http://localhost' });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url === '/auth/config') return Response.json({ modus: 'productie', demo: false, oidc: { issuer: 'https://idp', clientId: 'traject-web' } });
      if (url.endsWith('/.well-known/openid-configuration')) return Response.json({ authorization_endpoint: 'https://idp/auth', token_endpoint: 'https://idp/token' });
      return Response.json({ access_token: 'a1', refresh_token: 'r1', expires_in: 300 });
    }),
  );
  const inloggen = vi.fn();
  render(
    <MemoryRouter initialEntries={['/aanmelden/terug?code=c1&state=s1']}>
      <Routes>
        <Route path="/aanmelden/*" element={<Aanmelden inloggen={inloggen} />} />
        <Route path="*" element={<Waar />} />
      </Routes>
    </MemoryRouter>,
  );
  await waitFor(() => expect(inloggen).toHaveBeenCalledWith('a1'));
  // The navigation is a state update of the router, rendered after the call above.
  expect(await screen.findByTestId('waar')).toHaveTextContent('/traject/t-9?peildatum=2026-01-01');
  expect(JSON.parse(sessionStorage.getItem('traject.vernieuwing')!)).toMatchObject({ refreshToken: 'r1' });
});
