// Straight to the server's API as a demo user, for what a test needs before it opens a screen:
// entries in the access log, made by reading trajectories as the demo coach.
import { expect, type APIRequestContext } from '@playwright/test';

/** A demo user's token, as the sign-in screen gets it. */
export async function token(request: APIRequestContext, rol: string): Promise<string> {
  const demo = (await (await request.get('/auth/demo')).json()) as { rol: string; token: string }[];
  return demo.find((d) => d.rol === rol)!.token;
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
  const [{ trajectId }] = (data.caseload as { items: { trajectId: string }[] }).items;
  for (let i = 0; i < aantal; i++) await graphql(request, coach, 'query($id: ID!) { traject(id: $id) { id } }', { id: trajectId });
}

