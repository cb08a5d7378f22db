//! From the awsJson wire form of an output to what the AWS CLI shows, guided by the model.
//!
//! - Timestamps become ISO 8601 text in the local time zone, as AWS CLI v2 prints them with its
//!   default `cli_timestamp_format = iso8601` (Python's `datetime.isoformat()` of the instant in
//!   the local zone): `2020-11-20T19:05:25+00:00`, with microseconds when there are any
//!   (`2020-11-20T19:05:25.123000+00:00`), and the local offset (`-08:00` with `TZ` set to
//!   Los Angeles). The reference page's examples show `2020-11-20T19:05:25Z`, which no v2 release
//!   prints; we follow v2 (checked against AWS CLI 2.38.5).
//! - Blobs stay base64 text; everything else is unchanged.
//! - Structure members come in the model's member order, then any member the model does not
//!   know in the order received; map entries keep the order of the value given.

use super::node::{Node, number_node};
use apprunner_smithy::DateTime;
use apprunner_smithy::schema::{Shape, ShapeKind, TypeKind};
use jiff::tz::TimeZone;
use serde_json::Value;

/// Converts an operation's output (wire form) into the document the formats print.
pub fn output_document(value: &Value, shape: &'static Shape, zone: &TimeZone) -> Node {
    convert_shape(value, shape, zone)
}

fn convert_shape(value: &Value, shape: &'static Shape, zone: &TimeZone) -> Node {
    match (&shape.kind, value) {
        (ShapeKind::Structure(members) | ShapeKind::Union(members), Value::Object(map)) => {
            let mut out = Vec::with_capacity(map.len());
            for member in members.iter() {
                if let Some(item) = map.get(member.name) {
                    out.push((member.name.to_owned(), convert(item, &member.ty.kind, zone)));
                }
            }
            for (key, item) in map {
                if shape.member(key).is_none() {
                    out.push((key.clone(), Node::from_json(item)));
                }
            }
            Node::Object(out)
        }
        _ => Node::from_json(value),
    }
}

fn convert(value: &Value, kind: &TypeKind, zone: &TimeZone) -> Node {
    match (kind, value) {
        (TypeKind::Shape(shape), _) => convert_shape(value, shape, zone),
        (TypeKind::List(item), Value::Array(items)) => {
            Node::List(items.iter().map(|v| convert(v, &item.kind, zone)).collect())
        }
        (TypeKind::Map(_, item), Value::Object(map)) => Node::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), convert(v, &item.kind, zone)))
                .collect(),
        ),
        (TypeKind::Timestamp(format), _) => match wire_timestamp(value, *format) {
            Some(instant) => Node::String(iso8601(instant, zone)),
            None => Node::from_json(value),
        },
        (_, Value::Number(n)) => number_node(n),
        _ => Node::from_json(value),
    }
}

fn wire_timestamp(value: &Value, format: apprunner_smithy::TimestampFormat) -> Option<DateTime> {
    match value {
        Value::Number(n) => match n.as_i64() {
            Some(seconds) => Some(DateTime::from_secs(seconds)),
            None => n.as_f64().and_then(DateTime::from_secs_f64),
        },
        Value::String(text) => DateTime::parse(text, format)
            .or_else(|_| DateTime::parse(text, apprunner_smithy::TimestampFormat::DateTime))
            .ok(),
        _ => None,
    }
}

/// `datetime.fromtimestamp(t, tzlocal()).isoformat()`: `YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM`.
pub fn iso8601(instant: DateTime, zone: &TimeZone) -> String {
    let micros = instant.subsec_nanos() / 1000;
    let Ok(timestamp) = jiff::Timestamp::new(instant.secs(), (micros * 1000) as i32) else {
        return instant.to_string();
    };
    let zoned = zone.to_datetime(timestamp);
    let offset = zone.to_offset(timestamp).seconds();
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        zoned.year(),
        zoned.month(),
        zoned.day(),
        zoned.hour(),
        zoned.minute(),
        zoned.second()
    );
    if micros != 0 {
        text.push_str(&format!(".{micros:06}"));
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    text.push_str(&format!("{sign}{:02}:{:02}", offset / 3600, offset / 60 % 60));
    if !offset.is_multiple_of(60) {
        text.push_str(&format!(":{:02}", offset % 60));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_as_aws_cli_v2_prints_it() {
        let utc = TimeZone::UTC;
        assert_eq!(
            iso8601(DateTime::from_secs(1605899125), &utc),
            "2020-11-20T19:05:25+00:00"
        );
        let fractional = DateTime::from_secs_f64(1605899125.123).unwrap();
        assert_eq!(iso8601(fractional, &utc), "2020-11-20T19:05:25.123000+00:00");
        let los_angeles = TimeZone::posix("PST8PDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(iso8601(fractional, &los_angeles), "2020-11-20T11:05:25.123000-08:00");
        assert_eq!(
            iso8601(DateTime::from_secs(1594000000), &los_angeles),
            "2020-07-05T18:46:40-07:00"
        );
        let kolkata = TimeZone::fixed(jiff::tz::Offset::from_seconds(5 * 3600 + 1800).unwrap());
        assert_eq!(
            iso8601(DateTime::from_secs(1573430400), &kolkata),
            "2019-11-11T05:30:00+05:30"
        );
    }
}
