// The what-if of the business case: the form prefilled from the released case, a number as a
// Dutch user types it, the `watAls` input naming only what changed (costs of a method for every
// financier, shares from percentages, no `versie`), the changes in words, and the server's
// field names back to the form's groups.
import { describe, expect, it } from 'vitest';
import {
  basisVan,
  foutSleutel,
  formulierVan,
  getalInvoer,
  leesAannames,
  leesAantal,
  leesGetal,
  watAlsVan,
  type Formulier,
} from '../src/watalsinvoer';

const s = '\u00a0';

const bereik = (laag: number, midden: number, hoog: number) => ({ laag, midden, hoog });
const perFinancier = (b: ReturnType<typeof bereik>) => ({ Gemeente: b, UWV: b, Zorgverzekeraar: b, GGZ: b, Anders: b });

/** The assumptions as the server returns them (`Businesscase.aannames`): every field. */
const AANNAMES = JSON.stringify({
  versie: 'AM13-2026-1',
  kosten_per_trajectmaand: {
    IPS: perFinancier(bereik(350, 450, 550)),
    Jobcoaching: { ...perFinancier(bereik(250, 320, 400)), Gemeente: bereik(300, 350, 400) },
    WerkAlsBesteZorg: perFinancier(bereik(300, 380, 460)),
  },
  uitkering_per_maand: { WIA: bereik(1500, 1800, 2100) },
  afbouw_per_uur: { WIA: bereik(0.01, 0.015, 0.02) },
  zorgkosten_per_maand: bereik(400, 600, 800),
  zorgkosten_effect_werk: bereik(0.25, 0.5, 0.5),
  zorgkosten_bron: 'Erasmus Universiteit Rotterdam',
  belasting_premies_per_uur: bereik(0, 0, 0),
  werkgever_per_uur: bereik(0, 0, 0),
  behoud_per_jaar: bereik(0.5, 0.7, 0.85),
  horizonten: [1, 2, 5],
});

const TRAJECTEN = [
  { methode: 'IPS' as const, geteld: 60, berekend: 60 },
  { methode: 'Jobcoaching' as const, geteld: 40, berekend: 40 },
  { methode: 'WerkAlsBesteZorg' as const, geteld: 0, berekend: 0 },
];

const basis = basisVan(leesAannames(AANNAMES)!, TRAJECTEN);
const leeg = formulierVan(basis);
const met = (wijziging: (f: Formulier) => void): Formulier => {
  const f = structuredClone(leeg);
  wijziging(f);
  return f;
};

describe('the form prefilled', () => {
  it('holds the counts, the euros and the shares as percentages', () => {
    expect(leeg.trajecten).toEqual({ IPS: '60', Jobcoaching: '40', WerkAlsBesteZorg: '0' });
    expect(leeg.kosten.IPS).toEqual({ laag: '350', midden: '450', hoog: '550' });
    expect(leeg.zorgkostenEffect).toEqual({ laag: '25', midden: '50', hoog: '50' });
    // 0.85 * 100 is 85.00000000000001 in floating point: the form shows 85.
    expect(leeg.behoud).toEqual({ laag: '50', midden: '70', hoog: '85' });
  });

  it('knows when a method costs differently per financier', () => {
    expect(basis.kostenVerschillen).toEqual({ IPS: false, Jobcoaching: true, WerkAlsBesteZorg: false });
  });

  it('reads only assumptions it knows', () => {
    expect(leesAannames('{}')).toBeUndefined();
    expect(leesAannames('niet json')).toBeUndefined();
    expect(leesAannames('{"kosten_per_trajectmaand":{},"zorgkosten_effect_werk":{"laag":1},"behoud_per_jaar":{"laag":0,"midden":0,"hoog":0}}')).toBeUndefined();
  });

  it('writes a number with a decimal comma and no thousands separator', () => {
    expect(getalInvoer(1350)).toBe('1350');
    expect(getalInvoer(0.5)).toBe('0,5');
    expect(getalInvoer(33.333)).toBe('33,33');
  });
});

describe('leesGetal', () => {
  it('reads a number as a Dutch user types it', () => {
    expect(leesGetal('450')).toEqual({ waarde: 450 });
    expect(leesGetal(' 1.350 ')).toEqual({ waarde: 1350 });
    expect(leesGetal('1.350,50')).toEqual({ waarde: 1350.5 });
    expect(leesGetal('0,5')).toEqual({ waarde: 0.5 });
    expect(leesGetal('0.5')).toEqual({ waarde: 0.5 });
    expect(leesGetal('€ 450')).toEqual({ waarde: 450 });
    expect(leesGetal('70%')).toEqual({ waarde: 70 });
  });

  it('says why a text is no number of 0 or more', () => {
    expect(leesGetal('')).toEqual({ fout: 'moet een getal zijn' });
    expect(leesGetal('-5')).toEqual({ fout: 'mag niet negatief zijn' });
    expect(leesGetal('veel')).toEqual({ fout: 'moet een getal zijn, bijvoorbeeld 450 of 0,5' });
    expect(leesGetal('1,2,3')).toEqual({ fout: 'moet een getal zijn, bijvoorbeeld 450 of 0,5' });
  });

  it('takes a count only as a whole number', () => {
    expect(leesAantal('120')).toEqual({ waarde: 120 });
    expect(leesAantal('1.200')).toEqual({ waarde: 1200 });
    expect(leesAantal('12,5')).toEqual({ fout: 'moet een geheel getal zijn, bijvoorbeeld 60' });
    expect(leesAantal('-1')).toEqual({ fout: 'mag niet negatief zijn' });
    expect(leesAantal('twee')).toEqual({ fout: 'moet een geheel getal zijn, bijvoorbeeld 60' });
  });
});

describe('watAlsVan', () => {
  it('is no what-if while nothing differs, also when typed otherwise', () => {
    expect(watAlsVan(basis, leeg)).toEqual({ fouten: {}, watAls: undefined, wijzigingen: [] });
    const anders = met((f) => {
      f.kosten.IPS.midden = '450,00';
      f.behoud.hoog = '85,0';
    });
    expect(watAlsVan(basis, anders).watAls).toBeUndefined();
  });

  it('names only the methods whose number changed', () => {
    const u = watAlsVan(basis, met((f) => (f.trajecten.IPS = '120')));
    expect(u.watAls).toEqual({ trajecten: [{ methode: 'IPS', aantal: 120 }] });
    expect(u.wijzigingen).toEqual(['IPS: 120 trajecten (geteld: 60)']);
  });

  it('sets the costs of a method for every financier, and no version of its own', () => {
    const u = watAlsVan(
      basis,
      met((f) => (f.kosten.IPS = { laag: '500', midden: '600', hoog: '700' })),
    );
    const json = JSON.parse(u.watAls!.aannames!);
    expect(Object.keys(json)).toEqual(['kosten_per_trajectmaand']);
    expect(json.kosten_per_trajectmaand).toEqual({ IPS: perFinancier(bereik(500, 600, 700)) });
    expect(json).not.toHaveProperty('versie');
    expect(u.watAls!.trajecten).toBeUndefined();
    expect(u.wijzigingen).toEqual([
      `Kosten per trajectmaand, IPS: €${s}500 / €${s}600 / €${s}700 voor elke financier (was €${s}350 / €${s}450 / €${s}550)`,
    ]);
  });

  it('says that the costs were different per financier before', () => {
    const u = watAlsVan(basis, met((f) => (f.kosten.Jobcoaching.laag = '200')));
    expect(u.wijzigingen[0]).toMatch(/voor elke financier \(was verschillend per financier\)$/);
    expect(JSON.parse(u.watAls!.aannames!).kosten_per_trajectmaand.Jobcoaching.Gemeente).toEqual(bereik(200, 350, 400));
  });

  it('turns percentages into shares', () => {
    const u = watAlsVan(
      basis,
      met((f) => {
        f.zorgkostenEffect = { laag: '30', midden: '40', hoog: '50' };
        f.behoud = { laag: '80', midden: '90', hoog: '95' };
        f.trajecten.Jobcoaching = '10';
      }),
    );
    expect(JSON.parse(u.watAls!.aannames!)).toEqual({
      zorgkosten_effect_werk: bereik(0.3, 0.4, 0.5),
      behoud_per_jaar: bereik(0.8, 0.9, 0.95),
    });
    expect(u.watAls!.trajecten).toEqual([{ methode: 'Jobcoaching', aantal: 10 }]);
    expect(u.wijzigingen).toEqual([
      'Jobcoaching: 10 trajecten (geteld: 40)',
      'Vermeden zorgkosten door werk: 30% / 40% / 50% (was 25% / 50% / 50%)',
      'Behoud van werk per jaar: 80% / 90% / 95% (was 50% / 70% / 85%)',
    ]);
  });

  it('leaves the order of a range to the server: it names the field and the rule', () => {
    const u = watAlsVan(basis, met((f) => (f.behoud = { laag: '90', midden: '70', hoog: '85' })));
    expect(JSON.parse(u.watAls!.aannames!).behoud_per_jaar).toEqual(bereik(0.9, 0.7, 0.85));
  });

  it('sends nothing while a field is no number, and says which', () => {
    const u = watAlsVan(
      basis,
      met((f) => {
        f.trajecten.IPS = 'zestig';
        f.behoud.laag = '-10';
        f.kosten.IPS.hoog = '';
        f.zorgkostenEffect.midden = '45';
      }),
    );
    expect(u.watAls).toBeUndefined();
    expect(u.wijzigingen).toEqual([]);
    expect(u.fouten).toEqual({
      'trajecten.IPS': 'moet een geheel getal zijn, bijvoorbeeld 60',
      'behoud.laag': 'mag niet negatief zijn',
      'kosten.IPS.hoog': 'moet een getal zijn',
    });
  });
});

describe('foutSleutel', () => {
  it('finds the form group of the field the server names', () => {
    expect(foutSleutel('watAls.trajecten.IPS')).toBe('trajecten.IPS');
    expect(foutSleutel('watAls.trajecten.WerkAlsBesteZorg')).toBe('trajecten.WerkAlsBesteZorg');
    expect(foutSleutel('watAls.aannames.behoudPerJaar')).toBe('behoud');
    expect(foutSleutel('watAls.aannames.behoud_per_jaar')).toBe('behoud');
    expect(foutSleutel('watAls.aannames.zorgkostenEffectWerk')).toBe('zorgkostenEffect');
    expect(foutSleutel('watAls.aannames.kostenPerTrajectmaand.IPS.UWV')).toBe('kosten.IPS');
    expect(foutSleutel('watAls.aannames.kosten_per_trajectmaand.Jobcoaching.Gemeente')).toBe('kosten.Jobcoaching');
  });

  it('finds none for a field the form does not offer', () => {
    expect(foutSleutel('watAls.aannames.horizonten')).toBeUndefined();
    expect(foutSleutel('watAls.aannames.bestand')).toBeUndefined();
    expect(foutSleutel('watAls.trajecten.aantal')).toBeUndefined();
    expect(foutSleutel('jaar')).toBeUndefined();
    expect(foutSleutel(undefined)).toBeUndefined();
  });
});
