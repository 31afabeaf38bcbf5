//! Reading rows of the `events` table into recorded events.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

use crate::types::{EventJson, Metadata, Position, RecordedEvent, StreamName};

/// The columns every query selects, in the order [`from_row`] reads them.
pub(super) const COLUMNS: &str =
    "position, event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata";

fn corrupt(column: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(e))
}

/// One row as a recorded event.
pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<RecordedEvent> {
    let micros: i64 = row.get(6)?;
    // The metadata is parsed where SQLite holds it, not copied into a string first; the data is
    // handed out as text (see `EventJson`).
    let data = row.get_ref(7)?.as_str()?;
    let metadata = row.get_ref(8)?.as_str()?;
    Ok(RecordedEvent {
        position: Position(row.get::<_, i64>(0)? as u64),
        id: row.get(1)?,
        stream: StreamName::trusted(row.get(2)?),
        revision: row.get::<_, i64>(3)? as u64,
        event_type: row.get(4)?,
        schema_version: row.get(5)?,
        recorded_at: DateTime::<Utc>::from_timestamp_micros(micros)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(6, micros))?,
        data: EventJson::from_text(data.to_owned()),
        metadata: serde_json::from_str::<Metadata>(metadata).map_err(|e| corrupt(8, e))?,
    })
}
