// Small React components over the NL Design System's CSS components (Utrecht component
// library) and design tokens: buttons, form fields with their error messages, alerts, tables.
import { useEffect, useId, useRef, type ComponentPropsWithRef, type ReactNode } from 'react';

type KnopSoort = 'primair' | 'secundair' | 'subtiel' | 'gevaar';
const KNOP: Record<KnopSoort, string> = {
  primair: 'utrecht-button--primary-action',
  secundair: 'utrecht-button--secondary-action',
  subtiel: 'utrecht-button--subtle',
  gevaar: 'utrecht-button--primary-action utrecht-button--danger',
};

export function Knop({
  soort = 'secundair',
  className = '',
  type = 'button',
  ...rest
}: ComponentPropsWithRef<'button'> & { soort?: KnopSoort }) {
  return <button type={type} className={`utrecht-button ${KNOP[soort]} ${className}`} {...rest} />;
}

/** Set on a navigation whose page had no h1 yet (still loading): the h1 takes the focus when it comes. */
let focusNaarH1Tot = 0;

/**
 * After a navigation within the application the focus goes to the new page's h1, so that a
 * screen reader starts there and Tab goes on from the top of the content. A page that is still
 * loading gets it when its h1 appears (within a few seconds).
 */
export function focusOpH1(): void {
  const h1 = document.querySelector<HTMLElement>('#inhoud h1');
  if (h1) {
    h1.focus();
    focusNaarH1Tot = 0;
  } else {
    focusNaarH1Tot = Date.now() + 5_000;
  }
}

export function Kop({ niveau, children, id }: { niveau: 1 | 2 | 3; children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (niveau === 1 && focusNaarH1Tot > Date.now()) {
      focusNaarH1Tot = 0;
      ref.current?.focus();
    }
  }, [niveau]);
  const Tag = `h${niveau}` as const;
  return (
    <Tag id={id} ref={ref} className={`utrecht-heading-${niveau}`} tabIndex={niveau === 1 ? -1 : undefined}>
      {children}
    </Tag>
  );
}

/** Sets the document's title: `Mijn caseload – traject`. */
export function useTitel(titel: string | undefined): void {
  useEffect(() => {
    if (titel) document.title = `${titel} – traject`;
  }, [titel]);
}

/** Sets the document's title, for a screen that does not itself. */
export function Titel({ tekst }: { tekst: string }) {
  useTitel(tekst);
  return null;
}

/**
 * After a form was refused, the focus goes to the first field in error, or, when no field is
 * in error, to the form's message (the error summary or the conflict).
 */
export function focusOpFout(formulier: HTMLElement | null): void {
  if (!formulier) return;
  const veld = formulier.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (veld) {
    veld.focus();
    return;
  }
  const melding = formulier.querySelector<HTMLElement>('.utrecht-alert');
  if (melding) {
    melding.tabIndex = -1;
    melding.focus();
  }
}

export function Alinea({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <p className={`utrecht-paragraph ${className}`}>{children}</p>;
}

/** A form checked by our own rules (not the browser's), sending through `verstuur`. */
export function Formulier({
  verstuur,
  ...rest
}: Omit<ComponentPropsWithRef<'form'>, 'onSubmit' | 'className' | 'noValidate'> & {
  verstuur: () => Promise<void>;
}) {
  return (
    <form
      className="traject-formulier"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void verstuur();
      }}
      {...rest}
    />
  );
}

type MeldingSoort = 'fout' | 'info' | 'ok' | 'waarschuwing';
const MELDING: Record<MeldingSoort, string> = {
  fout: 'error',
  info: 'info',
  ok: 'ok',
  waarschuwing: 'warning',
};

export function Melding({ soort, children }: { soort: MeldingSoort; children: ReactNode }) {
  return (
    <div
      className={`utrecht-alert utrecht-alert--${MELDING[soort]}`}
      role={soort === 'fout' || soort === 'waarschuwing' ? 'alert' : 'status'}
    >
      <div className="utrecht-alert__content">
        <div className="utrecht-alert__message">{children}</div>
      </div>
    </div>
  );
}

interface VeldProps {
  label: string;
  fout?: string;
  uitleg?: string;
  /** The id of an error the field shares with its group (shown by the group), if any. */
  groepFout?: string;
  /** An extra class for the field. */
  klasse?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}

/** A labelled form field: its error message (if any) before the input, as the NL Design System advises. */
export function Veld({ label, fout, uitleg, groepFout, klasse, children }: VeldProps) {
  const id = useId();
  const beschrijving = [uitleg ? `${id}-uitleg` : '', fout ? `${id}-fout` : '', groepFout ?? ''].filter(Boolean).join(' ');
  const ongeldig = !!fout || !!groepFout;
  return (
    <div className={['utrecht-form-field utrecht-form-field--text', klasse, ongeldig ? 'utrecht-form-field--invalid' : ''].filter(Boolean).join(' ')}>
      <div className="utrecht-form-field__label">
        <label className="utrecht-form-label" htmlFor={id}>
          {label}
        </label>
      </div>
      {uitleg && (
        <div id={`${id}-uitleg`} className="utrecht-form-field-description">
          {uitleg}
        </div>
      )}
      {fout && (
        <div id={`${id}-fout`} className="utrecht-form-field-error-message">
          {fout}
        </div>
      )}
      <div className="utrecht-form-field__input">
        {children({ id, 'aria-describedby': beschrijving || undefined, 'aria-invalid': ongeldig ? true : undefined })}
      </div>
    </div>
  );
}

export function TekstVeld({
  label,
  waarde,
  onWaarde,
  fout,
  uitleg,
  type = 'text',
  autoComplete = 'off',
  naam,
  alleenLezen,
}: {
  label: string;
  waarde: string;
  onWaarde: (v: string) => void;
  fout?: string;
  uitleg?: string;
  type?: 'text' | 'date' | 'search' | 'email' | 'tel';
  autoComplete?: string;
  naam?: string;
  alleenLezen?: boolean;
}) {
  return (
    <Veld label={label} fout={fout} uitleg={uitleg}>
      {(p) => (
        <input
          {...p}
          name={naam}
          type={type}
          autoComplete={autoComplete}
          readOnly={alleenLezen}
          className={`utrecht-textbox utrecht-textbox--html-input ${fout ? 'utrecht-textbox--invalid' : ''}`}
          value={waarde}
          onChange={(e) => onWaarde(e.target.value)}
        />
      )}
    </Veld>
  );
}

export function KeuzeVeld({
  label,
  waarde,
  onWaarde,
  opties,
  fout,
  uitleg,
  naam,
  leeg,
}: {
  label: string;
  waarde: string;
  onWaarde: (v: string) => void;
  opties: readonly (string | { waarde: string; tekst: string })[];
  fout?: string;
  uitleg?: string;
  naam?: string;
  leeg?: string;
}) {
  return (
    <Veld label={label} fout={fout} uitleg={uitleg}>
      {(p) => (
        <select
          {...p}
          name={naam}
          className={`utrecht-select utrecht-select--html-select ${fout ? 'utrecht-select--invalid' : ''}`}
          value={waarde}
          onChange={(e) => onWaarde(e.target.value)}
        >
          {leeg !== undefined && <option value="">{leeg}</option>}
          {opties.map((o) => {
            const { waarde: w, tekst } = typeof o === 'string' ? { waarde: o, tekst: woorden(o) } : o;
            return (
              <option key={w} value={w}>
                {tekst}
              </option>
            );
          })}
        </select>
      )}
    </Veld>
  );
}

export function VinkVeld({
  label,
  aan,
  onAan,
  naam,
}: {
  label: string;
  aan: boolean;
  onAan: (v: boolean) => void;
  naam?: string;
}) {
  const id = useId();
  return (
    <div className="utrecht-form-field utrecht-form-field--checkbox">
      <div className="utrecht-form-field__input">
        <input
          id={id}
          name={naam}
          type="checkbox"
          className="utrecht-checkbox utrecht-checkbox--html-input"
          checked={aan}
          onChange={(e) => onAan(e.target.checked)}
        />
      </div>
      <div className="utrecht-form-field__label">
        <label className="utrecht-form-label utrecht-form-label--checkbox" htmlFor={id}>
          {label}
        </label>
      </div>
    </div>
  );
}

export function Tabel({ bijschrift, koppen, children, numeriek = [] }: {
  bijschrift: string;
  koppen: string[];
  children: ReactNode;
  numeriek?: number[];
}) {
  return (
    <div className="utrecht-table-container utrecht-table-container--overflow-inline" tabIndex={0} role="region" aria-label={bijschrift}>
      <table className="utrecht-table utrecht-table--html-table">
        <caption className="utrecht-table__caption">{bijschrift}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {koppen.map((k, i) => (
              <th
                key={k + i}
                scope="col"
                className={`utrecht-table__header-cell ${numeriek.includes(i) ? 'utrecht-table__header-cell--numeric-column' : ''}`}
              >
                {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">{children}</tbody>
      </table>
    </div>
  );
}

/**
 * A code without a label of its own in words: `ContractAfgelopen` as `Contract afgelopen`, an
 * abbreviation (`IPS`, `NL`) as it is. The closed lists of the schema have labels
 * (keuzelijsten.ts).
 */
export function woorden(code: string): string {
  if (/^[A-Z]+$/.test(code)) return code;
  const delen = code.replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
  return delen.map((d, i) => (i === 0 ? d : d.toLowerCase())).join(' ');
}

/** `2025-03-07` as `7 mrt 2025`. */
export function datumTekst(datum: string | null | undefined): string {
  if (!datum) return '–';
  const [j, m, d] = datum.split('-').map(Number);
  const maanden = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
  return `${d} ${maanden[m - 1]} ${j}`;
}
