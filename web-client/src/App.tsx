// The application: sign-in, then the screens the caller's roles allow, under one header with
// navigation and a skip link.
import { useEffect } from 'react';
import { BrowserRouter, NavLink, Navigate, Route, Routes, useLocation, useNavigationType } from 'react-router-dom';
import { Aanmelden } from './screens/Aanmelden';
import { Agenda } from './screens/Agenda';
import { Businesscase } from './screens/Businesscase';
import { Caseload } from './screens/Caseload';
import { Cijfers } from './screens/Cijfers';
import { NieuweAanmelding } from './screens/NieuweAanmelding';
import { Team } from './screens/Team';
import { Importeren } from './screens/Importeren';
import { Kwaliteit } from './screens/Kwaliteit';
import { Toegangslog } from './screens/Toegangslog';
import { Traject } from './screens/Traject';
import { Vandaag } from './screens/Vandaag';
import { SessieProvider, heeftRol, useSessie, type Ik } from './sessie';
import { Alinea, Knop, Kop, Titel, focusOpH1 } from './ui';

interface Scherm {
  pad: string;
  titel: string;
  magZien: (ik: Ik) => boolean;
  inMenu: boolean;
}

// The first a user may see is their start page: Vandaag for a coach, their caseload for a
// teamleider.
const SCHERMEN: Scherm[] = [
  { pad: '/vandaag', titel: 'Vandaag', magZien: (ik) => heeftRol(ik, 'COACH'), inMenu: true },
  { pad: '/agenda', titel: 'Weekagenda', magZien: (ik) => heeftRol(ik, 'COACH'), inMenu: true },
  { pad: '/caseload', titel: 'Mijn caseload', magZien: (ik) => heeftRol(ik, 'COACH', 'TEAMLEIDER'), inMenu: true },
  { pad: '/nieuw', titel: 'Nieuwe aanmelding', magZien: (ik) => heeftRol(ik, 'COACH', 'TEAMLEIDER'), inMenu: true },
  { pad: '/team', titel: 'Team', magZien: (ik) => heeftRol(ik, 'TEAMLEIDER'), inMenu: true },
  { pad: '/importeren', titel: 'Importeren', magZien: (ik) => heeftRol(ik, 'TEAMLEIDER'), inMenu: true },
  { pad: '/cijfers', titel: 'Cijfers', magZien: (ik) => heeftRol(ik, 'REGIO', 'LANDELIJK'), inMenu: true },
  {
    pad: '/kwaliteit',
    titel: 'Kwaliteitsrapport',
    magZien: (ik) => heeftRol(ik, 'TEAMLEIDER', 'REGIO', 'LANDELIJK'),
    inMenu: true,
  },
  { pad: '/businesscase', titel: 'Businesscase', magZien: (ik) => heeftRol(ik, 'REGIO', 'LANDELIJK'), inMenu: true },
  { pad: '/toegangslog', titel: 'Toegangslog', magZien: (ik) => heeftRol(ik, 'BEHEERDER'), inMenu: true },
];

function Kader({ children }: { children: React.ReactNode }) {
  const { ik, uitloggen } = useSessie();
  const menu = SCHERMEN.filter((s) => s.inMenu && s.magZien(ik));
  // A navigation the user made (a link, a form that leads on) puts the focus on the new page's
  // h1; the first page after signing in and the browser's back and forward leave it alone.
  const locatie = useLocation();
  const soort = useNavigationType();
  useEffect(() => {
    if (soort === 'PUSH') focusOpH1();
  }, [locatie.key, soort]);
  return (
    <>
      <a className="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
        Naar de inhoud
      </a>
      <header className="traject-kop">
        <span className="traject-merk">traject</span>
        <nav aria-label="Hoofdmenu">
          <ul className="traject-menu">
            {menu.map((s) => (
              <li key={s.pad}>
                <NavLink className="utrecht-link" to={s.pad}>
                  {s.titel}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="traject-gebruiker">
          <span>
            {ik.naam} ({ik.rollen.map((r) => r.toLowerCase()).join(', ')})
          </span>{' '}
          <Knop soort="subtiel" onClick={() => uitloggen()}>
            Uitloggen
          </Knop>
        </div>
      </header>
      <main id="inhoud" className="traject-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function Start() {
  const { ik } = useSessie();
  const eerste = SCHERMEN.find((s) => s.magZien(ik));
  if (eerste) return <Navigate to={eerste.pad} replace />;
  return (
    <>
      <Titel tekst="Geen schermen" />
      <Kop niveau={1}>Geen schermen</Kop>
      <Alinea>Uw account heeft geen rol in traject. Vraag uw beheerder om een rol.</Alinea>
    </>
  );
}

function Alleen({ pad, children }: { pad: string; children: React.ReactNode }) {
  const { ik } = useSessie();
  const scherm = SCHERMEN.find((s) => s.pad === pad);
  if (scherm && !scherm.magZien(ik)) {
    return (
      <>
        <Titel tekst="Geen toegang" />
        <Kop niveau={1}>Geen toegang</Kop>
        <Alinea>Dit scherm hoort niet bij uw rol.</Alinea>
      </>
    );
  }
  return <>{children}</>;
}

export function App() {
  return (
    <BrowserRouter>
      <SessieProvider aanmelden={(melding, inloggen) => <Aanmelden melding={melding} inloggen={inloggen} />}>
        <Kader>
          <Routes>
            <Route path="/" element={<Start />} />
            <Route path="/aanmelden/*" element={<Start />} />
            <Route path="/vandaag" element={<Alleen pad="/vandaag"><Vandaag /></Alleen>} />
            <Route path="/agenda" element={<Alleen pad="/agenda"><Agenda /></Alleen>} />
            <Route path="/caseload" element={<Alleen pad="/caseload"><Caseload /></Alleen>} />
            <Route path="/nieuw" element={<Alleen pad="/nieuw"><NieuweAanmelding /></Alleen>} />
            <Route path="/team" element={<Alleen pad="/team"><Team /></Alleen>} />
            <Route path="/importeren" element={<Alleen pad="/importeren"><Importeren /></Alleen>} />
            <Route path="/traject/:id" element={<Alleen pad="/caseload"><Traject /></Alleen>} />
            <Route path="/cijfers" element={<Alleen pad="/cijfers"><Titel tekst="Cijfers" /><Cijfers /></Alleen>} />
            <Route
              path="/kwaliteit"
              element={<Alleen pad="/kwaliteit"><Titel tekst="Kwaliteitsrapport" /><Kwaliteit /></Alleen>}
            />
            <Route
              path="/businesscase"
              element={<Alleen pad="/businesscase"><Titel tekst="Businesscase" /><Businesscase /></Alleen>}
            />
            <Route path="/toegangslog" element={<Alleen pad="/toegangslog"><Titel tekst="Toegangslog" /><Toegangslog /></Alleen>} />
            <Route
              path="*"
              element={
                <>
                  <Titel tekst="Pagina niet gevonden" />
                  <Kop niveau={1}>Pagina niet gevonden</Kop>
                  <Alinea>Deze pagina bestaat niet.</Alinea>
                </>
              }
            />
          </Routes>
        </Kader>
      </SessieProvider>
    </BrowserRouter>
  );
}
