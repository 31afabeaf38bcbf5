// Team (teamleider): the organisation's IPS indicators against the IPS norms, and its
// trajectories, each with a link to assign another coach.
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { Kop, Melding } from '../ui';
import { Caseload } from './Caseload';

const IpsQuery = graphql(`
  query Ips {
    ipsIndicatoren(organisatie: true) {
      actieveCaseload
      mediaanDagenTotWerkgeverscontact
      plaatsingen
      regulierBetaald
      aandeelRegulierBetaald
    }
  }
`);

export function Team() {
  const [{ data, error }] = useQuery({ query: IpsQuery });
  const ips = data?.ipsIndicatoren;
  return (
    <>
      <Kop niveau={1}>Team</Kop>
      <section aria-labelledby="ips-kop" className="traject-blok">
        <Kop niveau={2} id="ips-kop">
          IPS-indicatoren van de organisatie
        </Kop>
        {error && <Melding soort="fout">{error.message}</Melding>}
        {ips && (
          <dl className="utrecht-data-list traject-gegevens">
            <dt>Lopende trajecten</dt>
            <dd>{ips.actieveCaseload}</dd>
            <dt>Mediaan dagen tot eerste werkgeverscontact</dt>
            <dd>
              {ips.mediaanDagenTotWerkgeverscontact === null || ips.mediaanDagenTotWerkgeverscontact === undefined
                ? '–'
                : ips.mediaanDagenTotWerkgeverscontact.toLocaleString('nl-NL')}{' '}
              (IPS-norm: hoogstens 30)
            </dd>
            <dt>Plaatsingen</dt>
            <dd>{ips.plaatsingen}</dd>
            <dt>Waarvan regulier betaald</dt>
            <dd>
              {ips.regulierBetaald}
              {ips.aandeelRegulierBetaald !== null && ips.aandeelRegulierBetaald !== undefined
                ? ` (${Math.round(ips.aandeelRegulierBetaald * 100)}%)`
                : ''}
            </dd>
          </dl>
        )}
      </section>
      <Caseload team />
    </>
  );
}
