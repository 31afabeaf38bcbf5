// The import of a caseload from a spreadsheet (teamleider): the file goes to `POST /import`,
// first as a proef (nothing is written) to show what would happen per row, then, once the
// teamleider confirms, for real. The report names rows, columns and rules, never a cell's
// content.

/** A refusal: the row, the field or column, the rule and a sentence in Dutch. */
export interface ImportFout {
  rij: number;
  veld?: string;
  kolom?: string | null;
  regel: string;
  bericht: string;
}

/** One trajectory of the file (by the row of its aanmelding) and what became of it. */
export interface ImportTraject {
  rij: number;
  uitkomst: 'vastgelegd' | 'wordt_vastgelegd' | 'aangevuld' | 'ongewijzigd' | 'geweigerd';
  gebeurtenissen?: number;
  fout?: ImportFout;
}

/** The server's report of an import or a proef. */
export interface ImportVerslag {
  vorm: string;
  indeling: 'traject' | 'gebeurtenis';
  proef: boolean;
  rijen: number;
  onbekendeKolommen: string[];
  trajecten: ImportTraject[];
  rijfouten: ImportFout[];
  afgebroken: string | null;
  tellingen: {
    vastgelegd: number;
    aangevuld: number;
    ongewijzigd: number;
    geweigerd: number;
    gebeurtenissen: number;
  };
}

/** One line of the report's table, in row order: what happened, or why not. */
export interface VerslagRegel {
  rij: number;
  wat: string;
  waar: string;
  waarom: string;
  fout: boolean;
}

const UITKOMST: Record<ImportTraject['uitkomst'], string> = {
  vastgelegd: 'vastgelegd',
  wordt_vastgelegd: 'wordt vastgelegd',
  aangevuld: 'aangevuld',
  ongewijzigd: 'ongewijzigd (eerder geïmporteerd)',
  geweigerd: 'geweigerd',
};

function gebeurtenissen(n: number | undefined): string {
  return n === 1 ? '1 gebeurtenis' : `${n ?? 0} gebeurtenissen`;
}

/** The report as table lines, sorted by row: refusals with their column or field and the rule's sentence (the rule's code is for the CLI's report and the JSON, not the screen). */
export function verslagRegels(v: ImportVerslag): VerslagRegel[] {
  const regels: VerslagRegel[] = v.rijfouten.map((f) => ({
    rij: f.rij,
    wat: 'geweigerd',
    waar: f.kolom ? `kolom ${f.kolom}` : '',
    waarom: f.bericht,
    fout: true,
  }));
  for (const t of v.trajecten) {
    if (t.fout) {
      regels.push({
        rij: t.fout.rij,
        wat: 'geweigerd',
        waar: t.fout.kolom ? `kolom ${t.fout.kolom}` : t.fout.veld ? `veld ${t.fout.veld}` : '',
        waarom: t.fout.bericht + (t.fout.rij !== t.rij ? `; traject van rij ${t.rij}, niets ervan vastgelegd` : ''),
        fout: true,
      });
    } else {
      const aantal = t.uitkomst === 'ongewijzigd' ? '' : gebeurtenissen(t.gebeurtenissen);
      regels.push({ rij: t.rij, wat: UITKOMST[t.uitkomst], waar: '', waarom: aantal, fout: false });
    }
  }
  return regels.sort((a, b) => a.rij - b.rij);
}

/** The counts in one sentence. */
export function samenvatting(v: ImportVerslag): string {
  const t = v.tellingen;
  const werkwoord = v.proef ? 'worden vastgelegd' : 'vastgelegd';
  return (
    `${t.vastgelegd} trajecten ${werkwoord} (${gebeurtenissen(t.gebeurtenissen)}), ` +
    `${t.aangevuld} aangevuld, ${t.ongewijzigd} ongewijzigd, ${t.geweigerd} geweigerd.`
  );
}

/** Sends the file; a refused request (no access, an unreadable file) is thrown with the server's message. */
export async function importeer(token: string, bestand: Blob, proef: boolean): Promise<ImportVerslag> {
  const antwoord = await fetch(`/import?proef=${proef ? 'ja' : 'nee'}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
    body: bestand,
  });
  const tekst = await antwoord.text();
  if (!antwoord.ok) {
    let bericht = `importeren mislukt (${antwoord.status})`;
    try {
      const json = JSON.parse(tekst) as { errors?: { message?: string }[] };
      bericht = json.errors?.[0]?.message ?? bericht;
    } catch {
      // not JSON: the status says enough
    }
    throw new Error(bericht);
  }
  return JSON.parse(tekst) as ImportVerslag;
}
