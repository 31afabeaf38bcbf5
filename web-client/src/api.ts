// The GraphQL client: every request carries the bearer token; queries go as POST (never GET, so
// that a name search never lands in a URL or a proxy's log); subscriptions over graphql-ws, with
// the token in the connection's init payload.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

/**
 * Builds the client for one signed-in session. The token is read for every request
 * (`haalToken`), so a silently renewed token takes effect without a new client (and without
 * losing what is on screen). `onUitgelogd` runs when the server refuses the token.
 */
export function maakClient(haalToken: () => string, onUitgelogd: () => void): Client {
  // The highest store position this session's writes answered (`Traject-Positie`), sent with
  // every request: behind a load balancer, whichever instance answers waits until it shows them.
  let positie: string | undefined;
  const ws = createWsClient({
    url: wsUrl(),
    connectionParams: () => ({ Authorization: `Bearer ${haalToken()}` }),
    lazy: true,
    retryAttempts: 20,
    shouldRetry: () => true,
  });
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({
      headers: {
        Authorization: `Bearer ${haalToken()}`,
        ...(positie === undefined ? {} : { 'Traject-Positie': positie }),
      },
    }),
    fetch: async (invoer, opties) => {
      const antwoord = await fetch(invoer, opties);
      positie = hoogste(positie, antwoord.headers.get('traject-positie'));
      return antwoord;
    },
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUitgelogd();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}

/** The higher of two store positions (whole numbers of any size, as text); `gezien` if `nieuw` is none. */
export function hoogste(gezien: string | undefined, nieuw: string | null): string | undefined {
  if (nieuw === null || !/^\d+$/.test(nieuw)) return gezien;
  if (gezien === undefined) return nieuw;
  if (nieuw.length !== gezien.length) return nieuw.length > gezien.length ? nieuw : gezien;
  return nieuw > gezien ? nieuw : gezien;
}

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql/ws`;
}

/** Downloads an export with the token (a plain link cannot carry it) and offers it as a file. */
export async function download(token: string, pad: string, bestandsnaam: string): Promise<void> {
  const antwoord = await fetch(pad, { headers: { Authorization: `Bearer ${token}` } });
  if (!antwoord.ok) {
    const tekst = await antwoord.text();
    throw new Error(leesExportFout(tekst) ?? `downloaden mislukt (${antwoord.status})`);
  }
  bewaarBestand(await antwoord.blob(), bestandsnaam);
}

/** Offers a file made in the browser for download. */
export function bewaarBestand(blob: Blob, bestandsnaam: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = bestandsnaam;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function leesExportFout(tekst: string): string | undefined {
  try {
    const json = JSON.parse(tekst) as { errors?: { message?: string }[] };
    return json.errors?.[0]?.message;
  } catch {
    return tekst || undefined;
  }
}
