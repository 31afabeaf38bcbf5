// The GraphQL client: every request carries the bearer token; queries go as POST (never GET, so
// that a name search never lands in a URL or a proxy's log); subscriptions over graphql-ws, with
// the token in the connection's init payload.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

/** Builds the client for one signed-in session. `onUitgelogd` runs when the server refuses the token. */
export function maakClient(token: string, onUitgelogd: () => void): Client {
  const ws = createWsClient({
    url: wsUrl(),
    connectionParams: { Authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: 20,
    shouldRetry: () => true,
  });
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { Authorization: `Bearer ${token}` } }),
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
  const blob = await antwoord.blob();
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
