// Straight to the server's API as a demo user, for what a test needs before it opens a screen:
// entries in the access log, made by reading trajectories as the demo coach, and trajectories
// of the demo coach in a given state (taken in some days ago, a next action planned, …).
import { expect, type APIRequestContext } from '@playwright/test';
import { plusDagen } from '../src/datums';

/** A demo user's token, as the sign-in screen gets it. */
export async function token(request: APIRequestContext, rol: string): Promise<string> {
  const demo = (await (await request.get('/auth/demo')).json()) as { rol: string; token: string }[];
  return demo.find((d) => d.rol === rol)!.token;
}

/** A demo user's user id (the demo coach is the one whose caseload is nearest to 20). */
export async function gebruiker(request: APIRequestContext, rol: string): Promise<string> {
  const demo = (await (await request.get('/auth/demo')).json()) as { rol: string; gebruiker: string }[];
  return demo.find((d) => d.rol === rol)!.gebruiker;
}

export async function graphql(request: APIRequestContext, bearer: string, query: string, variables: Record<string, unknown> = {}) {
  const antwoord = await request.post('/graphql', {
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    data: { query, variables },
  });
  expect(antwoord.ok()).toBeTruthy();
  const body = (await antwoord.json()) as { data?: Record<string, unknown>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** `aantal` access-log entries of the demo coach: reads of one of their trajectories. */
export async function leesTrajecten(request: APIRequestContext, aantal: number) {
  const coach = await token(request, 'coach');
  const data = await graphql(request, coach, '{ caseload(aantal: 1) { items { trajectId } } }');
  // The demo data may leave the demo coach without an open trajectory: then one of their own.
  const [eerste] = (data.caseload as { items: { trajectId: string }[] }).items;
  const trajectId = eerste?.trajectId ?? (await maakTraject(request, coach, { naam: 'Lees Test' })).id;
  for (let i = 0; i < aantal; i++) await graphql(request, coach, 'query($id: ID!) { traject(id: $id) { id } }', { id: trajectId });
}


/** A day `n` days from today (before it when negative), as the schema writes it, in the browser's zone (Amsterdam). */
export function dag(n = 0): string {
  const vandaag = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  return plusDagen(vandaag, n);
}

/** A trajectory made through the API, with the revision its last change gave. */
export interface ApiTraject {
  id: string;
  revisie: number;
}

/**
 * A new trajectory of the demo coach with the client's name: referred and taken in
 * `intakeDagenGeleden` days ago (so that the first employer contact is due 30 days after that).
 */
export async function maakTraject(
  request: APIRequestContext,
  bearer: string,
  { naam, intakeDagenGeleden = 5 }: { naam: string; intakeDagenGeleden?: number },
): Promise<ApiTraject> {
  const ik = (await graphql(request, bearer, '{ me { organisatie regio } }')).me as { organisatie: string; regio: string };
  const datum = dag(-intakeDagenGeleden);
  const aangemeld = (
    await graphql(
      request,
      bearer,
      `mutation($invoer: AanmeldenInvoer!) { aanmelden(invoer: $invoer) { revisie traject { id clientId } } }`,
      { invoer: { datum, methode: 'IPS', regio: ik.regio, organisatie: ik.organisatie, verwijzer: 'GGZ', financier: 'Gemeente' } },
    )
  ).aanmelden as { revisie: number; traject: { id: string; clientId: string } };
  await graphql(
    request,
    bearer,
    `mutation($clientId: ID!, $gegevens: PersoonsgegevensInvoer!) { persoonsgegevensVastleggen(clientId: $clientId, versie: null, gegevens: $gegevens) { clientId } }`,
    { clientId: aangemeld.traject.clientId, gegevens: { naam, geboortedatum: '1990-04-12' } },
  );
  return wijzig(request, bearer, { id: aangemeld.traject.id, revisie: aangemeld.revisie }, datum, 'intakeAfronden', 'uitkering: Participatiewet, inGgzBehandeling: false');
}

/** Records one change on `traject` dated `datum`: `mutatie(wijziging: …, <argumenten>)`. */
export async function wijzig(
  request: APIRequestContext,
  bearer: string,
  traject: ApiTraject,
  datum: string,
  mutatie: string,
  argumenten: string,
  variabelen: Record<string, unknown> = {},
  declaraties = '',
): Promise<ApiTraject> {
  const data = await graphql(
    request,
    bearer,
    `mutation($w: Wijziging!${declaraties}) { ${mutatie}(wijziging: $w, ${argumenten}) { revisie } }`,
    { w: { trajectId: traject.id, revisie: traject.revisie, datum }, ...variabelen },
  );
  return { id: traject.id, revisie: (data[mutatie] as { revisie: number }).revisie };
}

/** Plans the next action `actie` (an ActieSoort) for the day `op`, planned today. */
export function planActie(request: APIRequestContext, bearer: string, traject: ApiTraject, actie: string, op: string) {
  return wijzig(request, bearer, traject, dag(), 'actiePlannen', `actie: ${actie}, op: "${op}"`);
}
