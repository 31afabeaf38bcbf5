// Reading the files a screen offers, as a test checks them: a CSV with its `#` lines (what the
// file says about itself) and its rows, and the outline of a PDF that Chromium printed (one
// bookmark per heading), so that a test can see which headings are on paper.
import { inflateSync } from 'node:zlib';

/**
 * A CSV file with comma's: its `#` lines (each one field, quoted where it holds a comma) as
 * `kop`, by the name before the colon (not the assumptions' `# aanname` lines); then a header
 * and the rows, fields in double quotes where needed.
 */
export function leesCsv(tekst: string): { kop: Record<string, string>; rijen: Record<string, string>[] } {
  const velden = (regel: string) => {
    const uit: string[] = [];
    let veld = '';
    let tussen = false;
    for (let i = 0; i < regel.length; i++) {
      const c = regel[i];
      if (tussen) {
        if (c === '"' && regel[i + 1] === '"') {
          veld += '"';
          i++;
        } else if (c === '"') tussen = false;
        else veld += c;
      } else if (c === '"') tussen = true;
      else if (c === ',') {
        uit.push(veld);
        veld = '';
      } else veld += c;
    }
    uit.push(veld);
    return uit;
  };
  const regels = tekst
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((r) => r !== '')
    .map(velden);
  // A `#` line: one field where the file quotes it, else split at its commas.
  const commentaar = (r: string[]) => r[0].startsWith('#');
  const kop = Object.fromEntries(
    regels
      .filter((r) => commentaar(r) && r[0].startsWith('# ') && !r[0].startsWith('# aanname '))
      .map((velden) => velden.join(','))
      .map((r) => {
        const i = r.indexOf(': ');
        return [r.slice(2, i), r.slice(i + 2)];
      }),
  );
  const [namen, ...rijen] = regels.filter((r) => !commentaar(r));
  return { kop, rijen: rijen.map((r) => Object.fromEntries(namen.map((k, i) => [k, r[i] ?? '']))) };
}

/** The text of a PDF's outline (its bookmarks, one per heading), from its objects and compressed object streams. */
export function pdfOverzicht(pdf: Buffer): string[] {
  const delen = [pdf.toString('latin1')];
  const stroom = /stream\r?\n/g;
  for (let m = stroom.exec(delen[0]); m; m = stroom.exec(delen[0])) {
    const begin = m.index + m[0].length;
    const eind = delen[0].indexOf('endstream', begin);
    try {
      delen.push(inflateSync(pdf.subarray(begin, eind)).toString('latin1'));
    } catch {
      // Not a compressed stream.
    }
  }
  const uit: string[] = [];
  for (const deel of delen) {
    for (const t of deel.matchAll(/\/Title\s*(<([0-9A-Fa-f\s]+)>|\(((?:\\.|[^\\)])*)\))/g)) {
      if (t[2]) {
        const hex = Buffer.from(t[2].replace(/\s/g, ''), 'hex');
        uit.push(hex[0] === 0xfe && hex[1] === 0xff ? hex.subarray(2).swap16().toString('utf16le') : hex.toString('latin1'));
      } else uit.push(t[3].replace(/\\(.)/g, '$1'));
    }
  }
  return uit;
}
