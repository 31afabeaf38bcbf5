//! Reading rows of the `events` table into recorded events.

use serde_json::value::RawValue;
use tokio_postgres::Row;
use tokio_postgres::types::Json;

use crate::error::StoreError;
use crate::types::{EventJson, Metadata, Position, RecordedEvent, StreamName};

/// The columns every query selects, in the order [`from_row`] reads them.
pub(super) const COLUMNS: &str =
    "position, event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata";

/// One row as a recorded event.
pub(super) fn from_row(row: &Row) -> Result<RecordedEvent, StoreError> {
    let corrupt = |e: tokio_postgres::Error| StoreError::Corrupt(e.to_string());
    let metadata: serde_json::Value = row.try_get(8).map_err(corrupt)?;
    Ok(RecordedEvent {
        position: Position(row.try_get::<_, i64>(0).map_err(corrupt)? as u64),
        id: row.try_get(1).map_err(corrupt)?,
        stream: StreamName::trusted(row.try_get(2).map_err(corrupt)?),
        revision: row.try_get::<_, i64>(3).map_err(corrupt)? as u64,
        event_type: row.try_get(4).map_err(corrupt)?,
        schema_version: row.try_get::<_, i32>(5).map_err(corrupt)? as u32,
        recorded_at: row.try_get(6).map_err(corrupt)?,
        // The text as PostgreSQL sent it, with no second copy.
        data: EventJson::from_text(
            Box::<str>::from(row.try_get::<_, Json<Box<RawValue>>>(7).map_err(corrupt)?.0).into(),
        ),
        metadata: serde_json::from_value::<Metadata>(metadata)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}
