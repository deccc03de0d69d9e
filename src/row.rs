//! [`Row`]: a report row whose keys are metric and dimension names (`x-row` in a spec).

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A row of a grouped report (an analytics "explode" row, a totals object, a time bucket): a JSON
/// object whose keys are named after the metrics and dimensions the query asked for, read by
/// typed name.
///
/// `M` is the spec's enum of metric names and `D` its enum of dimension names (`String` when the
/// row has no dimensions); both only name keys, so a name the enum does not know yet is passed
/// as its `Unknown` variant. The row keeps every key the server sent, known or not, and
/// serializes back to the same object.
///
/// - [`Row::metric`]: the number under the metric's name (a number, or a string holding one).
/// - [`Row::dimension`]: a grouped dimension's value, under its own name (`country`) or, for
///   dimensions answered as an id and a name, under `<name>_id` (`device_id`).
/// - [`Row::dimension_name`]: the display name under `<name>_name` (`device_name`).
/// - [`Row::get`] / [`Row::iter`]: any key as raw JSON.
pub struct Row<M, D = String> {
    values: Map<String, Value>,
    names: PhantomData<fn() -> (M, D)>,
}

impl<M, D> Row<M, D> {
    /// The value under a key, as sent.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// Every key and value, as sent (in key order).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many keys the row has.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the row has no keys.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The JSON object, as sent.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.values
    }

    /// The JSON object, as sent.
    pub fn into_map(self) -> Map<String, Value> {
        self.values
    }
}

impl<M: fmt::Display, D> Row<M, D> {
    /// The value of a metric: a JSON number, or a string holding one (`"2.5"`). `None` when the
    /// row does not have it (it was not asked for) or it is not a number.
    pub fn metric(&self, metric: impl Borrow<M>) -> Option<f64> {
        number(self.values.get(&metric.borrow().to_string())?)
    }
}

impl<M: DeserializeOwned, D> Row<M, D> {
    /// Every numeric entry as a typed metric name and its value; names the enum does not know
    /// come as its `Unknown` variant. Dimension values are strings, so they are not included.
    pub fn metrics(&self) -> impl Iterator<Item = (M, f64)> + '_ {
        self.values.iter().filter_map(|(k, v)| {
            let value = match v {
                Value::Number(_) => number(v)?,
                _ => return None,
            };
            let name = M::deserialize(serde_json::Value::String(k.clone())).ok()?;
            Some((name, value))
        })
    }
}

impl<M, D: fmt::Display> Row<M, D> {
    /// The value of a grouped dimension: the string under its own name (`country`,
    /// `date_time`) or else under `<name>_id` (`device_id`, `campaign_id`). `None` when the row is
    /// not grouped by it, or the value is not a string (see [`Row::get`]).
    pub fn dimension(&self, dimension: impl Borrow<D>) -> Option<&str> {
        let name = dimension.borrow().to_string();
        self.values
            .get(&name)
            .or_else(|| self.values.get(&format!("{name}_id")))
            .and_then(Value::as_str)
    }

    /// The display name of a grouped dimension answered as an id and a name: the string under
    /// `<name>_name` (`device_name` is `"desktop"` when `device_id` is `"1"`).
    pub fn dimension_name(&self, dimension: impl Borrow<D>) -> Option<&str> {
        let name = dimension.borrow().to_string();
        self.values.get(&format!("{name}_name"))?.as_str()
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl<M, D> Default for Row<M, D> {
    fn default() -> Self {
        Self {
            values: Map::new(),
            names: PhantomData,
        }
    }
}

impl<M, D> Clone for Row<M, D> {
    fn clone(&self) -> Self {
        Self {
            values: self.values.clone(),
            names: PhantomData,
        }
    }
}

impl<M, D> PartialEq for Row<M, D> {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

impl<M, D> fmt::Debug for Row<M, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.values.iter()).finish()
    }
}

impl<M, D> From<Map<String, Value>> for Row<M, D> {
    fn from(values: Map<String, Value>) -> Self {
        Self {
            values,
            names: PhantomData,
        }
    }
}

impl<M, D> Serialize for Row<M, D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(s)
    }
}

impl<'de, M, D> Deserialize<'de> for Row<M, D> {
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        Map::deserialize(d).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Metric {
        TotalClicks,
        #[serde(untagged)]
        Unknown(String),
    }

    impl fmt::Display for Metric {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Metric::TotalClicks => f.write_str("total_clicks"),
                Metric::Unknown(s) => f.write_str(s),
            }
        }
    }

    #[test]
    fn reads_by_name_and_keeps_every_key() {
        let v = json!({"device_id": "1", "device_name": "desktop", "country": "GB",
            "total_clicks": "2000", "total_new": 3});
        let row: Row<Metric> = serde_json::from_value(v.clone()).expect("row");
        assert_eq!(row.metric(Metric::TotalClicks), Some(2000.0));
        assert_eq!(row.metric(Metric::Unknown("total_new".into())), Some(3.0));
        assert_eq!(row.dimension("device".to_string()), Some("1"));
        assert_eq!(row.dimension_name("device".to_string()), Some("desktop"));
        assert_eq!(row.dimension("country".to_string()), Some("GB"));
        assert_eq!(row.dimension("campaign".to_string()), None);
        let metrics: Vec<(Metric, f64)> = row.metrics().collect();
        assert_eq!(metrics, vec![(Metric::Unknown("total_new".into()), 3.0)]);
        assert_eq!(serde_json::to_value(&row).expect("json"), v);
    }
}
