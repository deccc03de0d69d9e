//! What the benchmarks share: SaaSquatch's documented user, and a client credential for it.

use serde_json::Value;

/// The first user of the spec's `listUsers` example: what SaaSquatch documents a user to be.
pub fn example_user() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/saasquatch.yaml"
    ))
    .expect("read specs/saasquatch.yaml");
    let spec: Value = serde_yaml::from_str(&text).expect("parse spec");
    let op = &spec["paths"]["/users"]["get"];
    assert_eq!(op["operationId"], "listUsers", "the spec moved listUsers");
    op["responses"]["200"]["content"]["application/json"]["example"]["users"][0].clone()
}
