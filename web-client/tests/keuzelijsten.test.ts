// Every closed list the screens offer is the schema's enum: the same values in the same order,
// each with a label. The schema is the committed SDL the server is built against.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphQLEnumType, GraphQLInputObjectType, buildSchema, getNamedType, type GraphQLSchema } from 'graphql';
import { FORMULIEREN, type Context } from '../src/gebeurtenissen';
import { KEUZELIJSTEN, ROLLEN, keuzeTekst, type Keuzelijst } from '../src/keuzelijsten';

const schema: GraphQLSchema = buildSchema(readFileSync(resolve(process.cwd(), '../schema.graphql'), 'utf8'));

function enumWaarden(naam: string): string[] {
  const type = schema.getType(naam);
  expect(type, `enum ${naam} in the schema`).toBeInstanceOf(GraphQLEnumType);
  return (type as GraphQLEnumType).getValues().map((v) => v.value as string);
}

/** The enums that a mutation takes, as an argument or as a field of an input. */
function enumsVanMutaties(): Set<string> {
  const uit = new Set<string>();
  const bekeken = new Set<string>();
  const bekijk = (type: ReturnType<typeof getNamedType>) => {
    if (type instanceof GraphQLEnumType) uit.add(type.name);
    if (type instanceof GraphQLInputObjectType && !bekeken.has(type.name)) {
      bekeken.add(type.name);
      for (const veld of Object.values(type.getFields())) bekijk(getNamedType(veld.type));
    }
  };
  for (const mutatie of Object.values(schema.getMutationType()!.getFields()))
    for (const arg of mutatie.args) bekijk(getNamedType(arg.type));
  return uit;
}

describe('the closed lists', () => {
  it.each(Object.keys(KEUZELIJSTEN) as Keuzelijst[])('%s offers exactly the values of the schema enum, in its order', (lijst) => {
    expect(KEUZELIJSTEN[lijst].map((o) => o.waarde)).toEqual(enumWaarden(lijst));
  });

  it('give every value a label, never an empty one', () => {
    for (const lijst of Object.values(KEUZELIJSTEN))
      for (const { waarde, tekst } of lijst) expect(tekst, waarde).toMatch(/\S/);
  });

  it('cover every enum a mutation takes', () => {
    const nodig = [...enumsVanMutaties()].sort();
    expect(nodig).toEqual(
      expect.arrayContaining(['AfsluitingsReden', 'Contract', 'IntrekkingsReden', 'Methode', 'Uitkering', 'Verwijzer', 'WisReden']),
    );
    for (const naam of nodig) expect(Object.keys(KEUZELIJSTEN), naam).toContain(naam);
  });

  it("offer the access log's roles as the schema's roles", () => {
    expect(ROLLEN.map((o) => o.waarde)).toEqual(enumWaarden('Rol').map((r) => r.toLowerCase()));
  });

  it('label the values of the glossary as a coach reads them', () => {
    const tekst = (lijst: Keuzelijst, waarde: string) => KEUZELIJSTEN[lijst].find((o) => o.waarde === waarde)?.tekst;
    expect(tekst('Methode', 'IPS')).toBe('IPS');
    expect(tekst('Methode', 'WerkAlsBesteZorg')).toBe('Werk als beste zorg');
    expect(tekst('Verwijzer', 'GGZ')).toBe('GGZ');
    expect(tekst('Financier', 'UWV')).toBe('UWV');
    expect(tekst('Uitkering', 'WIA')).toBe('WIA');
    expect(tekst('Uitkering', 'WW')).toBe('WW');
    expect(tekst('Uitkering', 'ZW')).toBe('ZW');
    expect(tekst('WisReden', 'VerzoekClient')).toBe('Verzoek van de cliënt (AVG art. 17)');
    expect(keuzeTekst('reden', 'Anders', 'PersoonsgegevensGewist')).toBe('Andere reden');
    expect(keuzeTekst('reden', 'DuurzaamAanHetWerk', 'TrajectAfgesloten')).toBe('Duurzaam aan het werk');
    expect(keuzeTekst('vorm', 'Tijdelijk')).toBe('Tijdelijk');
    expect(tekst('ActieSoort', 'Gesprek')).toBe('Gesprek met cliënt');
    expect(tekst('ActieSoort', 'AfstemmingBehandelaar')).toBe('Afstemming met behandelaar');
    expect(keuzeTekst('actie', 'AfstemmingFinancier')).toBe('Afstemming met financier');
  });
});

describe('the event forms', () => {
  const context: Context = { plaatsingen: [], gebeurtenissen: [], isCoach: false, team: [] };

  it("offer in each choice of a closed list the schema enum's values", () => {
    let gezien = 0;
    for (const formulier of FORMULIEREN)
      for (const veld of formulier.velden(context)) {
        if (veld.soort !== 'keuze' || !veld.keuzelijst) continue;
        gezien += 1;
        const waarden = (veld.opties ?? []).map((o) => (typeof o === 'string' ? o : o.waarde));
        expect(waarden, `${formulier.naam}.${veld.naam}`).toEqual(enumWaarden(veld.keuzelijst));
      }
    expect(gezien).toBeGreaterThanOrEqual(7);
  });

  it('name the enum each choice of a closed list sends, as the mutation declares it', () => {
    const mutaties = schema.getMutationType()!.getFields();
    const verwacht: Record<string, [string, Keuzelijst][]> = {
      intakeAfronden: [['uitkering', 'Uitkering']],
      plaatsingBeeindigen: [['reden', 'BeeindigingsReden']],
      opschalen: [['reden', 'OpschalingsReden']],
      afsluiten: [['reden', 'AfsluitingsReden']],
      heropenen: [['reden', 'HeropeningsReden']],
      actiePlannen: [['actie', 'ActieSoort']],
    };
    for (const [mutatie, paren] of Object.entries(verwacht))
      for (const [arg, lijst] of paren) {
        const type = getNamedType(mutaties[mutatie].args.find((a) => a.name === arg)!.type);
        expect(type.name, `${mutatie}(${arg})`).toBe(lijst);
        const veld = FORMULIEREN.find((f) => f.naam === mutatie)!.velden(context).find((v) => v.naam === arg);
        expect(veld?.keuzelijst, `${mutatie}.${arg}`).toBe(lijst);
      }
    const invoer = (type: string, veld: string) => getNamedType((schema.getType(type) as GraphQLInputObjectType).getFields()[veld].type).name;
    expect(invoer('PlaatsingInvoer', 'contract')).toBe('Contract');
    expect(FORMULIEREN.find((f) => f.naam === 'plaatsingStarten')!.velden(context).find((v) => v.naam === 'contract')?.keuzelijst).toBe('Contract');
    expect(invoer('IntrekkingInvoer', 'reden')).toBe('IntrekkingsReden');
    expect(FORMULIEREN.find((f) => f.naam === 'intrekken')!.velden(context).find((v) => v.naam === 'reden')?.keuzelijst).toBe('IntrekkingsReden');
    for (const veld of ['methode', 'verwijzer', 'financier'])
      expect(invoer('AanmeldenInvoer', veld)).toBe(veld.charAt(0).toUpperCase() + veld.slice(1));
  });
});
