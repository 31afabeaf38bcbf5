// The signed-in session: the bearer token (in sessionStorage, so it ends with the tab), the
// caller as the server sees them (`me`), and signing out.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Provider, useQuery } from 'urql';
import { maakClient } from './api';
import { wisAlleConcepten } from './concept';
import { planVernieuwing, vergeetVernieuwing } from './pkce';
import { graphql } from './gql';
import type { Rol } from './gql/graphql';
import { LaadFout } from './herstel';

const SLEUTEL = 'traject.token';

export const IkQuery = graphql(`
  query Ik {
    me {
      id
      naam
      rollen
      organisatie
      regio
    }
  }
`);

export interface Ik {
  id: string;
  naam: string;
  rollen: Rol[];
  organisatie?: string | null;
  regio?: string | null;
}

interface Sessie {
  /** The bearer token as it is now (silent renewal may replace it). */
  readonly token: string;
  ik: Ik;
  /** Signs out: with a `melding` because the session ended (drafts stay), without one on purpose (drafts go). */
  uitloggen: (melding?: string) => void;
}

const SessieContext = createContext<Sessie | null>(null);

export function useSessie(): Sessie {
  const sessie = useContext(SessieContext);
  if (!sessie) throw new Error('useSessie buiten een sessie');
  return sessie;
}

export function bewaarToken(token: string) {
  sessionStorage.setItem(SLEUTEL, token);
}

/**
 * Holds the token; without one, or once the server refuses it, shows `aanmelden` at the same
 * address, so that signing in again returns to the page the user was on. A session that ends
 * (the server answers UNAUTHENTICATED) keeps the forms' drafts; signing out on purpose wipes them.
 */
export function SessieProvider({
  aanmelden,
  children,
}: {
  aanmelden: (melding: string | undefined, inloggen: (token: string) => void) => ReactNode;
  children: ReactNode;
}) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(SLEUTEL));
  // The token as silent renewal last replaced it, read by the GraphQL client per request.
  const huidig = useRef(token ?? '');
  const [melding, setMelding] = useState<string>();
  const uitloggen = useCallback((tekst?: string) => {
    sessionStorage.removeItem(SLEUTEL);
    vergeetVernieuwing();
    if (tekst === undefined) wisAlleConcepten();
    setMelding(tekst);
    setToken(null);
  }, []);
  const inloggen = useCallback((nieuw: string) => {
    bewaarToken(nieuw);
    huidig.current = nieuw;
    setMelding(undefined);
    setToken(nieuw);
  }, []);
  useEffect(() => {
    if (!token) return;
    huidig.current = token;
    return planVernieuwing((vernieuwd) => {
      bewaarToken(vernieuwd);
      huidig.current = vernieuwd;
    });
  }, [token]);
  const client = useMemo(
    () =>
      token
        ? maakClient(
            () => huidig.current,
            () => uitloggen('Uw sessie is verlopen. Log opnieuw in; wat u aan het invullen was, staat daarna nog klaar.'),
          )
        : null,
    [token, uitloggen],
  );
  if (!token || !client) return <>{aanmelden(melding, inloggen)}</>;
  return (
    <Provider value={client}>
      <MetIk huidig={huidig} uitloggen={uitloggen}>
        {children}
      </MetIk>
    </Provider>
  );
}

function MetIk({
  huidig,
  uitloggen,
  children,
}: {
  huidig: { readonly current: string };
  uitloggen: Sessie['uitloggen'];
  children: ReactNode;
}) {
  const [{ data, error, fetching }, opnieuw] = useQuery({ query: IkQuery, requestPolicy: 'network-only' });
  const sessie = useMemo<Sessie | null>(
    () =>
      data
        ? {
            get token() {
              return huidig.current;
            },
            ik: data.me,
            uitloggen,
          }
        : null,
    [data, huidig, uitloggen],
  );
  if (error && !sessie) {
    return (
      <main id="inhoud" className="traject-main">
        <LaadFout wat="Aanmelden lukte niet." error={error} opnieuw={() => opnieuw({ requestPolicy: 'network-only' })} />
      </main>
    );
  }
  if (!sessie) return <p className="utrecht-paragraph traject-laden">{fetching ? 'Laden…' : ''}</p>;
  return <SessieContext.Provider value={sessie}>{children}</SessieContext.Provider>;
}

/**
 * A coach as a coach reads it: the caller themselves by name ("Demo coach (u zelf)"); another
 * coach by their user id, the only name the server knows for them.
 */
export function coachTekst(coach: string | null | undefined, ik: Pick<Ik, 'id' | 'naam'>): string {
  if (!coach) return '–';
  return coach === ik.id ? `${ik.naam} (u zelf)` : coach;
}

/** Whether the caller has one of these roles. */
export function heeftRol(ik: Ik, ...rollen: Rol[]): boolean {
  return ik.rollen.some((r) => rollen.includes(r));
}
