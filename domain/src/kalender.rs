//! The calendar the users live by: the Dutch date of an instant. Pure: the instant is passed in.

use chrono::{DateTime, NaiveDate, Utc};

/// The date on the Dutch calendar (Europe/Amsterdam, summer time included) at instant `nu`:
/// what "today" means to a coach, and so for the rule that no event lies in the future. Between
/// midnight in the Netherlands and midnight UTC (one or two hours) the UTC date is still
/// yesterday's.
pub fn vandaag_in_nederland(nu: DateTime<Utc>) -> NaiveDate {
    nu.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// The instant the Dutch date `datum` begins (midnight in Europe/Amsterdam; a date's midnight is
/// never skipped by summer time, which changes at 02:00).
pub fn begin_van_dag(datum: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(&datum.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || datum.and_time(chrono::NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::{begin_van_dag, vandaag_in_nederland};

    #[test]
    fn a_dutch_day_begins_at_midnight_in_the_netherlands() {
        let dag = NaiveDate::from_ymd_opt(2026, 7, 2).unwrap();
        assert_eq!(
            begin_van_dag(dag),
            Utc.with_ymd_and_hms(2026, 7, 1, 22, 0, 0).unwrap()
        );
        assert_eq!(vandaag_in_nederland(begin_van_dag(dag)), dag);
        let winter = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            begin_van_dag(winter),
            Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap()
        );
    }

    #[test]
    fn today_is_the_dutch_date_in_winter_and_in_summer() {
        let dag = |j, m, d| NaiveDate::from_ymd_opt(j, m, d).unwrap();
        // Winter: UTC+1.
        let nu = Utc.with_ymd_and_hms(2026, 11, 30, 22, 59, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 11, 30));
        let nu = Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 12, 1));
        // Summer: UTC+2.
        let nu = Utc.with_ymd_and_hms(2026, 7, 1, 21, 59, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 7, 1));
        let nu = Utc.with_ymd_and_hms(2026, 7, 1, 22, 0, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 7, 2));
    }
}
