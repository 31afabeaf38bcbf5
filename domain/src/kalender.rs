//! The calendar the users live by: the Dutch date of an instant. Pure: the instant is passed in.

use chrono::{DateTime, NaiveDate, Utc};

/// The date on the Dutch calendar (Europe/Amsterdam, summer time included) at instant `nu`:
/// what "today" means to a coach, and so for the rule that no event lies in the future. Between
/// midnight in the Netherlands and midnight UTC (one or two hours) the UTC date is still
/// yesterday's.
pub fn vandaag_in_nederland(nu: DateTime<Utc>) -> NaiveDate {
    nu.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::vandaag_in_nederland;

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
