// Sign-in: in demo mode pick a demo user; with a configured OpenID Connect provider, sign in
// there (authorization code flow with PKCE); in development mode a token can also be pasted.
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { neemTerugpad } from '../concept';
import { bewaarVernieuwing, rondInloggenAf, startInloggen, type OidcConfig } from '../pkce';
import { Alinea, Knop, Kop, Melding, Veld, useTitel } from '../ui';

interface AuthConfig {
  modus: 'ontwikkeling' | 'productie';
  demo: boolean;
  oidc: OidcConfig | null;
}

interface DemoLogin {
  rol: string;
  gebruiker: string;
  naam: string;
  token: string;
}

const ROLUITLEG: Record<string, string> = {
  coach: 'houdt de trajecten van de eigen caseload bij',
  teamleider: 'ziet de trajecten van de organisatie en wijst coaches toe',
  regio: 'ziet alleen geanonimiseerde cijfers van de eigen regio',
  landelijk: 'ziet geanonimiseerde cijfers van alle regio’s',
  beheerder: 'leest het toegangslog en wist cliëntgegevens',
};

export function Aanmelden({ melding, inloggen }: { melding?: string; inloggen: (token: string) => void }) {
  const [config, setConfig] = useState<AuthConfig>();
  const [demo, setDemo] = useState<DemoLogin[]>([]);
  const [fout, setFout] = useState<string>();
  const [token, setToken] = useState('');
  const navigeer = useNavigate();
  useTitel('Inloggen');

  useEffect(() => {
    let actief = true;
    (async () => {
      try {
        const antwoord = await fetch('/auth/config');
        if (!antwoord.ok) throw new Error(`de server antwoordt niet (${antwoord.status})`);
        const c = (await antwoord.json()) as AuthConfig;
        if (!actief) return;
        setConfig(c);
        if (window.location.pathname === '/aanmelden/terug' && c.oidc) {
          const tokens = await rondInloggenAf(c.oidc, window.location.search);
          bewaarVernieuwing(c.oidc, tokens);
          // Back to the page the user was on when they went to the provider (else the start).
          navigeer(neemTerugpad(), { replace: true });
          inloggen(tokens.accessToken);
          return;
        }
        if (c.demo) {
          const lijst = await fetch('/auth/demo');
          if (lijst.ok && actief) setDemo((await lijst.json()) as DemoLogin[]);
        }
      } catch (e) {
        if (actief) setFout((e as Error).message);
      }
    })();
    return () => {
      actief = false;
    };
  }, [inloggen, navigeer]);

  return (
    <main id="inhoud" className="traject-main traject-aanmelden">
      <Kop niveau={1}>Inloggen bij traject</Kop>
      {melding && <Melding soort="waarschuwing">{melding}</Melding>}
      {fout && <Melding soort="fout">Inloggen lukte niet: {fout}</Melding>}
      {!config && !fout && <Alinea>Laden…</Alinea>}
      {config?.oidc && (
        <section aria-labelledby="oidc-kop">
          <Kop niveau={2} id="oidc-kop">
            Met uw organisatie-account
          </Kop>
          <Knop soort="primair" onClick={() => startInloggen(config.oidc!).catch((e: Error) => setFout(e.message))}>
            Inloggen
          </Knop>
        </section>
      )}
      {demo.length > 0 && (
        <section aria-labelledby="demo-kop">
          <Kop niveau={2} id="demo-kop">
            Demo: kies een gebruiker
          </Kop>
          <Alinea>Deze server draait met demodata. Elke gebruiker heeft een andere rol.</Alinea>
          <ul className="traject-demo-lijst">
            {demo.map((d) => (
              <li key={d.rol}>
                <Knop soort="primair" onClick={() => inloggen(d.token)}>
                  {d.naam}
                </Knop>{' '}
                <span>
                  {d.rol}: {ROLUITLEG[d.rol] ?? ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {config?.modus === 'ontwikkeling' && (
        <section aria-labelledby="token-kop">
          <Kop niveau={2} id="token-kop">
            Met een token (ontwikkeling)
          </Kop>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (token.trim()) inloggen(token.trim());
            }}
          >
            <Veld label="Bearer-token" uitleg="Bijvoorbeeld van `traject token --user … --role coach`.">
              {(p) => (
                <textarea
                  {...p}
                  className="utrecht-textarea utrecht-textarea--html-textarea"
                  rows={3}
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                />
              )}
            </Veld>
            <Knop type="submit">Inloggen met token</Knop>
          </form>
        </section>
      )}
      {config && !config.oidc && config.modus === 'productie' && (
        <Melding soort="fout">Er is geen inlogdienst ingesteld (--oidc-issuer).</Melding>
      )}
    </main>
  );
}
