// The signed-in session: the bearer token (in sessionStorage, so it ends with the tab), the
// caller as the server sees them (`me`), and signing out.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Provider, useQuery } from 'urql';
import { maakClient } from './api';
import { foutTekst } from './fouten';
import { graphql } from './gql';
import type { Rol } from './gql/graphql';
import { Melding } from './ui';

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
  token: string;
  ik: Ik;
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

/** Holds the token; without one, or once the server refuses it, shows `aanmelden`. */
export function SessieProvider({
  aanmelden,
  children,
}: {
  aanmelden: (melding: string | undefined, inloggen: (token: string) => void) => ReactNode;
  children: ReactNode;
}) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(SLEUTEL));
  const [melding, setMelding] = useState<string>();
  const uitloggen = useCallback((tekst?: string) => {
    sessionStorage.removeItem(SLEUTEL);
    setMelding(tekst);
    setToken(null);
  }, []);
  const inloggen = useCallback((nieuw: string) => {
    bewaarToken(nieuw);
    setMelding(undefined);
    setToken(nieuw);
  }, []);
  const client = useMemo(
    () => (token ? maakClient(token, () => uitloggen('Uw sessie is verlopen of ongeldig. Log opnieuw in.')) : null),
    [token, uitloggen],
  );
  if (!token || !client) return <>{aanmelden(melding, inloggen)}</>;
  return (
    <Provider value={client}>
      <MetIk token={token} uitloggen={uitloggen}>
        {children}
      </MetIk>
    </Provider>
  );
}

function MetIk({ token, uitloggen, children }: { token: string; uitloggen: Sessie['uitloggen']; children: ReactNode }) {
  const [{ data, error, fetching }] = useQuery({ query: IkQuery, requestPolicy: 'network-only' });
  const sessie = useMemo(() => (data ? { token, ik: data.me, uitloggen } : null), [data, token, uitloggen]);
  if (error) {
    return (
      <main id="inhoud" className="traject-main">
        <Melding soort="fout">Aanmelden lukte niet. {foutTekst(error)}</Melding>
      </main>
    );
  }
  if (fetching || !sessie) return <p className="utrecht-paragraph traject-laden">Laden…</p>;
  return <SessieContext.Provider value={sessie}>{children}</SessieContext.Provider>;
}

/** Whether the caller has one of these roles. */
export function heeftRol(ik: Ik, ...rollen: Rol[]): boolean {
  return ik.rollen.some((r) => rollen.includes(r));
}
