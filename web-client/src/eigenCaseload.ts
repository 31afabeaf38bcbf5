// The coach's own open caseload as a whole, for the screens that plan by it (Vandaag and the
// week agenda): every page of it, fetched again on request and whenever the caseload changes
// (the same live signal as the caseload screen's).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient, useSubscription, type CombinedError } from 'urql';
import { graphql } from './gql';
import type { EigenCaseloadQuery as EigenCaseloadAntwoord } from './gql/graphql';
import { CaseloadGewijzigd } from './screens/Caseload';

// Pages of 100: the server allows up to 200, but counts a list's size times its fields against
// a request's complexity (at most 2,000), and 200 of these items would exceed it.
export const EigenCaseloadQuery = graphql(`
  query EigenCaseload($na: String) {
    caseload(aantal: 100, na: $na) {
      volgende
      items {
        trajectId
        naam
        fase
        volgendeActie {
          actie
          op
        }
        contractEindigtOp
        werkgeverscontactUiterlijk
        aandacht {
          soort
          dagen
          sinds
          op
          actie
        }
      }
    }
  }
`);

export type EigenItem = EigenCaseloadAntwoord['caseload']['items'][number];

export interface EigenCaseload {
  /** Every open trajectory of the caller, once loaded (kept on screen while it loads again). */
  items?: EigenItem[];
  error?: CombinedError;
  bezig: boolean;
  /** Fetches every page again. */
  herlaad: () => void;
  /** Counts the loads that completed, so that a screen can act after one. */
  geladen: number;
}

/** The caller's own open caseload, every page; fetched again on `herlaad` and on every change. */
export function useEigenCaseload(): EigenCaseload {
  const client = useClient();
  const [versie, setVersie] = useState(0);
  const [stand, setStand] = useState<{ items?: EigenItem[]; error?: CombinedError; geladen: number }>({ geladen: 0 });
  const [bezig, setBezig] = useState(true);
  const herlaad = useCallback(() => setVersie((v) => v + 1), []);

  useEffect(() => {
    let gestopt = false;
    setBezig(true);
    (async () => {
      const alles: EigenItem[] = [];
      let na: string | null = null;
      for (let pagina = 0; pagina < 200; pagina++) {
        const { data, error } = await client
          .query(EigenCaseloadQuery, { na }, { requestPolicy: 'network-only' })
          .toPromise();
        if (gestopt) return;
        if (error || !data) {
          setStand((oud) => ({ ...oud, error }));
          setBezig(false);
          return;
        }
        alles.push(...data.caseload.items);
        na = data.caseload.volgende ?? null;
        if (!na) break;
      }
      setStand((oud) => ({ items: alles, geladen: oud.geladen + 1 }));
      setBezig(false);
    })();
    return () => {
      gestopt = true;
    };
  }, [client, versie]);

  // Live: a change anywhere in the caseload fetches it again (the first message only says it is on).
  const eerste = useRef(true);
  const [{ data: live }] = useSubscription({ query: CaseloadGewijzigd, variables: { organisatie: false } });
  useEffect(() => {
    if (!live) return;
    if (eerste.current) {
      eerste.current = false;
      return;
    }
    herlaad();
  }, [live, herlaad]);

  return { ...stand, bezig, herlaad };
}
