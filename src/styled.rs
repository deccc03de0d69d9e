//! Query parameters laid out by OpenAPI `style` and `explode` ([`QueryStyle`]): lists and
//! objects written with separators or brackets, from any `serde::Serialize` value.

use serde::ser::{self, Serialize};

/// How a query parameter's value is laid out in the query string: OpenAPI's `style` and
/// `explode` together. Names and values are percent-encoded as
/// `application/x-www-form-urlencoded` does (a space is `+`, every byte but
/// `A-Z a-z 0-9 * - . _` is `%XX`), so a separator character inside a value (a `,` in an item
/// of a [`QueryStyle::FormUnexploded`] list, a `|`, a `[`) is sent encoded and cannot be
/// confused with the separator, which is sent as is.
///
/// Used through [`crate::Request::query_styled`] with any `serde::Serialize` value (lists,
/// structs, maps; properties in their serialization order): `None` adds nothing, `None`
/// properties are left out, and an empty list adds nothing in every style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    /// `style: form`, `explode: true` (OpenAPI's default): a list repeats the name
    /// (`id=1&id=2`); an object sends each property as its own pair (`name=x&age=3`).
    Form,
    /// `style: form`, `explode: false`: a list is one pair with the items comma-separated
    /// (`id=1,2,3`); an object alternates property names and values (`color=R,100,G,200`).
    FormUnexploded,
    /// `style: pipeDelimited`: `id=1|2|3` (objects: `color=R|100|G|200`).
    PipeDelimited,
    /// `style: spaceDelimited`: `id=1%202%203` (objects: `color=R%20100%20G%20200`). A space
    /// inside an item is sent as `+`, which servers usually decode as a space as well: avoid
    /// this style for values with spaces.
    SpaceDelimited,
    /// `style: deepObject`: `filter[name]=x&filter[age]=3`; a nested object continues the
    /// brackets (`filter[owner][id]=7`). OpenAPI leaves lists inside undefined; they are written
    /// in the bracket convention of PHP, Rails and `qs`, one pair per item:
    /// `multipivot[campaign][]=a&multipivot[campaign][]=b`. A list of lists or of objects, or a
    /// list as the whole value, is refused ([`crate::Error::InvalidRequest`]).
    DeepObject,
}

/// Percent-encodes one name or value of a query pair.
pub(crate) fn encode_component(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A serialized value, in serialization order.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Scalar(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// The encoded `(name, value)` pairs `value` gives in `style`, or why it cannot be sent.
pub(crate) fn styled_pairs<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: QueryStyle,
) -> Result<Vec<(String, String)>, String> {
    let node = value
        .serialize(NodeSerializer)
        .map_err(|e| format!("query parameter `{name}`: {}", e.0))?;
    let mut out = Vec::new();
    let nested = || {
        format!("query parameter `{name}` holds a list or object inside a list or object, which the {style:?} style cannot write")
    };
    let scalar = |n: &Node| -> Result<Option<String>, String> {
        match n {
            Node::Null => Ok(None),
            Node::Scalar(s) => Ok(Some(encode_component(s))),
            Node::List(_) | Node::Map(_) => Err(nested()),
        }
    };
    let separator = match style {
        QueryStyle::Form | QueryStyle::DeepObject => None,
        QueryStyle::FormUnexploded => Some(","),
        QueryStyle::PipeDelimited => Some("|"),
        QueryStyle::SpaceDelimited => Some("%20"),
    };
    let wire = encode_component(name);
    match &node {
        Node::Null => {}
        Node::Scalar(s) => out.push((wire, encode_component(s))),
        Node::List(items) => {
            if style == QueryStyle::DeepObject {
                return Err(format!(
                    "query parameter `{name}` is a list, which the deepObject style cannot write"
                ));
            }
            let mut texts = Vec::new();
            for item in items {
                texts.extend(scalar(item)?);
            }
            match separator {
                _ if texts.is_empty() => {}
                Some(sep) => out.push((wire, texts.join(sep))),
                None => out.extend(texts.into_iter().map(|t| (wire.clone(), t))),
            }
        }
        Node::Map(props) => match (separator, style) {
            (Some(sep), _) => {
                let mut texts = Vec::new();
                for (key, v) in props {
                    if let Some(text) = scalar(v)? {
                        texts.push(encode_component(key));
                        texts.push(text);
                    }
                }
                if !texts.is_empty() {
                    out.push((wire, texts.join(sep)));
                }
            }
            (None, QueryStyle::DeepObject) => deep_pairs(name, &wire, props, &mut out)?,
            (None, _) => {
                for (key, v) in props {
                    let items = match v {
                        Node::List(items) => items.as_slice(),
                        v => std::slice::from_ref(v),
                    };
                    for item in items {
                        if let Some(text) = scalar(item)? {
                            out.push((encode_component(key), text));
                        }
                    }
                }
            }
        },
    }
    Ok(out)
}

/// `prefix[key]=value` pairs of a deepObject, nested objects continuing the brackets and lists
/// ending them with `[]`.
fn deep_pairs(
    name: &str,
    prefix: &str,
    props: &[(String, Node)],
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    for (key, v) in props {
        let at = format!("{prefix}[{}]", encode_component(key));
        match v {
            Node::Null => {}
            Node::Scalar(s) => out.push((at, encode_component(s))),
            Node::Map(inner) => deep_pairs(name, &at, inner, out)?,
            Node::List(items) => {
                for item in items {
                    match item {
                        Node::Null => {}
                        Node::Scalar(s) => out.push((format!("{at}[]"), encode_component(s))),
                        Node::List(_) | Node::Map(_) => {
                            return Err(format!(
                                "query parameter `{name}` has a list or object inside the list `{key}`, which the deepObject style cannot write"
                            ))
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- serializer

#[derive(Debug)]
struct NodeError(String);

impl std::fmt::Display for NodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NodeError {}

impl ser::Error for NodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        NodeError(msg.to_string())
    }
}

struct NodeSerializer;

fn scalar(text: impl ToString) -> Result<Node, NodeError> {
    Ok(Node::Scalar(text.to_string()))
}

struct Seq(Vec<Node>);

struct MapNode {
    entries: Vec<(String, Node)>,
    key: Option<String>,
}

/// A struct variant or tuple variant: `{variant: ...}`.
struct Variant<T> {
    name: &'static str,
    inner: T,
}

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = NodeError;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Variant<Seq>;
    type SerializeMap = MapNode;
    type SerializeStruct = MapNode;
    type SerializeStructVariant = Variant<MapNode>;

    fn serialize_bool(self, v: bool) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_char(self, v: char) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_str(self, v: &str) -> Result<Node, NodeError> {
        scalar(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Node, NodeError> {
        Err(NodeError("raw bytes cannot be a query value".into()))
    }
    fn serialize_none(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, NodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Node, NodeError> {
        scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Node, NodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, NodeError> {
        Ok(Node::Map(vec![(
            variant.to_owned(),
            value.serialize(self)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, NodeError> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, NodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, NodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq>, NodeError> {
        Ok(Variant {
            name: variant,
            inner: Seq(Vec::with_capacity(len)),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapNode, NodeError> {
        Ok(MapNode {
            entries: Vec::new(),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MapNode, NodeError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant<MapNode>, NodeError> {
        Ok(Variant {
            name: variant,
            inner: self.serialize_map(None)?,
        })
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NodeError> {
        self.0.push(value.serialize(NodeSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(Node::List(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, NodeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, NodeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Variant<Seq> {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(Node::Map(vec![(
            self.name.to_owned(),
            Node::List(self.inner.0),
        )]))
    }
}

impl ser::SerializeMap for MapNode {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NodeError> {
        match key.serialize(NodeSerializer)? {
            Node::Scalar(k) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(NodeError("a map key must be a string or number".into())),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NodeError> {
        let key = self.key.take().unwrap_or_default();
        self.entries.push((key, value.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(Node::Map(self.entries))
    }
}

impl ser::SerializeStruct for MapNode {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NodeError> {
        self.entries
            .push((key.to_owned(), value.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(Node::Map(self.entries))
    }
}

impl ser::SerializeStructVariant for Variant<MapNode> {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NodeError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(Node::Map(vec![(
            self.name.to_owned(),
            Node::Map(self.inner.entries),
        )]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn styled<T: Serialize + ?Sized>(v: &T, style: QueryStyle) -> String {
        styled_pairs("k", v, style)
            .expect("encodable")
            .into_iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn lists_are_joined_and_separators_inside_items_are_encoded() {
        let list = ["a,b", "c|d", "e f", "3"];
        assert_eq!(styled(&list, QueryStyle::Form), "k=a%2Cb&k=c%7Cd&k=e+f&k=3");
        assert_eq!(
            styled(&list, QueryStyle::FormUnexploded),
            "k=a%2Cb,c%7Cd,e+f,3"
        );
        assert_eq!(
            styled(&list, QueryStyle::PipeDelimited),
            "k=a%2Cb|c%7Cd|e+f|3"
        );
        assert_eq!(
            styled(&list, QueryStyle::SpaceDelimited),
            "k=a%2Cb%20c%7Cd%20e+f%203"
        );
        assert_eq!(styled(&[1, 2, 3], QueryStyle::FormUnexploded), "k=1,2,3");
        assert_eq!(styled(&Vec::<i64>::new(), QueryStyle::FormUnexploded), "");
        assert_eq!(styled(&None::<Vec<i64>>, QueryStyle::PipeDelimited), "");
        assert_eq!(styled(&7, QueryStyle::PipeDelimited), "k=7");
        assert_eq!(styled(&1.5f64, QueryStyle::Form), "k=1.5");
    }

    #[derive(serde::Serialize)]
    struct Owner {
        id: i64,
        #[serde(rename = "x[y]")]
        odd: bool,
    }

    #[derive(serde::Serialize)]
    struct Filter {
        name: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        age: Option<i32>,
        nothing: Option<i32>,
        owner: Owner,
    }

    #[test]
    fn objects_in_each_style_keep_property_order() {
        let color: Vec<(&str, i32)> = vec![("R", 100), ("G", 200)];
        let color: indexless::Ordered = indexless::Ordered(color);
        assert_eq!(styled(&color, QueryStyle::Form), "R=100&G=200");
        assert_eq!(styled(&color, QueryStyle::FormUnexploded), "k=R,100,G,200");
        assert_eq!(styled(&color, QueryStyle::PipeDelimited), "k=R|100|G|200");
        assert_eq!(styled(&color, QueryStyle::DeepObject), "k[R]=100&k[G]=200");
        let f = Filter {
            name: "a&b",
            age: None,
            nothing: None,
            owner: Owner { id: 7, odd: true },
        };
        assert_eq!(
            styled(&f, QueryStyle::DeepObject),
            "k[name]=a%26b&k[owner][id]=7&k[owner][x%5By%5D]=true"
        );
        assert!(styled_pairs("k", &[[1]], QueryStyle::FormUnexploded).is_err());
        assert!(styled_pairs("k", &[1], QueryStyle::DeepObject).is_err());
    }

    #[test]
    fn deep_object_lists_repeat_the_brackets_per_item() {
        let mut pivots: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        pivots.insert("campaign", vec!["111l29", "a&b"]);
        pivots.insert("country", vec![]);
        pivots.insert("pub[x]", vec!["GB"]);
        assert_eq!(
            styled(&pivots, QueryStyle::DeepObject),
            "k[campaign][]=111l29&k[campaign][]=a%26b&k[pub%5Bx%5D][]=GB"
        );
        let mut nested = BTreeMap::new();
        nested.insert("tags", vec![vec![1]]);
        let err = styled_pairs("k", &nested, QueryStyle::DeepObject).expect_err("list in list");
        assert!(err.contains("inside the list `tags`"), "{err}");
    }

    /// A map that serializes its entries in the given order.
    mod indexless {
        use serde::ser::SerializeMap;

        pub struct Ordered(pub Vec<(&'static str, i32)>);

        impl serde::Serialize for Ordered {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in &self.0 {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}
