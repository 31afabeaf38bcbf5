// The what-if form of the Businesscase screen: the number of trajectories per method, and as a
// range (laag, midden, hoog) the costs per trajectory-month of each method, the care costs work
// avoids and the retention of work per year. Every change recomputes by itself (the screen sends
// the what-if once the typing stops); the form only shows the fields, its own errors at each
// field, the server's error at the group it names, and the way back to the counted numbers.
import { useId, type ReactNode } from 'react';
import type { Methode } from './gql/graphql';
import { Knop, Veld } from './ui';
import {
  AANNAME_TEKST,
  BEREIK_DEEL_TEKST,
  BEREIK_DELEN,
  METHODEN,
  type Basis,
  type BereikTekst,
  type Formulier,
} from './watalsinvoer';
import { euroTekst, methodeNaam } from './businesscaseweergave';

/** A number field: its label, its own error before the input, and the group's error it shares. */
function GetalVeld({
  label,
  waarde,
  onWaarde,
  fout,
  naam,
  uitleg,
  groepFout,
}: {
  label: string;
  waarde: string;
  onWaarde: (v: string) => void;
  fout?: string;
  naam: string;
  uitleg?: string;
  /** The id of the group's error (the server's), if any. */
  groepFout?: string;
}) {
  const ongeldig = !!fout || !!groepFout;
  return (
    <Veld label={label} fout={fout} uitleg={uitleg} groepFout={groepFout} klasse="traject-getalveld">
      {(props) => (
        <input
          {...props}
          name={naam}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          className={`utrecht-textbox utrecht-textbox--html-input ${ongeldig ? 'utrecht-textbox--invalid' : ''}`}
          value={waarde}
          onChange={(e) => onWaarde(e.target.value)}
        />
      )}
    </Veld>
  );
}

/** A group of fields with its legend, its explanation and the server's error for it. */
function Groep({ legenda, uitleg, fout, children }: { legenda: string; uitleg?: ReactNode; fout?: string; children: (foutId?: string) => ReactNode }) {
  const id = useId();
  return (
    <fieldset className={`utrecht-form-fieldset traject-watals-groep ${fout ? 'traject-watals-groep--fout' : ''}`}>
      <legend className="utrecht-form-fieldset__legend">{legenda}</legend>
      {uitleg && <p className="utrecht-form-field-description">{uitleg}</p>}
      {fout && (
        <p id={`${id}-fout`} className="utrecht-form-field-error-message">
          {fout}
        </p>
      )}
      <div className="traject-watals-velden">{children(fout ? `${id}-fout` : undefined)}</div>
    </fieldset>
  );
}

function BereikVelden({
  sleutel,
  waarde,
  onWaarde,
  fouten,
  groepFout,
  eenheid,
}: {
  sleutel: string;
  waarde: BereikTekst;
  onWaarde: (v: BereikTekst) => void;
  fouten: Record<string, string>;
  groepFout?: string;
  eenheid: string;
}) {
  return (
    <>
      {BEREIK_DELEN.map((d) => (
        <GetalVeld
          key={d}
          label={`${BEREIK_DEEL_TEKST[d]} (${eenheid})`}
          naam={`${sleutel}.${d}`}
          waarde={waarde[d]}
          onWaarde={(v) => onWaarde({ ...waarde, [d]: v })}
          fout={fouten[`${sleutel}.${d}`]}
          groepFout={groepFout}
        />
      ))}
    </>
  );
}

export function WatAlsFormulier({
  basis,
  formulier,
  onFormulier,
  fouten,
  serverFouten,
  onTerug,
  gewijzigd,
}: {
  basis: Basis;
  formulier: Formulier;
  onFormulier: (f: Formulier) => void;
  /** The form's own errors, per field (`trajecten.IPS`, `behoud.hoog`). */
  fouten: Record<string, string>;
  /** The server's error, per group (`trajecten.IPS`, `kosten.IPS`, `behoud`). */
  serverFouten: Record<string, string>;
  onTerug: () => void;
  gewijzigd: boolean;
}) {
  const terugUitleg = useId();
  const zet = <K extends keyof Formulier>(k: K, v: Formulier[K]) => onFormulier({ ...formulier, [k]: v });
  return (
    <form className="traject-watals" aria-label="Wat als" noValidate onSubmit={(e) => e.preventDefault()}>
      <Groep
        legenda="Aantal trajecten per methode"
        uitleg="De kosten en baten van een methode schalen mee met het aantal trajecten."
        fout={METHODEN.map((m) => serverFouten[`trajecten.${m}`]).find(Boolean)}
      >
        {(foutId) =>
          METHODEN.map((m) => (
            <GetalVeld
              key={m}
              label={methodeNaam(m)}
              naam={`trajecten.${m}`}
              uitleg={`Geteld: ${basis.trajecten[m].toLocaleString('nl-NL')}`}
              waarde={formulier.trajecten[m]}
              onWaarde={(v) => zet('trajecten', { ...formulier.trajecten, [m]: v })}
              fout={fouten[`trajecten.${m}`]}
              groepFout={serverFouten[`trajecten.${m}`] ? foutId : undefined}
            />
          ))
        }
      </Groep>
      {METHODEN.map((m: Methode) => (
        <Groep
          key={m}
          legenda={AANNAME_TEKST.kosten(m)}
          uitleg={
            <>
              In euro per maand van begeleiding; geldt voor elke financier.
              {basis.kostenVerschillen[m] ? ' De regio rekent nu per financier met verschillende bedragen; hier staan die van de eerste.' : ''}
              {basis.kosten[m] ? ` Scenario laag rekent met de hoogste kosten (${euroTekst(basis.kosten[m].hoog)}), hoog met de laagste.` : ''}
            </>
          }
          fout={serverFouten[`kosten.${m}`]}
        >
          {(foutId) => (
            <BereikVelden
              sleutel={`kosten.${m}`}
              waarde={formulier.kosten[m]}
              onWaarde={(v) => zet('kosten', { ...formulier.kosten, [m]: v })}
              fouten={fouten}
              groepFout={foutId}
              eenheid="€"
            />
          )}
        </Groep>
      ))}
      <Groep
        legenda={AANNAME_TEKST.zorgkostenEffect}
        uitleg="Het deel van de GGZ-zorgkosten van een cliënt in behandeling dat een maand werk voorkomt, in procenten (0 tot 100)."
        fout={serverFouten.zorgkostenEffect}
      >
        {(foutId) => (
          <BereikVelden
            sleutel="zorgkostenEffect"
            waarde={formulier.zorgkostenEffect}
            onWaarde={(v) => zet('zorgkostenEffect', v)}
            fouten={fouten}
            groepFout={foutId}
            eenheid="%"
          />
        )}
      </Groep>
      <Groep
        legenda={AANNAME_TEKST.behoud}
        uitleg="Van wie aan het eind van een jaar werk heeft, het deel dat een jaar later nog werk heeft, in procenten (0 tot 100)."
        fout={serverFouten.behoud}
      >
        {(foutId) => (
          <BereikVelden
            sleutel="behoud"
            waarde={formulier.behoud}
            onWaarde={(v) => zet('behoud', v)}
            fouten={fouten}
            groepFout={foutId}
            eenheid="%"
          />
        )}
      </Groep>
      <div className="traject-knoppen">
        <Knop onClick={onTerug} disabled={!gewijzigd} aria-describedby={terugUitleg}>
          Terug naar de getelde aantallen
        </Knop>
        <span id={terugUitleg} className="traject-verborgen">
          Zet alle velden terug op de getelde aantallen en de aannames van de regio.
        </span>
      </div>
    </form>
  );
}
