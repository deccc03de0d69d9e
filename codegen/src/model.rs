//! The lowered model: a resolved, named, validated description of one vendor's API.
//!
//! This is the only representation the emitter reads. Everything OpenAPI-specific (references,
//! `allOf`, inline schemas, status-code maps) has been resolved by `lower` into plain Rust-shaped
//! facts: named types with fields, operations with parameters and response arms.

/// One vendor API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Module name of the vendor (the spec's file stem, snake_case).
    pub module: String,
    /// The spec file name, as given to the generator.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers, in spec order; the first is the default.
    pub servers: Vec<Server>,
    /// Security schemes, in spec order.
    pub schemes: Vec<Scheme>,
    /// Named types, in order of discovery (components first, then inline types).
    pub types: Vec<TypeDef>,
    /// Operations, in path order then method order.
    pub operations: Vec<Operation>,
    /// The types that error responses decode into; more than one makes an `ErrorBody` enum.
    pub error_bodies: Vec<Ty>,
    /// Conversions from response envelopes to what `x-unwrap` returns.
    pub unwraps: Vec<Unwrap>,
}

/// How to take a value out of a response envelope (`x-unwrap`).
#[derive(Debug, Clone, PartialEq)]
pub struct Unwrap {
    /// The envelope struct.
    pub envelope: String,
    /// Name of the generated conversion method on the envelope.
    pub method: String,
    /// The path as written in the spec (`networks/*/network`).
    pub wire_path: String,
    /// The path, as Rust field names and `Each` for array elements.
    pub path: Vec<UnwrapStep>,
    /// The unwrapped value's type.
    pub value: Ty,
    /// The meta struct: the envelope's other fields.
    pub meta: String,
    /// Rust names of the envelope fields that go to the meta struct.
    pub meta_fields: Vec<String>,
}

/// One step of an unwrap path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnwrapStep {
    /// A field (Rust name).
    Field(String),
    /// Each element of an array.
    Each,
}

/// A `servers` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// URL template with `{variable}` placeholders.
    pub url: String,
    /// Description.
    pub description: String,
    /// Variables of the template.
    pub variables: Vec<ServerVariable>,
}

/// A server variable, with the builder method that sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Name in the template.
    pub name: String,
    /// Builder method name.
    pub setter: String,
    /// Default value; empty means the caller must set it.
    pub default: String,
    /// Allowed values (empty: any).
    pub allowed: Vec<String>,
    /// Description.
    pub description: String,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    /// Name in `components.securitySchemes`.
    pub name: String,
    /// Builder method name.
    pub setter: String,
    /// How credentials are sent.
    pub kind: SchemeKind,
    /// Description.
    pub description: String,
}

/// How a scheme's credentials are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// HTTP Basic with a user name fixed by the spec (`x-basic-username`, often empty): the
    /// builder takes only the password (the API key).
    BasicFixedUser(String),
    /// An API key in the named header.
    ApiKeyHeader(String),
    /// An API key in the named query parameter.
    ApiKeyQuery(String),
    /// A credential the runtime computes per request (`x-signer`), by the named signer.
    Signer(String),
}

/// A Rust type used by fields, parameters and bodies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    /// `String`.
    String,
    /// `vendor_clients::Secret` (format password or `x-sensitive`).
    Secret,
    /// RFC 3339 timestamp.
    DateTime,
    /// Calendar date.
    Date,
    /// Timestamp without zone, `YYYY-MM-DD HH:MM:SS` (`format: naive-date-time`).
    NaiveDateTime,
    /// Milliseconds since the Unix epoch, as an integer (`format: epoch-millis`).
    EpochMillis,
    /// Seconds since the Unix epoch, as an integer (`format: epoch-seconds`).
    EpochSeconds,
    /// Accepts the other forms the vendor sends (`x-lenient`): numbers as strings, booleans as
    /// `y`/`n` or `0`/`1`, `[]` for an empty object.
    Lenient(Box<Ty>),
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Any JSON value.
    Json,
    /// `bytes::Bytes`: a binary body, only as the payload of a success outcome.
    Bytes,
    /// The module's `ByteStream` alias: a streamed body (`x-stream: true`), only as the payload
    /// of a success outcome.
    Stream,
    /// A named generated type.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `vendor_clients::Row<Metrics, Dimensions>` (`x-row`): a JSON object kept whole, read by
    /// the metric and dimension names of these two named enums (no dimensions: `String`).
    Row(String, Option<String>),
    /// `vendor_clients::Envelope<T, Meta>`: a value unwrapped from a response envelope
    /// (`x-unwrap`), with the rest of the envelope (the named meta struct) beside it.
    Envelope(Box<Ty>, String),
}

impl Ty {
    /// The named types `self` mentions, at any depth, onto `out` (not looking into their
    /// definitions): `Vec<Map<A>>` gives `A`, an envelope its value's types and its meta struct,
    /// a row its metric and dimension enums.
    pub fn named_types<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Ty::Named(n) => out.push(n),
            Ty::Vec(t) | Ty::Map(t) | Ty::Lenient(t) => t.named_types(out),
            Ty::Envelope(t, meta) => {
                t.named_types(out);
                out.push(meta);
            }
            Ty::Row(metrics, dimensions) => {
                out.push(metrics);
                out.extend(dimensions.as_deref());
            }
            _ => {}
        }
    }
}

/// A named type definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Documentation.
    pub doc: Option<String>,
    /// JSON pointer of the schema it came from.
    pub pointer: String,
    /// Shape.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named fields (and possibly extra properties).
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// `additionalProperties` beside named properties: their value type, or a
        /// [`Ty::Row`] holding them all (`x-row`).
        additional: Option<Ty>,
    },
    /// A string enum; unknown values are kept.
    Enum {
        /// Known values.
        values: Vec<EnumValue>,
        /// Name of the catch-all variant.
        unknown: String,
    },
    /// An integer enum with named values (`x-enum-varnames`, or the titles of a `oneOf` of
    /// constants); unknown values are kept.
    IntEnum {
        /// Known values.
        values: Vec<IntValue>,
        /// Name of the catch-all variant.
        unknown: String,
    },
    /// A parameter struct: an operation's query and header parameters (see [`Operation::params`]).
    Params {
        /// The operation whose parameters these are.
        operation: String,
        /// Members, in spec order.
        members: Vec<Param>,
    },
    /// Exactly one of several query parameters (`x-param-groups`).
    ParamGroup {
        /// One variant per parameter: Rust variant name and the parameter.
        variants: Vec<(String, Param)>,
    },
    /// `oneOf`: exactly one of several shapes.
    OneOf {
        /// The discriminator property, when the spec gives one.
        tag: Option<String>,
        /// Variants in spec order.
        variants: Vec<Variant>,
        /// Variants that are failures when received in a success response (`x-error-variants`).
        rejected: Vec<String>,
    },
    /// Another name for a type.
    Alias(Ty),
    /// A type that holds itself through a list or map only by way of aliases (`A` an array of
    /// `A`): a Rust type alias cannot name itself, so it is a one-field struct, the same on the
    /// wire (`#[serde(transparent)]`).
    Newtype(Ty),
    /// A `multipart/form-data` request body: one field per part.
    Multipart {
        /// Parts in spec order.
        parts: Vec<Part>,
    },
}

/// A part of a `multipart/form-data` body (a field of its generated struct).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Rust field name.
    pub rust: String,
    /// Part name on the wire.
    pub wire: String,
    /// Field type (ignored for file parts, which are `vendor_clients::FilePart`).
    pub ty: Ty,
    /// How the part is sent.
    pub kind: PartKind,
    /// Listed in `required`.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
}

/// How a multipart part is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// Text (a scalar; a list is one part per item).
    Text,
    /// JSON text with `Content-Type: application/json` (objects, OpenAPI's default for them).
    Json,
    /// A file (`type: string, format: binary`).
    File,
    /// Several files under one name (an array of binary strings).
    Files,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name.
    pub rust: String,
    /// JSON name.
    pub wire: String,
    /// Type (without the optional/nullable wrapper).
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// Other wire names accepted when decoding (`x-aliases`).
    pub aliases: Vec<String>,
    /// Held in a `Box`: the field's type contains the struct itself (a recursive type).
    pub boxed: bool,
    /// `readOnly: true`: sent by the server only. In a type used in request bodies it is never
    /// serialized, and optional even when `required` (which then only describes responses).
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only. In a type used in responses it is optional
    /// even when `required` (which then only describes requests).
    pub write_only: bool,
    /// The spec's `default` (JSON text) for an optional field: decoded when the property is
    /// absent. Only kept when it fits the field's type.
    pub default: Option<String>,
}

/// A known value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// Rust variant name.
    pub rust: String,
    /// Value on the wire.
    pub wire: String,
    /// What the value means (a constant's `description`), for the variant's docs.
    pub doc: Option<String>,
}

/// One known value of an integer enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntValue {
    /// Rust variant name.
    pub rust: String,
    /// The number on the wire.
    pub value: i64,
    /// What the value means (a constant's `description`), for the variant's docs.
    pub doc: Option<String>,
}

/// A `oneOf` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust variant name.
    pub rust: String,
    /// Payload type.
    pub ty: Ty,
    /// Discriminator value, when tagged.
    pub tag_value: Option<String>,
    /// Held in a `Box`: the payload contains the enum itself (a recursive type).
    pub boxed: bool,
    /// In a tagged union, the payload's type keeps the tag property (it is also an alternative
    /// of an untagged union, where the property tells it apart): written and read whole.
    pub keeps_tag: bool,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name, as the endpoint macro takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// Rust method name.
    pub rust: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as in the spec.
    pub path: String,
    /// Path template with Rust parameter names, as the endpoint macro takes it.
    pub rust_path: String,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Parameters passed as method arguments: path first in template order, then the others in
    /// spec order (query and header parameters only when there is no parameter struct).
    pub params: Vec<Param>,
    /// The parameter struct holding the query and header parameters, when the operation has
    /// optional ones: its type name.
    pub params_struct: Option<String>,
    /// JSON request body.
    pub body: Option<Body>,
    /// Success arms.
    pub ok: Vec<Arm>,
    /// Error arms.
    pub err: Vec<Arm>,
    /// Accepted security schemes (any one); empty = none.
    pub auth: Vec<String>,
    /// The `Accept` header, when the responses declare more than `application/json`: their
    /// media types, successes first (`text/csv, application/json`).
    pub accept: Option<String>,
    /// Some response type holds a secret (`x-sensitive`, `format: password`): error snippets of
    /// the call leave the body out.
    pub sensitive: bool,
    /// What the method returns on success.
    pub output: Output,
    /// How to walk the pages of a list operation (`x-pagination`).
    pub pagination: Option<Pagination>,
    /// For a paginated operation whose success value is chosen by media type: the success arms
    /// of the JSON form alone, which the `<method>_stream` pages through (a hidden method), and
    /// their value.
    pub json_page: Option<(Vec<Arm>, OutTy)>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// Path segment.
    Path,
    /// Query string.
    Query,
    /// Header.
    Header,
    /// Cookie (sent in the `Cookie` header).
    Cookie,
    /// One of a group of query parameters (`x-param-groups`): the [`Param::ty`] is the group's
    /// enum, and the member parameters are in its type definition.
    Group,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name.
    pub rust: String,
    /// Name on the wire.
    pub wire: String,
    /// Location.
    pub location: ParamIn,
    /// Type.
    pub ty: Ty,
    /// Required.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// How the value is written (query styles, JSON text).
    pub style: ParamStyle,
}

/// How a parameter's value is written, beyond plain text (`vendor_clients::QueryStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// As text (`ToParam`); a list repeats the name (`form`, exploded).
    Plain,
    /// An object as one pair per property (`form`, exploded).
    Form,
    /// `form` with `explode: false`: `ids=1,2,3`, `color=R,100,G,200`.
    FormUnexploded,
    /// `pipeDelimited`: `ids=1|2|3`.
    PipeDelimited,
    /// `spaceDelimited`: `ids=1%202%203`.
    SpaceDelimited,
    /// `deepObject`: `filter[name]=x&filter[age]=3`.
    DeepObject,
    /// `content: application/json`: the value's JSON text.
    Json,
}

impl ParamStyle {
    /// The `vendor_clients::QueryStyle` variant, for the styles that are one.
    pub fn query_style(self) -> Option<&'static str> {
        match self {
            ParamStyle::Plain | ParamStyle::Json => None,
            ParamStyle::Form => Some("Form"),
            ParamStyle::FormUnexploded => Some("FormUnexploded"),
            ParamStyle::PipeDelimited => Some("PipeDelimited"),
            ParamStyle::SpaceDelimited => Some("SpaceDelimited"),
            ParamStyle::DeepObject => Some("DeepObject"),
        }
    }

    /// The `#[endpoint]` options that select this style (`(explode = false)`), or empty.
    pub fn endpoint_options(self) -> &'static str {
        match self {
            ParamStyle::Plain => "",
            ParamStyle::Form => "(style = \"form\")",
            ParamStyle::FormUnexploded => "(explode = false)",
            ParamStyle::PipeDelimited => "(style = \"pipeDelimited\")",
            ParamStyle::SpaceDelimited => "(style = \"spaceDelimited\")",
            ParamStyle::DeepObject => "(style = \"deepObject\")",
            ParamStyle::Json => "(json)",
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Type (`String` for text, `Vec<u8>`-like bytes for binary bodies).
    pub ty: Ty,
    /// Whether the body must be sent.
    pub required: bool,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The `Content-Type` sent when it is not the encoding's own (`application/json`,
    /// `text/plain`, `application/octet-stream`): the declared media type, such as
    /// `application/merge-patch+json`, `text/csv` or `image/png`.
    pub media: Option<String>,
    /// The media types a binary body may be sent as, when they are more than the one sent
    /// (several image types, or a range such as `image/*`): its caller picks with
    /// `Upload::content_type`.
    pub alternatives: Vec<String>,
    /// A text or binary body whose schema describes a structure (an XML document's object):
    /// the caller encodes it, the docs say so.
    pub unencoded_schema: bool,
}

/// How a request body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` (also `+json` types and `*/*`).
    Json,
    /// `application/x-www-form-urlencoded`, from a struct of flat fields.
    Form,
    /// `text/plain` (or another `text/*` type), from a `&str`.
    Text,
    /// `application/octet-stream` (or another binary type), from an
    /// `impl Into<vendor_clients::Upload>` (bytes, or a stream).
    Bytes,
    /// `multipart/form-data`, from a generated struct of parts ([`TypeKind::Multipart`]).
    Multipart,
}

impl BodyEncoding {
    /// The media type this encoding sends when the operation names no other.
    pub fn default_media(self) -> &'static str {
        match self {
            BodyEncoding::Json => "application/json",
            BodyEncoding::Form => "application/x-www-form-urlencoded",
            BodyEncoding::Multipart => "multipart/form-data",
            BodyEncoding::Text => "text/plain",
            BodyEncoding::Bytes => "application/octet-stream",
        }
    }
}

/// Which statuses an arm matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statuses {
    /// These exact codes.
    Codes(Vec<u16>),
    /// Every status of a class (`4XX` is `Range(4)`) that no exact code matches.
    Range(u16),
    /// Any status no other arm matches.
    Default,
}

/// What a response body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON of this type.
    Json(Ty),
    /// No body.
    Empty,
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// Raw bytes, handed to the caller as a stream as they arrive (`x-stream: true`).
    Stream,
}

/// A response arm.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// Statuses matched.
    pub statuses: Statuses,
    /// Body.
    pub kind: BodyKind,
    /// Variant of the operation's outcome enum, when the output is one.
    pub variant: Option<String>,
    /// Decode through `vendor_clients::Verdict` (some variants are failures).
    pub verdict: bool,
    /// Index into [`Api::unwraps`]: return the unwrapped value, not the envelope.
    pub unwrap: Option<usize>,
    /// The media type this arm takes among the arms of its status (`x-media-type-param`):
    /// the response's `Content-Type` picks the arm.
    pub media: Option<String>,
}

/// What an operation returns on success.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// One shape for every success status.
    Single(OutTy),
    /// An enum with one variant per success status.
    Enum {
        /// Enum name.
        name: String,
        /// Variants: name, payload (None = unit), statuses.
        variants: Vec<(String, Option<Ty>, Vec<u16>)>,
    },
}

/// A success value type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutTy {
    /// `()`.
    Unit,
    /// A JSON type.
    Ty(Ty),
    /// `String`.
    Text,
    /// `bytes::Bytes`.
    Bytes,
    /// `vendor_clients::ByteStream<E>`, as the module's `ByteStream` alias.
    Stream,
}

/// How a list operation pages (`x-pagination`); the client gets a `<method>_stream` too.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Page-walking style and its parameters.
    pub style: PageStyle,
    /// Where the items are in the method's success value.
    pub items: Access,
    /// The item type.
    pub item: Ty,
}

/// The paging styles.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// `offset`/`limit` query parameters, until a short or empty page or the total is reached.
    Offset {
        /// Params-struct field of the page size (and its type).
        limit: Option<(String, Ty)>,
        /// Params-struct field of the offset (and its type).
        offset: (String, Ty),
        /// Where the total count is, if the body has one, and its type.
        total: Option<(Access, Ty)>,
    },
    /// A cursor query parameter set from a value in each page, until it is absent.
    Cursor {
        /// Params-struct field of the cursor (and its type).
        cursor: (String, Ty),
        /// Where the next cursor is.
        next: Access,
    },
    /// Each page's body carries the link (absolute or relative URL) of the next page, which is
    /// requested as is, until a page has none.
    NextLink {
        /// Where the link is (a string, possibly behind optional properties).
        next: LinkPath,
    },
}

/// A path to a string in a success value through properties that may be missing or `null`
/// (`x-pagination.next` of `style: next-link`).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPath {
    /// Which part of the success value the steps start from.
    pub from: AccessRoot,
    /// Rust field names, each with how it is wrapped.
    pub steps: Vec<(String, FieldWrap)>,
}

/// How a struct field's type is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldWrap {
    /// Required, not nullable: `T`.
    Plain,
    /// Required and nullable, or optional: `Option<T>`.
    Option,
    /// Optional and nullable: `vendor_clients::Nullable<T>`.
    Nullable,
}

/// A path into an operation's success value: the value itself (`Value`) or, when the body is
/// unwrapped into an `Envelope`, its meta part (`Meta`).
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    /// Which part of the success value the steps start from.
    pub from: AccessRoot,
    /// Steps (Rust field names); `Each` is not allowed here.
    pub steps: Vec<UnwrapStep>,
    /// Whether the last field is an `Option`.
    pub optional: bool,
    /// Whether the last field is a `Lenient<T>` (read through `*`).
    pub lenient: bool,
    /// Whether the last field is optional and nullable, so a `vendor_clients::Nullable<T>`
    /// rather than an `Option<T>` (`optional` is set too).
    pub nullable: bool,
}

/// Where an [`Access`] starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessRoot {
    /// The success value (or, for an envelope, its unwrapped value).
    Value,
    /// The meta part of an envelope.
    Meta,
}

/// Types that can be looked up by Rust name: a slice or `Vec` of [`TypeDef`]s (a scan, first
/// match), or an index of them (lowering keeps one, since it looks types up once per parameter
/// and response, and a scan each time would make it quadratic in the spec's size).
pub trait TypeLookup {
    /// The type named `name`, if any.
    fn type_named(&self, name: &str) -> Option<&TypeDef>;
}

impl TypeLookup for [TypeDef] {
    fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.iter().find(|t| t.name == name)
    }
}

impl TypeLookup for Vec<TypeDef> {
    fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.as_slice().type_named(name)
    }
}

/// The shape of the type named `name` among `types`.
pub fn kind_named<'a, L: TypeLookup + ?Sized>(types: &'a L, name: &str) -> Option<&'a TypeKind> {
    types.type_named(name).map(|t| &t.kind)
}

/// Whether a value of `ty` is one path, query or header value: it implements
/// `vendor_clients::ToParam` in generated code (scalars, string and integer enums, aliases of
/// those, lenient forms of those). Lowering accepts parameters by it, and the emitter gives an
/// untagged union of such alternatives its own `ToParam`.
pub fn is_scalar_param<L: TypeLookup + ?Sized>(ty: &Ty, types: &L) -> bool {
    fn go<L: TypeLookup + ?Sized>(ty: &Ty, types: &L, depth: usize) -> bool {
        match ty {
            Ty::String
            | Ty::Secret
            | Ty::DateTime
            | Ty::Date
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F32
            | Ty::F64
            | Ty::NaiveDateTime
            | Ty::EpochMillis
            | Ty::EpochSeconds => true,
            Ty::Lenient(inner) => go(inner, types, depth),
            Ty::Named(n) if depth < 8 => match kind_named(types, n) {
                Some(TypeKind::Enum { .. } | TypeKind::IntEnum { .. }) => true,
                Some(TypeKind::Alias(t)) => go(t, types, depth + 1),
                _ => false,
            },
            _ => false,
        }
    }
    go(ty, types, 0)
}
