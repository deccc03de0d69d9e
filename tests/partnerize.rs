//! Partnerize: operations of each API version against a local wiremock server answering with the
//! spec's documented examples; the tests assert the request shape (method, path, query, Basic
//! auth, JSON body) and the decoded values. Also: each response envelope, each error body, the
//! three paging styles (offset, cursor, next-link), CSV-or-job exports (the CSV streamed past
//! the size limit) with polling and download, a 429 retried after `X-RateLimit-Retry-After`, the
//! lenient forms, and Analytics queries and rows by typed metric and dimension name.

mod support;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use vendor_clients::partnerize::*;
use vendor_clients::{Error as ClientError, Nullable};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_KEY: &str = "app-key-123";
const USER_KEY: &str = "user-key-456";
/// `base64("app-key-123:user-key-456")`.
const BASIC: &str = "Basic YXBwLWtleS0xMjM6dXNlci1rZXktNDU2";

fn spec() -> support::Spec {
    support::Spec::load("partnerize.yaml")
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .basic_auth(APP_KEY, USER_KEY)
}

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    (server, client)
}

/// Expects one `verb path` call with the Basic credentials (and `body`), answering `status` with
/// `answer`.
async fn expect(
    server: &MockServer,
    verb: &str,
    p: &str,
    body: Option<Value>,
    status: u16,
    answer: Value,
) {
    support::expect_once(server, BASIC, verb, p, body, status, Some(answer)).await;
}

fn api_error(e: Error) -> (u16, ErrorBody) {
    support::api_body(e)
}

fn naive(s: &str) -> vendor_clients::NaiveDateTime {
    s.parse().expect("naive date-time")
}

fn date_time(s: &str) -> vendor_clients::DateTime {
    s.parse().expect("date-time")
}

// ------------------------------------------------------------------ v1 envelope, offset paging

#[tokio::test]
async fn v1_list_networks_unwraps_each_wrapped_item_and_keeps_the_count() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/network",
        None,
        200,
        spec().response("listNetworks", 200, None),
    )
    .await;
    let networks = client
        .list_networks(&ListNetworksParams::new())
        .await
        .expect("networks");
    assert_eq!(networks.len(), 1);
    let n = &networks[0];
    assert_eq!(
        n.network_id.as_ref().map(|id| id.as_str()),
        Some("1"),
        "a number, kept as its text"
    );
    assert_eq!(n.network_name.as_deref(), Some("Partnerize"));
    assert_eq!(
        n.network_application_id.as_ref().map(|s| s.as_str()),
        Some("2")
    );
    assert_eq!(n.auto_approve_publishers.map(|b| *b), Some(false), "\"n\"");
    assert_eq!(n.default_campaign_id, Nullable::Null);
    assert_eq!(n.network_contact_email, Nullable::Null);
    assert_eq!(n.network_locale.as_deref(), Some("en"));
    assert_eq!(networks.meta().count.as_ref().map(|c| **c), Some(1));
}

fn network_page(offset: usize, total: usize) -> Value {
    let mut page = spec().response("listNetworks", 200, None);
    page["count"] = json!(total);
    page["networks"][0]["network"]["network_id"] = json!(format!("{offset}l1"));
    page
}

#[tokio::test]
async fn v1_offset_stream_walks_three_pages_and_stops_at_the_count() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    for offset in 0..3 {
        Mock::given(method("GET"))
            .and(path("/network"))
            .and(query_param("offset", offset.to_string().as_str()))
            .and(query_param("limit", "1"))
            .and(header("authorization", BASIC))
            .respond_with(ResponseTemplate::new(200).set_body_json(network_page(offset, 3)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let params = ListNetworksParams::new().limit(1);
    let ids: Vec<String> = client
        .list_networks_stream(&params)
        .map(|r| {
            r.expect("network")
                .network_id
                .expect("network_id")
                .into_inner()
        })
        .collect()
        .await;
    assert_eq!(ids, vec!["0l1", "1l1", "2l1"]);
}

// ------------------------------------------------------------------ cursor paging

#[tokio::test]
async fn v1_conversion_report_stream_follows_cursor_id() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let p = "/reporting/report_publisher/publisher/111111l92/conversion.json";
    let mut first = spec().response("getPartnerConversionsReport", 200, None);
    first["cursor_id"] = json!("10325942995"); // a number as a string: lenient
    let mut second = spec().response("getPartnerConversionsReport", 200, None);
    second["conversions"][0]["conversion_data"]["conversion_id"] = json!("111111l315");
    second["cursor_id"] = Value::Null;
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param_is_missing("cursor_id"))
        .and(query_param("start_date", "2020-03-01T00:00:00Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param("cursor_id", "10325942995"))
        .respond_with(ResponseTemplate::new(200).set_body_json(second))
        .expect(1)
        .mount(&server)
        .await;
    let params = GetPartnerConversionsReportParams::new(date_time("2020-03-01T00:00:00Z"));
    let ids: Vec<String> = client
        .get_partner_conversions_report_stream("111111l92", &ReportFormat::Json, &params)
        .map(|r| r.expect("conversion").conversion_id.expect("conversion_id"))
        .collect()
        .await;
    assert_eq!(ids, vec!["111111l314", "111111l315"]);
}

#[tokio::test]
async fn v1_conversion_report_decodes_the_documented_values() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/reporting/report_publisher/publisher/111111l92/conversion.json",
        None,
        200,
        spec().response("getPartnerConversionsReport", 200, None),
    )
    .await;
    let report = match client
        .get_partner_conversions_report(
            "111111l92",
            &ReportFormat::Json,
            &GetPartnerConversionsReportParams::new(date_time("2020-03-01T00:00:00Z")),
        )
        .await
        .expect("report")
    {
        GetPartnerConversionsReportResponse::Json(rows) => rows,
        other => panic!("a JSON answer is the JSON outcome, got {other:?}"),
    };
    assert_eq!(report.len(), 1);
    let c = &report[0];
    assert_eq!(c.conversion_id.as_deref(), Some("111111l314"));
    assert_eq!(c.campaign_id.as_deref(), Some("111111l29"));
    assert_eq!(c.conversion_time, Some(naive("2020-03-08 17:18:33")));
}

// ------------------------------------------------------------------ v3 next-link paging

fn tags_page(id: &str, next: Option<String>) -> Value {
    let mut page = spec().response("listPartnerizeTags", 200, None);
    page["data"] = json!([page["data"][0].clone()]);
    page["data"][0]["id"] = json!(id);
    page["hypermedia"] = json!({ "pagination": { "next_page": next } });
    page
}

#[tokio::test]
async fn v3_next_link_stream_follows_relative_and_absolute_links_over_three_pages() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let p = "/v3/partner/partnerize-tags";
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param_is_missing("page"))
        .and(query_param("partner_id", "111111l2"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(tags_page(
            "111111l35",
            Some("/v3/partner/partnerize-tags?partner_id=111111l2&page=2".into()),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param("page", "2"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(tags_page(
            "111111l36",
            Some(format!(
                "{}/v3/partner/partnerize-tags?partner_id=111111l2&page=3",
                server.uri()
            )),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param("page", "3"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(tags_page("111111l37", None)))
        .expect(1)
        .mount(&server)
        .await;
    let params = ListPartnerizeTagsParams::new().partner_id("111111l2");
    let ids: Vec<String> = client
        .list_partnerize_tags_stream(&params)
        .map(|r| r.expect("tag").id.expect("id"))
        .collect()
        .await;
    assert_eq!(ids, vec!["111111l35", "111111l36", "111111l37"]);
}

#[tokio::test]
async fn v3_next_link_to_another_host_is_refused_not_followed() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    Mock::given(method("GET"))
        .and(path("/v3/partner/partnerize-tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tags_page(
            "111111l35",
            Some("https://elsewhere.example/v3/partner/partnerize-tags?page=2".into()),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<Result<PartnerizeTag, Error>> = client
        .list_partnerize_tags_stream(&ListPartnerizeTagsParams::new())
        .collect()
        .await;
    assert_eq!(got.len(), 2, "the first page's item, then the refusal");
    assert_eq!(
        got[0].as_ref().expect("first item").id.as_deref(),
        Some("111111l35")
    );
    match &got[1] {
        Err(ClientError::InvalidRequest { operation, message }) => {
            assert_eq!(*operation, "listPartnerizeTags");
            assert!(
                message.contains("https://elsewhere.example") && message.contains("not followed"),
                "{message}"
            );
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn v3_envelope_unwraps_data_and_keeps_hypermedia() {
    let (server, client) = setup().await;
    let mut answer = spec().response("listPartnerizeTags", 200, None);
    answer["hypermedia"] = json!({ "pagination": { "next_page": null, "total_item_count": "2" } });
    expect(
        &server,
        "GET",
        "/v3/partner/partnerize-tags",
        None,
        200,
        answer,
    )
    .await;
    let tags = client
        .list_partnerize_tags(&ListPartnerizeTagsParams::new())
        .await
        .expect("tags");
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0].id.as_deref(), Some("111111l35"));
    assert_eq!(tags[0].name.as_deref(), Some("my-tag-website"));
    assert_eq!(tags[0].active.map(|a| *a), Some(true));
    assert_eq!(
        tags[0].created_at,
        Some(date_time("2020-07-22T12:23:58.000Z"))
    );
    let pagination = tags
        .meta()
        .hypermedia
        .as_ref()
        .and_then(|h| h.pagination.as_ref())
        .expect("pagination");
    assert_eq!(pagination.total_item_count.map(|c| *c), Some(2));
    assert_eq!(pagination.next_page, Nullable::Null);
}

#[tokio::test]
async fn v3_create_partnerize_tag_sends_the_documented_body() {
    let (server, client) = setup().await;
    let s = spec();
    let request = s.request("createPartnerizeTag", None);
    expect(
        &server,
        "POST",
        "/v3/partner/partnerize-tags",
        Some(request.clone()),
        201,
        s.response("createPartnerizeTag", 201, None),
    )
    .await;
    let body: CreatePartnerizeTagRequest = serde_json::from_value(request).expect("request");
    let tag = client.create_partnerize_tag(&body).await.expect("tag");
    assert_eq!(tag.id.as_deref(), Some("111111l35"));
}

// ------------------------------------------------------------------ error bodies per version

#[tokio::test]
async fn v1_error_body_is_typed() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .retry(vendor_clients::RetryPolicy::none())
        .build()
        .expect("client");
    let body = spec().response("listNetworks", 429, Some("tooManyRequests"));
    expect(&server, "GET", "/network", None, 429, body).await;
    let e = client
        .list_networks(&ListNetworksParams::new())
        .await
        .expect_err("429");
    match api_error(e) {
        (429, ErrorBody::V1ErrorResponse(b)) => {
            assert_eq!(b.error.message.as_deref(), Some("Too Many Requests"));
            assert_eq!(b.error.r#type.as_deref(), Some("429"));
        }
        other => panic!("expected a v1 error body, got {other:?}"),
    }
}

#[tokio::test]
async fn v2_error_body_is_typed() {
    let (server, client) = setup().await;
    let body = spec().response("listInvitations", 404, Some("entityNotFound"));
    expect(
        &server,
        "GET",
        "/v2/publishers/111111l2/invitations/advertisers/",
        None,
        404,
        body,
    )
    .await;
    let e = client.list_invitations("111111l2").await.expect_err("404");
    match api_error(e) {
        (404, ErrorBody::V2ErrorResponse(b)) => {
            assert_eq!(b.error.code.as_deref(), Some("404"));
            assert_eq!(b.error.message.as_deref(), Some("Not Found"));
            let items = b.error.errors.expect("errors");
            assert_eq!(items[0].code.as_deref(), Some("entity_not_found"));
            assert_eq!(
                items[0].message.as_deref(),
                Some("campaign not found for id '1'")
            );
        }
        other => panic!("expected a v2 error body, got {other:?}"),
    }
}

#[tokio::test]
async fn v3_error_body_is_typed() {
    let (server, client) = setup().await;
    let body = spec().response("getPartnerizeTag", 404, Some("routeNotFound"));
    expect(
        &server,
        "GET",
        "/v3/partner/partnerize-tags/111111l35",
        None,
        404,
        body,
    )
    .await;
    let e = client
        .get_partnerize_tag("111111l35")
        .await
        .expect_err("404");
    match api_error(e) {
        (404, ErrorBody::V3ErrorResponse(b)) => {
            assert_eq!(b.error.code.as_deref(), Some("404"));
            let items = b.error.errors.expect("errors");
            assert_eq!(
                items[0].code.as_deref(),
                Some("0d528fb3-569c-45fa-b2b5-309b360bf9fa")
            );
            assert_eq!(items[0].r#type.as_deref(), Some("not_found"));
        }
        other => panic!("expected a v3 error body, got {other:?}"),
    }
}

// ------------------------------------------------------------------ exports, jobs

fn export_params() -> ExportClicksCsvParams {
    ExportClicksCsvParams::new(
        "1l1007802",
        date_time("2016-03-01T00:00:00Z"),
        date_time("2016-03-31T00:00:00Z"),
    )
}

#[tokio::test]
async fn export_streams_a_csv_larger_than_the_response_limit_whole() {
    let server = MockServer::start().await;
    // The limit bounds bodies read into memory; the streamed CSV is not one of them.
    let client = builder(&server)
        .max_response_bytes(1024)
        .build()
        .expect("client");
    let mut csv = String::from("click_id,cookie_id\n");
    for i in 0..5000 {
        csv.push_str(&format!("111111l{i:05},111111l2136\n"));
    }
    assert!(csv.len() > 64 * 1024, "{} bytes", csv.len());
    Mock::given(method("GET"))
        .and(path("/reporting/export/export/click.csv"))
        .and(query_param("publisher_id", "1l1007802"))
        .and(query_param("start_date", "2016-03-01T00:00:00Z"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv.clone(), "text/csv"))
        .expect(1)
        .mount(&server)
        .await;
    match client
        .export_clicks_csv(&export_params())
        .await
        .expect("export")
    {
        ExportClicksCsvResponse::Ok(stream) => {
            assert_eq!(stream.status(), 200);
            assert_eq!(stream.content_length(), Some(csv.len() as u64));
            assert_eq!(collect(stream).await, csv.as_bytes());
        }
        other => panic!("expected the CSV, got {other:?}"),
    }
}

#[tokio::test]
async fn export_job_answer_decodes_as_the_job_outcome_and_stays_within_the_limit() {
    let server = MockServer::start().await;
    let s = spec();
    let started = s.response("exportClicksCsv", 202, None);
    let job_len = serde_json::to_vec(&started).expect("json").len();
    Mock::given(method("GET"))
        .and(path("/reporting/export/export/click.csv"))
        .respond_with(ResponseTemplate::new(202).set_body_json(started))
        .expect(2)
        .mount(&server)
        .await;
    // The 202 is read whole, so it decodes under a limit it fits in...
    let client = builder(&server)
        .max_response_bytes(job_len + 16)
        .build()
        .expect("client");
    match client
        .export_clicks_csv(&export_params())
        .await
        .expect("export")
    {
        ExportClicksCsvResponse::BackgroundJob(envelope) => {
            assert_eq!(envelope.job.job_id.as_deref(), Some("111111l11"));
            assert_eq!(envelope.job.status.as_deref(), Some("pending"));
        }
        other => panic!("expected a job, got {other:?}"),
    }
    // ...and, unlike the streamed CSV, is refused over it.
    let small = builder(&server)
        .max_response_bytes(job_len / 2)
        .build()
        .expect("client");
    let e = small
        .export_clicks_csv(&export_params())
        .await
        .expect_err("over the limit");
    assert!(matches!(e, ClientError::BodyTooLarge { .. }), "{e:?}");
}

#[tokio::test]
async fn export_that_becomes_a_job_is_polled_and_its_output_downloaded() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let s = spec();
    let started = s.response("exportClicksCsv", 202, None);
    Mock::given(method("GET"))
        .and(path("/reporting/export/export/click.csv"))
        .respond_with(ResponseTemplate::new(202).set_body_json(started))
        .expect(1)
        .mount(&server)
        .await;
    expect(
        &server,
        "GET",
        "/job/111111l11",
        None,
        200,
        s.response("getJobV1", 200, None),
    )
    .await;
    let csv = "click_id\n111111l2210\n";
    Mock::given(method("GET"))
        .and(path("/job/111111l11/response.csv"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv, "text/csv"))
        .expect(1)
        .mount(&server)
        .await;

    let job = match client
        .export_clicks_csv(&export_params())
        .await
        .expect("export")
    {
        ExportClicksCsvResponse::BackgroundJob(envelope) => envelope.job,
        other => panic!("expected a job, got {other:?}"),
    };
    assert_eq!(job.job_id.as_deref(), Some("111111l11"));
    assert_eq!(job.status.as_deref(), Some("pending"));
    assert_eq!(job.percentage_complete.map(|p| *p), Some(0));
    assert_eq!(job.completed_at, Nullable::Null);

    let polled = client
        .get_job_v1(job.job_id.as_deref().expect("job_id"))
        .await
        .expect("job");
    assert_eq!(polled.status.as_deref(), Some("complete"));
    assert_eq!(polled.percentage_complete.map(|p| *p), Some(100));
    assert_eq!(
        polled.completed_at,
        Nullable::Value(naive("2018-11-13 20:20:55"))
    );
    assert_eq!(polled.response_within_retention.map(|b| *b), Some(true));

    let output = client
        .download_job_output(
            polled.job_id.as_deref().expect("job_id"),
            &JobOutputFormat::Csv,
        )
        .await
        .expect("output");
    assert_eq!(collect(output).await, csv.as_bytes());
}

/// The whole body of a streamed download.
async fn collect(stream: ByteStream) -> Vec<u8> {
    let mut stream = std::pin::pin!(stream);
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk.expect("chunk"));
    }
    body
}

// ------------------------------------------------------------------ analytics names

fn analytics_range() -> AnalyticsDateTimeRange {
    AnalyticsDateTimeRange {
        field: None,
        start: date_time("2019-01-01T00:00:00Z"),
        end: date_time("2019-12-31T23:59:59Z"),
    }
}

/// The tutorial's "daily clicks per campaign and country" query, with typed names.
fn clicks_by_day_and_country(metrics: Vec<ClickAnalyticsMetric>) -> ClicksExplodeQuery {
    ClicksExplodeQuery {
        date_time_ranges: vec![analytics_range()],
        comparison_date_time_ranges: None,
        scope: AnalyticsScope {
            partner: "111111l10".into(),
        },
        metrics,
        group_by: vec![
            ClickAnalyticsDimension::DateTime,
            ClickAnalyticsDimension::Campaign,
            ClickAnalyticsDimension::Country,
        ],
        filter_by: None,
        order_by: Some(vec![
            // A metric or a dimension converts into the union of both (`From`).
            ClickAnalyticsOrderBy {
                field: ClickAnalyticsMetric::TotalClicks.into(),
                direction: Some(AnalyticsSortDirection::Descending),
            },
            ClickAnalyticsOrderBy {
                field: ClickAnalyticsDimension::Country.into(),
                direction: None,
            },
        ]),
        interval: Some(AnalyticsInterval {
            field: Some(ClickAnalyticsDimension::DateTime.to_string()),
            period: "P1D".into(),
        }),
        output_date_time_format: None,
        top: Some(10),
        include_total_row_count: None,
        timezone: None,
        include_comparison_percentage_change: None,
    }
}

#[tokio::test]
async fn analytics_typed_names_are_sent_as_the_doc_strings_and_rows_answer_by_name() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let s = spec();
    let query = clicks_by_day_and_country(vec![
        ClickAnalyticsMetric::TotalClicks,
        ClickAnalyticsMetric::ClickConversionRate,
    ]);
    let sent = serde_json::to_value(&query).expect("json");
    assert_eq!(
        sent["metrics"],
        json!(["total_clicks", "click_conversion_rate"])
    );
    assert_eq!(
        sent["group_by"],
        json!(["date_time", "campaign", "country"])
    );
    assert_eq!(sent["order_by"][0]["field"], "total_clicks");
    assert_eq!(sent["order_by"][1], json!({"field": "country"}));
    // Order fields read back by name: a metric, a dimension, or a name neither knows (kept).
    let read = |name: &str| -> ClickAnalyticsField {
        serde_json::from_value(json!(name)).expect("a field name")
    };
    assert_eq!(
        read("total_clicks"),
        ClickAnalyticsField::ClickAnalyticsMetric(ClickAnalyticsMetric::TotalClicks)
    );
    assert_eq!(
        read("country"),
        ClickAnalyticsField::ClickAnalyticsDimension(ClickAnalyticsDimension::Country)
    );
    assert_eq!(
        read("brand_new_name"),
        ClickAnalyticsField::ClickAnalyticsDimension(ClickAnalyticsDimension::Unknown(
            "brand_new_name".into()
        ))
    );
    assert_eq!(sent["interval"]["field"], "date_time");
    // The doc's own names for every source parse back to known variants.
    for name in [
        "total_clicks",
        "total_clicks_converted",
        "click_conversion_rate",
        "total_unique_clicks",
    ] {
        let m: ClickAnalyticsMetric = serde_json::from_value(json!(name)).expect("metric");
        assert!(!matches!(m, ClickAnalyticsMetric::Unknown(_)), "{name}");
        assert_eq!(m.as_str(), name);
    }
    for name in [
        "voucher_status",
        "conversion_metric",
        "sku",
        "customer_type",
    ] {
        let d: ConversionAnalyticsDimension =
            serde_json::from_value(json!(name)).expect("dimension");
        assert!(
            !matches!(d, ConversionAnalyticsDimension::Unknown(_)),
            "{name}"
        );
    }
    let m: ImpressionAnalyticsMetric =
        serde_json::from_value(json!("total_impressions")).expect("metric");
    assert_eq!(m, ImpressionAnalyticsMetric::TotalImpressions);

    Mock::given(method("POST"))
        .and(path("/v3/partner/analytics/clicks/explode"))
        .and(header("authorization", BASIC))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(s.response(
            "analyticsClicksExplode",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let rows = client
        .analytics_clicks_explode(&query)
        .await
        .expect("rows")
        .into_parts()
        .0;
    // The doc's rows: {"device_id": "1", "device_name": "desktop", "total_clicks": 2000}, ...
    assert_eq!(rows.len(), 2);
    let desktop = &rows[0];
    assert_eq!(
        desktop.metric(ClickAnalyticsMetric::TotalClicks),
        Some(2000.0)
    );
    assert_eq!(
        desktop.metric(ClickAnalyticsMetric::ClickConversionRate),
        None
    );
    assert_eq!(
        desktop.dimension(ClickAnalyticsDimension::Device),
        Some("1")
    );
    assert_eq!(
        desktop.dimension_name(ClickAnalyticsDimension::Device),
        Some("desktop")
    );
    assert_eq!(desktop.dimension(ClickAnalyticsDimension::Country), None);
    assert_eq!(
        rows[1].metric(ClickAnalyticsMetric::TotalClicks),
        Some(3000.0)
    );
    assert_eq!(
        rows[1].dimension_name(&ClickAnalyticsDimension::Device),
        Some("mobile")
    );
}

#[tokio::test]
async fn analytics_names_the_client_does_not_know_are_sent_and_kept() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let new_metric = ClickAnalyticsMetric::Unknown("total_bot_clicks".into());
    let query =
        clicks_by_day_and_country(vec![ClickAnalyticsMetric::TotalClicks, new_metric.clone()]);
    let sent = serde_json::to_value(&query).expect("json");
    assert_eq!(sent["metrics"], json!(["total_clicks", "total_bot_clicks"]));
    // The tutorial's row shape (country with its name), a new metric, a new dimension, and a
    // metric as a string.
    let row = json!({
        "date_time": "2020-03-02T00:00:00+02:00",
        "campaign_id": "1",
        "campaign_name": "Campaign 1",
        "country": "JP",
        "country_name": "Japan",
        "total_clicks": "2000",
        "total_bot_clicks": 12,
        "placement_id": "p9",
        "placement_name": "Sidebar"
    });
    Mock::given(method("POST"))
        .and(path("/v3/partner/analytics/clicks/explode"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": [row.clone()] })))
        .expect(1)
        .mount(&server)
        .await;
    let rows = client
        .analytics_clicks_explode(&query)
        .await
        .expect("rows")
        .into_parts()
        .0;
    let r = &rows[0];
    assert_eq!(r.metric(ClickAnalyticsMetric::TotalClicks), Some(2000.0));
    assert_eq!(r.metric(&new_metric), Some(12.0));
    assert_eq!(
        r.dimension(ClickAnalyticsDimension::DateTime),
        Some("2020-03-02T00:00:00+02:00")
    );
    assert_eq!(r.dimension(ClickAnalyticsDimension::Campaign), Some("1"));
    assert_eq!(
        r.dimension_name(ClickAnalyticsDimension::Campaign),
        Some("Campaign 1")
    );
    assert_eq!(r.dimension(ClickAnalyticsDimension::Country), Some("JP"));
    assert_eq!(
        r.dimension_name(ClickAnalyticsDimension::Country),
        Some("Japan")
    );
    let placement = ClickAnalyticsDimension::Unknown("placement".into());
    assert_eq!(r.dimension(&placement), Some("p9"));
    assert_eq!(r.dimension_name(&placement), Some("Sidebar"));
    // Numeric entries come back typed, unknown names included; every key is kept.
    let metrics: Vec<(ClickAnalyticsMetric, f64)> = r.metrics().collect();
    assert_eq!(metrics, vec![(new_metric, 12.0)]);
    assert_eq!(r.len(), 9);
    assert_eq!(serde_json::to_value(r).expect("json"), row);
}

#[tokio::test]
async fn analytics_totals_and_time_buckets_answer_by_metric_name() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let s = spec();
    expect(
        &server,
        "POST",
        "/v3/partner/analytics/conversions/count",
        None,
        200,
        s.response("analyticsConversionsCount", 200, None),
    )
    .await;
    expect(
        &server,
        "POST",
        "/v3/partner/analytics/impressions/timeseries",
        None,
        200,
        s.response("analyticsImpressionsTimeseries", 200, None),
    )
    .await;
    let totals = client
        .analytics_conversions_count(&from_example(&request_example(
            &s,
            "analyticsConversionsCount",
        )))
        .await
        .expect("count")
        .into_parts()
        .0;
    // {"data": {"total_conversions": 12}}
    assert_eq!(
        totals.metric(ConversionAnalyticsMetric::TotalConversions),
        Some(12.0)
    );
    assert_eq!(
        totals.metric(ConversionAnalyticsMetric::TotalPartnerCommission),
        None
    );
    let buckets = client
        .analytics_impressions_timeseries(&from_example(&request_example(
            &s,
            "analyticsImpressionsTimeseries",
        )))
        .await
        .expect("timeseries")
        .into_parts()
        .0;
    assert_eq!(buckets.len(), 2);
    assert_eq!(
        buckets[0].date_time_range.as_ref().and_then(|r| r.start),
        Some(date_time("2019-10-01T00:00:00+00:00"))
    );
    assert_eq!(
        buckets[1]
            .values
            .metric(ImpressionAnalyticsMetric::TotalImpressions),
        Some(2894.0)
    );
    // The bucket range is a named property, not one of the row's keys.
    assert!(buckets[0].values.get("date_time_range").is_none());
}

// ------------------------------------------------------------------ rate limits

#[tokio::test]
async fn a_429_is_retried_after_the_header_wait_and_the_success_headers_are_readable() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let s = spec();
    Mock::given(method("GET"))
        .and(path("/network"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Retry-After", "1")
                .insert_header("X-RateLimit-Remaining", "0")
                .set_body_json(s.response("listNetworks", 429, Some("tooManyRequests"))),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/network"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-RateLimit-Limit", "100")
                .insert_header("X-RateLimit-Remaining", "99")
                .insert_header("X-RateLimit-Reset", "60")
                .set_body_json(s.response("listNetworks", 200, None)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let start = Instant::now();
    let (result, meta) =
        vendor_clients::with_response_meta(client.list_networks(&ListNetworksParams::new())).await;
    let elapsed = start.elapsed();
    let networks = result.expect("retried to success");
    assert_eq!(networks.len(), 1);
    assert!(
        elapsed >= Duration::from_millis(950),
        "waited {elapsed:?}, the header asked for 1 s"
    );
    let meta = meta.expect("a response was received");
    assert_eq!(meta.status(), 200);
    assert_eq!(meta.attempts(), 2);
    assert_eq!(meta.operation(), "listNetworks");
    let limits = meta.rate_limit();
    assert_eq!(limits.limit, Some(100));
    assert_eq!(limits.remaining, Some(99));
    assert_eq!(limits.reset, Some(60));
    assert_eq!(limits.retry_after, None);
}

// ------------------------------------------------------------------ lenient forms

async fn networks_with_flag(flag: Value) -> Result<Vec<Network>, Error> {
    let (server, client) = setup().await;
    let mut answer = spec().response("listNetworks", 200, None);
    answer["networks"][0]["network"]["auto_approve_publishers"] = flag;
    expect(&server, "GET", "/network", None, 200, answer).await;
    client
        .list_networks(&ListNetworksParams::new())
        .await
        .map(|e| e.into_parts().0)
}

#[tokio::test]
async fn yes_no_flags_accept_each_documented_form() {
    for (wire, expected) in [
        (json!("y"), true),
        (json!("n"), false),
        (json!(1), true),
        (json!(0), false),
        (json!("1"), true),
        (json!("0"), false),
        (json!(true), true),
        (json!(false), false),
    ] {
        let networks = networks_with_flag(wire.clone())
            .await
            .unwrap_or_else(|e| panic!("{wire} refused: {e}"));
        assert_eq!(
            networks[0].auto_approve_publishers.map(|b| *b),
            Some(expected),
            "{wire}"
        );
    }
}

#[tokio::test]
async fn a_flag_in_no_documented_form_is_a_decode_error_naming_the_field() {
    let e = networks_with_flag(json!("maybe"))
        .await
        .expect_err("refused");
    match e {
        ClientError::Decode { path, .. } => {
            assert!(path.contains("auto_approve_publishers"), "{path}")
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn numbers_as_strings_and_id_keyed_maps_decode() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/user/publisher/111111l2/payment_detail",
        None,
        200,
        spec().response("listPaymentDetails", 200, None),
    )
    .await;
    let details = client
        .list_payment_details("111111l2")
        .await
        .expect("payment details");
    let d = details.get("1011l22").expect("keyed by id");
    assert_eq!(d.paid_currency.as_deref(), Some("USD"));
    assert_eq!(d.automatic_self_bill_creation_date.map(|v| *v), Some(-1));
    assert_eq!(
        d.automatic_self_bill_creation_threshold.map(|v| *v),
        Some(-1.0)
    );
    assert_eq!(d.suspended.map(|v| *v), Some(false));
    assert_eq!(d.suspended_at, Nullable::Null);
}

/// The doc's request sample for `createPaymentDetails`, written with the request-side types.
fn new_bank_details() -> CreatePaymentDetailsRequest {
    let values = [
        ("bank_address", json!("8th Floor, West One, Forth Banks")),
        ("account_number", json!(12345678)),
        ("account_name", json!("joe bloggs")),
        ("bank_name", json!("bob bank")),
        ("routing_number", json!(122105155)),
    ];
    let set = NewPaymentDetail {
        publisher_payment_detail_set_id: Some("1011l22".into()),
        country: Some(CountryCode::Us),
        paid_currency: Some("USD".into()),
        tracked_currency: Some(vec!["USD".into()]),
        payment_type_code: Some("eft".into()),
        payment_type_name: Some("Electronic funds transfer".into()),
        automatic_self_bill_creation_date: Some("-1".into()),
        automatic_self_bill_creation_threshold: Some("-1".into()),
        suspended: Some(YesOrNo::N),
        suspended_at: Nullable::Null,
        suspended_by: Nullable::Null,
        suspension_notes: Nullable::Null,
        payment_detail_values: Some(values.map(|(k, v)| (k.to_string(), v)).into()),
    };
    CreatePaymentDetailsRequest {
        payment_details: [("1011l22".to_string(), set)].into(),
    }
}

#[tokio::test]
async fn create_payment_details_sends_the_doc_sample_and_decodes_the_stored_set() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    let s = spec();
    // Exactly the doc's sample: "y"/"n" and "-1" as strings, nulls sent, bank numbers as numbers.
    let sent = json!({
        "payment_details": {
            "1011l22": {
                "publisher_payment_detail_set_id": "1011l22",
                "country": "US",
                "paid_currency": "USD",
                "tracked_currency": ["USD"],
                "payment_type_code": "eft",
                "payment_type_name": "Electronic funds transfer",
                "automatic_self_bill_creation_date": "-1",
                "automatic_self_bill_creation_threshold": "-1",
                "suspended": "n",
                "suspended_at": null,
                "suspended_by": null,
                "suspension_notes": null,
                "payment_detail_values": {
                    "bank_address": "8th Floor, West One, Forth Banks",
                    "account_number": 12345678,
                    "account_name": "joe bloggs",
                    "bank_name": "bob bank",
                    "routing_number": 122105155
                }
            }
        }
    });
    assert_eq!(sent, request_example(&s, "createPaymentDetails"));
    expect(
        &server,
        "POST",
        "/user/publisher/1l1007802/payment_detail",
        Some(sent),
        200,
        response_example(&s, "createPaymentDetails", 200),
    )
    .await;
    let created = client
        .create_payment_details("1l1007802", &new_bank_details())
        .await
        .expect("created");
    assert_eq!(created.len(), 1);
    let d = created.get("1011l23").expect("keyed by the new id");
    assert_eq!(
        d.publisher_payment_detail_set_id.as_deref(),
        Some("1011l23")
    );
    assert_eq!(d.country.as_deref(), Some("US"));
    assert_eq!(
        d.tracked_currency.as_deref(),
        Some(&["USD".to_string()][..])
    );
    assert_eq!(d.payment_type_code.as_deref(), Some("eft"));
    assert_eq!(d.automatic_self_bill_creation_date.map(|v| *v), Some(-1));
    assert_eq!(
        d.automatic_self_bill_creation_threshold.map(|v| *v),
        Some(-1.0)
    );
    assert_eq!(d.suspended.map(|v| *v), Some(false));
    assert_eq!(d.suspended_at, Nullable::Null);
    assert_eq!(d.suspension_notes, Nullable::Null);
    let values = d.payment_detail_values.as_ref().expect("values");
    assert_eq!(values["account_number"], json!(12345678));
    assert_eq!(values["bank_name"], json!("bob bank"));
}

#[tokio::test]
async fn an_empty_array_is_an_empty_id_keyed_map_and_a_string_is_refused() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    Mock::given(method("GET"))
        .and(path("/user/publisher/111111l2/payment_detail"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "payment_details": [] })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user/publisher/111111l2/payment_detail"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "payment_details": "none" })),
        )
        .mount(&server)
        .await;
    let empty = client.list_payment_details("111111l2").await.expect("[]");
    assert!(empty.is_empty());
    match client.list_payment_details("111111l2").await {
        Err(ClientError::Decode { path, .. }) => {
            assert!(path.contains("payment_details"), "{path}")
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

async fn networks_with_id(id: Value) -> Result<Vec<Network>, Error> {
    let (server, client) = setup().await;
    let mut answer = spec().response("listNetworks", 200, None);
    answer["networks"][0]["network"]["network_id"] = id;
    expect(&server, "GET", "/network", None, 200, answer).await;
    client
        .list_networks(&ListNetworksParams::new())
        .await
        .map(|e| e.into_parts().0)
}

#[tokio::test]
async fn a_lenient_id_takes_a_string_or_a_number_and_refuses_a_boolean() {
    let n = networks_with_id(json!("111111l1")).await.expect("string");
    assert_eq!(
        n[0].network_id.as_ref().map(|id| id.as_str()),
        Some("111111l1")
    );
    let n = networks_with_id(json!(42)).await.expect("number");
    assert_eq!(n[0].network_id.as_ref().map(|id| id.as_str()), Some("42"));
    match networks_with_id(json!(true)).await {
        Err(ClientError::Decode { path, .. }) => assert!(path.contains("network_id"), "{path}"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

async fn feeds_with_last_processed(v: Value) -> Result<Vec<FeedCampaign>, Error> {
    let (server, client) = setup().await;
    let mut answer = spec().response("listFeeds", 200, None);
    answer["campaigns"][0]["campaign"]["feeds"][0]["last_processed"] = v;
    expect(
        &server,
        "GET",
        "/user/publisher/1l1007802/feed",
        None,
        200,
        answer,
    )
    .await;
    client
        .list_feeds("1l1007802", &ListFeedsParams::new())
        .await
        .map(|e| e.into_parts().0)
}

#[tokio::test]
async fn epoch_seconds_decode_from_a_number_or_a_numeric_string_only() {
    for wire in [json!(1432235983), json!("1432235983")] {
        let campaigns = feeds_with_last_processed(wire.clone())
            .await
            .unwrap_or_else(|e| panic!("{wire} refused: {e}"));
        let feeds = campaigns[0].feeds.as_ref().expect("feeds");
        let t = feeds[0].last_processed.expect("last_processed");
        assert_eq!(t.seconds(), 1_432_235_983, "{wire}");
        assert_eq!(t.to_string(), "2015-05-21T19:19:43Z");
        assert_eq!(feeds[0].updated.map(|u| u.seconds()), Some(1_432_228_514));
    }
    match feeds_with_last_processed(json!("2015-05-21")).await {
        Err(ClientError::Decode { path, .. }) => assert!(path.contains("last_processed"), "{path}"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn v3_date_times_with_a_colon_less_offset_decode() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/v3/partner/campaign-terms-and-conditions",
        None,
        200,
        spec().response("listCampaignTerms", 200, None),
    )
    .await;
    let terms = client
        .list_campaign_terms(&ListCampaignTermsParams::new())
        .await
        .expect("terms");
    assert_eq!(
        terms[0].created_at,
        Some(date_time("2020-01-01T00:00:00Z")),
        "sent as 2020-01-01T00:00:00+0000"
    );
}

// ------------------------------------------------------------------ every operation

/// The request body example of `op`: its single `example`, else its first named one.
fn request_example(s: &support::Spec, op: &str) -> Value {
    match s.request_example_names(op).first() {
        Some(name) => s.request(op, Some(name)),
        None => s.request(op, None),
    }
}

/// The response example of `op` for `status`: its single `example`, else its first named one.
fn response_example(s: &support::Spec, op: &str, status: u16) -> Value {
    match s.response_example_names(op, status).first() {
        Some(name) => s.response(op, status, Some(name)),
        None => s.response(op, status, None),
    }
}

/// A doc example as the Rust type a method takes (fails the test if the example does not fit).
fn from_example<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("the example does not fit the Rust type: {e}\n{v}"))
}

const CSV: &str = "a,b\n1,2\n";

/// Matches a JSON request body equal to the expected one up to spelling: numbers by value (`50`
/// and `50.0`), date-times by instant (`+00:00` and `Z`). Everything else must be identical.
struct SameJson(Value);

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => {
            x == y
                || matches!(
                    (x.parse::<vendor_clients::DateTime>(), y.parse::<vendor_clients::DateTime>()),
                    (Ok(p), Ok(q)) if p == q
                )
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

impl wiremock::Match for SameJson {
    fn matches(&self, request: &wiremock::Request) -> bool {
        serde_json::from_slice::<Value>(&request.body).is_ok_and(|sent| same_json(&self.0, &sent))
    }
}

/// One operation against the mock: the request must have the method, path, Basic credentials
/// and (`body`) the spec's request example as its JSON body, exactly once; the spec's success
/// example (`json`), an empty body (`empty`) or a CSV file (`stream`) is answered, and the
/// method must decode it (the streamed CSV byte for byte).
macro_rules! op_test {
    ($(#[$attr:meta])* $name:ident, $op:literal, $verb:literal, $path:literal, $status:literal, $kind:ident, $body:ident, |$c:ident, $s:ident| $call:expr) => {
        #[tokio::test]
        $(#[$attr])*
        async fn $name() {
            let server = MockServer::start().await;
            let $c = builder(&server).build().expect("client");
            let $s = spec();
            let _ = &$s;
            let mut m = Mock::given(method($verb))
                .and(path($path))
                .and(header("authorization", BASIC));
            if op_test!(@has_body $body) {
                m = m.and(SameJson(request_example(&$s, $op)));
            }
            let answer = op_test!(@answer $kind, $s, $op, $status);
            m.respond_with(answer).expect(1).mount(&server).await;
            let value = $call.await.unwrap_or_else(|e| panic!("{}: {e}", $op));
            op_test!(@check $kind, value);
        }
    };
    (@has_body body) => { true };
    (@has_body nobody) => { false };
    (@answer json, $s:ident, $op:literal, $status:literal) => {
        ResponseTemplate::new($status).set_body_json(response_example(&$s, $op, $status))
    };
    (@answer empty, $s:ident, $op:literal, $status:literal) => {
        ResponseTemplate::new($status)
    };
    (@answer stream, $s:ident, $op:literal, $status:literal) => {
        ResponseTemplate::new($status).set_body_raw(CSV, "text/csv")
    };
    (@check stream, $value:ident) => {
        assert_eq!(collect($value).await, CSV.as_bytes())
    };
    (@check $kind:ident, $value:ident) => {
        let _ = $value;
    };
}

op_test!(
    list_networks_with_the_doc_example,
    "listNetworks",
    "GET",
    "/network",
    200,
    json,
    nobody,
    |c, s| c.list_networks(&ListNetworksParams::new())
);
op_test!(
    get_partner_with_the_doc_example,
    "getPartner",
    "GET",
    "/user/publisher/1l1007802",
    200,
    json,
    nobody,
    |c, s| c.get_partner("1l1007802")
);
op_test!(
    update_partner_with_the_doc_example,
    "updatePartner",
    "POST",
    "/user/publisher/1l1007802",
    200,
    json,
    body,
    |c, s| c.update_partner(
        "1l1007802",
        &from_example(&request_example(&s, "updatePartner"))
    )
);
op_test!(
    list_partner_websites_with_the_doc_example,
    "listPartnerWebsites",
    "GET",
    "/user/publisher/1l1007802/website",
    200,
    json,
    nobody,
    |c, s| c.list_partner_websites("1l1007802")
);
op_test!(
    create_partner_websites_with_the_doc_example,
    "createPartnerWebsites",
    "POST",
    "/user/publisher/1l1007802/website",
    200,
    json,
    body,
    |c, s| c.create_partner_websites(
        "1l1007802",
        &from_example(&request_example(&s, "createPartnerWebsites"))
    )
);
op_test!(
    update_partner_websites_with_the_doc_example,
    "updatePartnerWebsites",
    "PUT",
    "/user/publisher/1l1007802/website",
    200,
    json,
    body,
    |c, s| c.update_partner_websites(
        "1l1007802",
        &from_example(&request_example(&s, "updatePartnerWebsites"))
    )
);
op_test!(
    get_partner_website_with_the_doc_example,
    "getPartnerWebsite",
    "GET",
    "/user/publisher/1l1007802/website/11l18694",
    200,
    json,
    nobody,
    |c, s| c.get_partner_website("1l1007802", "11l18694")
);
op_test!(
    list_partner_databases_with_the_doc_example,
    "listPartnerDatabases",
    "GET",
    "/user/publisher/1l1007802/database",
    200,
    json,
    nobody,
    |c, s| c.list_partner_databases("1l1007802")
);
op_test!(
    create_partner_databases_with_the_doc_example,
    "createPartnerDatabases",
    "POST",
    "/user/publisher/1l1007802/database",
    200,
    json,
    body,
    |c, s| c.create_partner_databases(
        "1l1007802",
        &from_example(&request_example(&s, "createPartnerDatabases"))
    )
);
op_test!(
    update_partner_databases_with_the_doc_example,
    "updatePartnerDatabases",
    "PUT",
    "/user/publisher/1l1007802/database",
    200,
    json,
    body,
    |c, s| c.update_partner_databases(
        "1l1007802",
        &from_example(&request_example(&s, "updatePartnerDatabases"))
    )
);
op_test!(
    get_partner_database_with_the_doc_example,
    "getPartnerDatabase",
    "GET",
    "/user/publisher/1l1007802/database/111111l300347",
    200,
    json,
    nobody,
    |c, s| c.get_partner_database("1l1007802", "111111l300347")
);
op_test!(
    list_partner_campaigns_v1_with_the_doc_example,
    "listPartnerCampaignsV1",
    "GET",
    "/user/publisher/1l1007802/campaign/a",
    200,
    json,
    nobody,
    |c, s| c.list_partner_campaigns_v1("1l1007802", &from_example(&json!("a")))
);
// The obsolete v1 operation is kept (deprecated) and still works.
op_test!(
    #[allow(deprecated)]
    request_campaign_access_v1_with_the_doc_example,
    "requestCampaignAccessV1",
    "POST",
    "/user/publisher/1l1007802/campaign/a",
    200,
    json,
    body,
    |c, s| c.request_campaign_access_v1(
        "1l1007802",
        &from_example(&json!("a")),
        &from_example(&request_example(&s, "requestCampaignAccessV1"))
    )
);
op_test!(
    list_creative_summaries_with_the_doc_example,
    "listCreativeSummaries",
    "GET",
    "/user/publisher/1l1007802/creative",
    200,
    json,
    nobody,
    |c, s| c.list_creative_summaries("1l1007802")
);
op_test!(
    list_campaign_creatives_with_the_doc_example,
    "listCampaignCreatives",
    "GET",
    "/user/publisher/1l1007802/campaign/10l176/creative",
    200,
    json,
    nobody,
    |c, s| c.list_campaign_creatives("1l1007802", "10l176", &ListCampaignCreativesParams::new())
);
op_test!(
    list_feeds_with_the_doc_example,
    "listFeeds",
    "GET",
    "/user/publisher/1l1007802/feed",
    200,
    json,
    nobody,
    |c, s| c.list_feeds("1l1007802", &ListFeedsParams::new())
);
op_test!(
    get_custom_terms_v1_with_the_doc_example,
    "getCustomTermsV1",
    "GET",
    "/user/publisher/1l1007802/campaign/custom_terms/1111l564",
    200,
    json,
    nobody,
    |c, s| c.get_custom_terms_v1("1l1007802", "1111l564")
);
op_test!(
    list_campaign_voucher_codes_with_the_doc_example,
    "listCampaignVoucherCodes",
    "GET",
    "/user/publisher/1l1007802/campaign/10l176/voucher",
    200,
    json,
    nobody,
    |c, s| c.list_campaign_voucher_codes(
        "1l1007802",
        "10l176",
        &ListCampaignVoucherCodesParams::new()
    )
);
op_test!(
    list_partner_commission_groups_with_the_doc_example,
    "listPartnerCommissionGroups",
    "GET",
    "/user/publisher/1l1007802/commission_group",
    200,
    json,
    nobody,
    |c, s| c.list_partner_commission_groups("1l1007802", &ListPartnerCommissionGroupsParams::new())
);
op_test!(
    list_transaction_queries_with_the_doc_example,
    "listTransactionQueries",
    "GET",
    "/user/publisher/1l1007802/tq",
    200,
    json,
    nobody,
    |c, s| c.list_transaction_queries("1l1007802", &ListTransactionQueriesParams::new())
);
op_test!(
    create_transaction_queries_with_the_doc_example,
    "createTransactionQueries",
    "POST",
    "/user/publisher/1l1007802/tq/create",
    200,
    json,
    body,
    |c, s| c.create_transaction_queries(
        "1l1007802",
        &from_example(&request_example(&s, "createTransactionQueries"))
    )
);
op_test!(
    delete_transaction_query_with_the_doc_example,
    "deleteTransactionQuery",
    "POST",
    "/user/publisher/1l1007802/tq/1l1000532/delete",
    200,
    json,
    nobody,
    |c, s| c.delete_transaction_query("1l1007802", "1l1000532")
);
op_test!(
    list_selfbills_with_the_doc_example,
    "listSelfbills",
    "GET",
    "/user/publisher/1l1007802/selfbill",
    200,
    json,
    nobody,
    |c, s| c.list_selfbills("1l1007802", &ListSelfbillsParams::new())
);
op_test!(
    get_selfbill_with_the_doc_example,
    "getSelfbill",
    "GET",
    "/user/publisher/1l1007802/selfbill/1011l5403",
    200,
    json,
    nobody,
    |c, s| c.get_selfbill("1l1007802", "1011l5403")
);
op_test!(
    list_payment_details_with_the_doc_example,
    "listPaymentDetails",
    "GET",
    "/user/publisher/1l1007802/payment_detail",
    200,
    json,
    nobody,
    |c, s| c.list_payment_details("1l1007802")
);
op_test!(
    get_available_commission_with_the_doc_example,
    "getAvailableCommission",
    "GET",
    "/user/publisher/1l1007802/available_commission",
    200,
    json,
    nobody,
    |c, s| c.get_available_commission("1l1007802")
);
op_test!(
    get_payment_summary_with_the_doc_example,
    "getPaymentSummary",
    "GET",
    "/user/publisher/1l1007802/payment/summary",
    200,
    json,
    nobody,
    |c, s| c.get_payment_summary("1l1007802")
);
op_test!(
    get_job_v1_with_the_doc_example,
    "getJobV1",
    "GET",
    "/job/111111l11",
    200,
    json,
    nobody,
    |c, s| c.get_job_v1("111111l11")
);
op_test!(
    download_job_output_with_the_doc_example,
    "downloadJobOutput",
    "GET",
    "/job/111111l11/response.csv",
    200,
    stream,
    nobody,
    |c, s| c.download_job_output("111111l11", &from_example(&json!("csv")))
);
op_test!(
    get_partner_payable_report_with_the_doc_example,
    "getPartnerPayableReport",
    "GET",
    "/reporting/report_publisher/publisher/1l1007802/payable",
    200,
    json,
    nobody,
    |c, s| c.get_partner_payable_report("1l1007802", &GetPartnerPayableReportParams::new())
);
op_test!(
    list_ref_countries_with_the_doc_example,
    "listRefCountries",
    "GET",
    "/reference/country",
    200,
    json,
    nobody,
    |c, s| c.list_ref_countries()
);
op_test!(
    list_ref_user_contexts_with_the_doc_example,
    "listRefUserContexts",
    "GET",
    "/reference/user_context",
    200,
    json,
    nobody,
    |c, s| c.list_ref_user_contexts()
);
op_test!(
    list_ref_traffic_sources_with_the_doc_example,
    "listRefTrafficSources",
    "GET",
    "/reference/traffic_source",
    200,
    json,
    nobody,
    |c, s| c.list_ref_traffic_sources()
);
op_test!(
    list_ref_conversion_types_with_the_doc_example,
    "listRefConversionTypes",
    "GET",
    "/reference/conversion_type",
    200,
    json,
    nobody,
    |c, s| c.list_ref_conversion_types()
);
op_test!(
    list_ref_conversion_metrics_with_the_doc_example,
    "listRefConversionMetrics",
    "GET",
    "/reference/conversion_metric",
    200,
    json,
    nobody,
    |c, s| c.list_ref_conversion_metrics()
);
op_test!(
    list_ref_partnership_models_with_the_doc_example,
    "listRefPartnershipModels",
    "GET",
    "/reference/partnership_model",
    200,
    json,
    nobody,
    |c, s| c.list_ref_partnership_models()
);
op_test!(
    list_ref_currencies_with_the_doc_example,
    "listRefCurrencies",
    "GET",
    "/reference/currency",
    200,
    json,
    nobody,
    |c, s| c.list_ref_currencies()
);
op_test!(
    list_ref_timezones_with_the_doc_example,
    "listRefTimezones",
    "GET",
    "/reference/timezone",
    200,
    json,
    nobody,
    |c, s| c.list_ref_timezones()
);
op_test!(
    list_ref_devices_with_the_doc_example,
    "listRefDevices",
    "GET",
    "/reference/device",
    200,
    json,
    nobody,
    |c, s| c.list_ref_devices()
);
op_test!(
    list_discovery_advertisers_with_the_doc_example,
    "listDiscoveryAdvertisers",
    "GET",
    "/v2/publishers/1l1007802/discovery/advertisers",
    200,
    json,
    nobody,
    |c, s| c.list_discovery_advertisers("1l1007802")
);
op_test!(
    get_discovery_advertiser_with_the_doc_example,
    "getDiscoveryAdvertiser",
    "GET",
    "/v2/publishers/1l1007802/discovery/advertisers/111111l1",
    200,
    json,
    nobody,
    |c, s| c.get_discovery_advertiser("1l1007802", "111111l1")
);
op_test!(
    list_invitations_with_the_doc_example,
    "listInvitations",
    "GET",
    "/v2/publishers/1l1007802/invitations/advertisers/",
    200,
    json,
    nobody,
    |c, s| c.list_invitations("1l1007802")
);
op_test!(
    accept_invitations_with_the_doc_example,
    "acceptInvitations",
    "POST",
    "/v2/publishers/1l1007802/invitations/accept",
    200,
    empty,
    body,
    |c, s| c.accept_invitations(
        "1l1007802",
        &from_example(&request_example(&s, "acceptInvitations"))
    )
);
op_test!(
    decline_invitations_with_the_doc_example,
    "declineInvitations",
    "POST",
    "/v2/publishers/1l1007802/invitations/decline",
    200,
    empty,
    body,
    |c, s| c.decline_invitations(
        "1l1007802",
        &from_example(&request_example(&s, "declineInvitations"))
    )
);
op_test!(
    create_campaign_requests_with_the_doc_example,
    "createCampaignRequests",
    "POST",
    "/v2/publishers/1l1007802/campaign-requests",
    201,
    json,
    body,
    |c, s| c.create_campaign_requests(
        "1l1007802",
        &from_example(&request_example(&s, "createCampaignRequests"))
    )
);
op_test!(
    get_default_commissions_with_the_doc_example,
    "getDefaultCommissions",
    "GET",
    "/v2/campaigns/10l176/publishers/1l1007802/commissions/default",
    200,
    json,
    nobody,
    |c, s| c.get_default_commissions("10l176", "1l1007802")
);
op_test!(
    list_partner_campaign_commissions_with_the_doc_example,
    "listPartnerCampaignCommissions",
    "GET",
    "/v2/campaigns/10l176/publishers/1l1007802/commissions/campaign",
    200,
    json,
    nobody,
    |c, s| c.list_partner_campaign_commissions("10l176", "1l1007802")
);
op_test!(
    list_active_commissions_with_the_doc_example,
    "listActiveCommissions",
    "GET",
    "/v2/campaigns/10l176/publishers/1l1007802/commissions/active",
    200,
    json,
    nobody,
    |c, s| c.list_active_commissions("10l176", "1l1007802", &ListActiveCommissionsParams::new())
);
op_test!(
    list_voucher_commissions_with_the_doc_example,
    "listVoucherCommissions",
    "GET",
    "/v2/campaigns/10l176/publishers/1l1007802/commissions/voucher",
    200,
    json,
    nobody,
    |c, s| c.list_voucher_commissions("10l176", "1l1007802")
);
op_test!(
    list_promotional_commissions_with_the_doc_example,
    "listPromotionalCommissions",
    "GET",
    "/v2/campaigns/10l176/publishers/1l1007802/commissions/promotion",
    200,
    json,
    nobody,
    |c, s| c.list_promotional_commissions("10l176", "1l1007802")
);
op_test!(
    list_tiered_commissions_with_the_doc_example,
    "listTieredCommissions",
    "GET",
    "/v2/campaigns/10l176/publishers/1l1007802/commissions/tier",
    200,
    json,
    nobody,
    |c, s| c.list_tiered_commissions("10l176", "1l1007802")
);
op_test!(
    list_tracking_links_with_the_doc_example,
    "listTrackingLinks",
    "GET",
    "/v2/publishers/1l1007802/links",
    200,
    json,
    nobody,
    |c, s| c.list_tracking_links("1l1007802", &ListTrackingLinksParams::new())
);
op_test!(
    create_tracking_link_with_the_doc_example,
    "createTrackingLink",
    "POST",
    "/v2/publishers/1l1007802/links",
    201,
    json,
    body,
    |c, s| c.create_tracking_link(
        "1l1007802",
        &from_example(&request_example(&s, "createTrackingLink"))
    )
);
op_test!(
    get_tracking_link_with_the_doc_example,
    "getTrackingLink",
    "GET",
    "/v2/publishers/1l1007802/links/1011l10",
    200,
    json,
    nobody,
    |c, s| c.get_tracking_link("1l1007802", "1011l10")
);
op_test!(
    update_tracking_link_with_the_doc_example,
    "updateTrackingLink",
    "PATCH",
    "/v2/publishers/1l1007802/links/1011l10",
    200,
    json,
    body,
    |c, s| c.update_tracking_link(
        "1l1007802",
        "1011l10",
        &from_example(&request_example(&s, "updateTrackingLink"))
    )
);
op_test!(
    analytics_clicks_count_with_the_doc_example,
    "analyticsClicksCount",
    "POST",
    "/v3/partner/analytics/clicks/count",
    200,
    json,
    body,
    |c, s| c.analytics_clicks_count(&from_example(&request_example(&s, "analyticsClicksCount")))
);
op_test!(
    analytics_clicks_explode_with_the_doc_example,
    "analyticsClicksExplode",
    "POST",
    "/v3/partner/analytics/clicks/explode",
    200,
    json,
    body,
    |c, s| c.analytics_clicks_explode(&from_example(&request_example(
        &s,
        "analyticsClicksExplode"
    )))
);
op_test!(
    analytics_clicks_filter_with_the_doc_example,
    "analyticsClicksFilter",
    "POST",
    "/v3/partner/analytics/clicks/filter",
    200,
    json,
    body,
    |c, s| c.analytics_clicks_filter(&from_example(&request_example(&s, "analyticsClicksFilter")))
);
op_test!(
    analytics_clicks_timeseries_with_the_doc_example,
    "analyticsClicksTimeseries",
    "POST",
    "/v3/partner/analytics/clicks/timeseries",
    200,
    json,
    body,
    |c, s| c.analytics_clicks_timeseries(&from_example(&request_example(
        &s,
        "analyticsClicksTimeseries"
    )))
);
op_test!(
    analytics_conversions_count_with_the_doc_example,
    "analyticsConversionsCount",
    "POST",
    "/v3/partner/analytics/conversions/count",
    200,
    json,
    body,
    |c, s| c.analytics_conversions_count(&from_example(&request_example(
        &s,
        "analyticsConversionsCount"
    )))
);
op_test!(
    analytics_conversions_explode_with_the_doc_example,
    "analyticsConversionsExplode",
    "POST",
    "/v3/partner/analytics/conversions/explode",
    200,
    json,
    body,
    |c, s| c.analytics_conversions_explode(&from_example(&request_example(
        &s,
        "analyticsConversionsExplode"
    )))
);
op_test!(
    analytics_conversions_filter_with_the_doc_example,
    "analyticsConversionsFilter",
    "POST",
    "/v3/partner/analytics/conversions/filter",
    200,
    json,
    body,
    |c, s| c.analytics_conversions_filter(&from_example(&request_example(
        &s,
        "analyticsConversionsFilter"
    )))
);
op_test!(
    analytics_conversions_timeseries_with_the_doc_example,
    "analyticsConversionsTimeseries",
    "POST",
    "/v3/partner/analytics/conversions/timeseries",
    200,
    json,
    body,
    |c, s| c.analytics_conversions_timeseries(&from_example(&request_example(
        &s,
        "analyticsConversionsTimeseries"
    )))
);
op_test!(
    analytics_impressions_count_with_the_doc_example,
    "analyticsImpressionsCount",
    "POST",
    "/v3/partner/analytics/impressions/count",
    200,
    json,
    body,
    |c, s| c.analytics_impressions_count(&from_example(&request_example(
        &s,
        "analyticsImpressionsCount"
    )))
);
op_test!(
    analytics_impressions_explode_with_the_doc_example,
    "analyticsImpressionsExplode",
    "POST",
    "/v3/partner/analytics/impressions/explode",
    200,
    json,
    body,
    |c, s| c.analytics_impressions_explode(&from_example(&request_example(
        &s,
        "analyticsImpressionsExplode"
    )))
);
op_test!(
    analytics_impressions_filter_with_the_doc_example,
    "analyticsImpressionsFilter",
    "POST",
    "/v3/partner/analytics/impressions/filter",
    200,
    json,
    body,
    |c, s| c.analytics_impressions_filter(&from_example(&request_example(
        &s,
        "analyticsImpressionsFilter"
    )))
);
op_test!(
    analytics_impressions_timeseries_with_the_doc_example,
    "analyticsImpressionsTimeseries",
    "POST",
    "/v3/partner/analytics/impressions/timeseries",
    200,
    json,
    body,
    |c, s| c.analytics_impressions_timeseries(&from_example(&request_example(
        &s,
        "analyticsImpressionsTimeseries"
    )))
);
op_test!(
    list_partner_participations_with_the_doc_example,
    "listPartnerParticipations",
    "GET",
    "/v3/partner/111111l3/participations",
    200,
    json,
    nobody,
    |c, s| c.list_partner_participations("111111l3", &ListPartnerParticipationsParams::new())
);
op_test!(
    list_partnerize_tags_with_the_doc_example,
    "listPartnerizeTags",
    "GET",
    "/v3/partner/partnerize-tags",
    200,
    json,
    nobody,
    |c, s| c.list_partnerize_tags(&ListPartnerizeTagsParams::new())
);
op_test!(
    create_partnerize_tag_with_the_doc_example,
    "createPartnerizeTag",
    "POST",
    "/v3/partner/partnerize-tags",
    201,
    json,
    body,
    |c, s| c.create_partnerize_tag(&from_example(&request_example(&s, "createPartnerizeTag")))
);
op_test!(
    list_partnerize_tag_features_with_the_doc_example,
    "listPartnerizeTagFeatures",
    "GET",
    "/v3/partner/partnerize-tags/features",
    200,
    json,
    nobody,
    |c, s| c.list_partnerize_tag_features()
);
op_test!(
    get_partnerize_tag_with_the_doc_example,
    "getPartnerizeTag",
    "GET",
    "/v3/partner/partnerize-tags/111111l3",
    200,
    json,
    nobody,
    |c, s| c.get_partnerize_tag("111111l3")
);
op_test!(
    update_partnerize_tag_with_the_doc_example,
    "updatePartnerizeTag",
    "PATCH",
    "/v3/partner/partnerize-tags/111111l3",
    200,
    json,
    body,
    |c, s| c.update_partnerize_tag(
        "111111l3",
        &from_example(&request_example(&s, "updatePartnerizeTag"))
    )
);
op_test!(
    list_partnerize_tag_enabled_features_with_the_doc_example,
    "listPartnerizeTagEnabledFeatures",
    "GET",
    "/v3/partner/partnerize-tags/111111l35/features",
    200,
    json,
    nobody,
    |c, s| c.list_partnerize_tag_enabled_features("111111l35")
);
op_test!(
    enable_partnerize_tag_feature_with_the_doc_example,
    "enablePartnerizeTagFeature",
    "POST",
    "/v3/partner/partnerize-tags/111111l35/features",
    201,
    json,
    body,
    |c, s| c.enable_partnerize_tag_feature(
        "111111l35",
        &from_example(&request_example(&s, "enablePartnerizeTagFeature"))
    )
);
op_test!(
    list_my_brands_with_the_doc_example,
    "listMyBrands",
    "GET",
    "/v3/partner/my-brands",
    200,
    json,
    nobody,
    |c, s| c.list_my_brands(&ListMyBrandsParams::new())
);
op_test!(
    list_campaign_terms_with_the_doc_example,
    "listCampaignTerms",
    "GET",
    "/v3/partner/campaign-terms-and-conditions",
    200,
    json,
    nobody,
    |c, s| c.list_campaign_terms(&ListCampaignTermsParams::new())
);
op_test!(
    get_campaign_terms_with_the_doc_example,
    "getCampaignTerms",
    "GET",
    "/v3/partner/campaign-terms-and-conditions/111111l10",
    200,
    json,
    nobody,
    |c, s| c.get_campaign_terms("111111l10")
);
op_test!(
    list_campaign_terms_acknowledgments_with_the_doc_example,
    "listCampaignTermsAcknowledgments",
    "GET",
    "/v3/partner/campaign-terms-and-conditions-acknowledgments",
    200,
    json,
    nobody,
    |c, s| c.list_campaign_terms_acknowledgments(&ListCampaignTermsAcknowledgmentsParams::new())
);
op_test!(
    create_campaign_terms_acknowledgment_with_the_doc_example,
    "createCampaignTermsAcknowledgment",
    "POST",
    "/v3/partner/campaign-terms-and-conditions-acknowledgments",
    201,
    json,
    body,
    |c, s| c.create_campaign_terms_acknowledgment(&from_example(&request_example(
        &s,
        "createCampaignTermsAcknowledgment"
    )))
);
op_test!(
    get_campaign_terms_acknowledgment_with_the_doc_example,
    "getCampaignTermsAcknowledgment",
    "GET",
    "/v3/partner/campaign-terms-and-conditions-acknowledgments/111111l551",
    200,
    json,
    nobody,
    |c, s| c.get_campaign_terms_acknowledgment("111111l551")
);
op_test!(
    update_current_user_with_the_doc_example,
    "updateCurrentUser",
    "PATCH",
    "/v3/partner/user",
    200,
    json,
    body,
    |c, s| c.update_current_user(&from_example(&request_example(&s, "updateCurrentUser")))
);
op_test!(
    get_partner_clicks_report_with_the_doc_example,
    "getPartnerClicksReport",
    "GET",
    "/reporting/report_publisher/publisher/1l1007802/click.json",
    200,
    json,
    nobody,
    |c, s| c.get_partner_clicks_report(
        "1l1007802",
        &ReportFormat::Json,
        &GetPartnerClicksReportParams::new(date_time("2020-03-01T00:00:00Z"))
    )
);
op_test!(
    export_conversions_csv_with_a_file,
    "exportConversionsCsv",
    "GET",
    "/reporting/export/export/conversion.csv",
    200,
    stream,
    nobody,
    |c, s| async {
        match c
            .export_conversions_csv(&ExportConversionsCsvParams::new(
                "1l1007802",
                date_time("2016-03-01T00:00:00Z"),
                date_time("2016-03-31T00:00:00Z"),
            ))
            .await?
        {
            ExportConversionsCsvResponse::Ok(stream) => Ok::<_, Error>(stream),
            other => panic!("expected the CSV, got {other:?}"),
        }
    }
);
op_test!(
    export_conversion_items_csv_with_a_file,
    "exportConversionItemsCsv",
    "GET",
    "/reporting/export/export/conversion_item.csv",
    200,
    stream,
    nobody,
    |c, s| async {
        match c
            .export_conversion_items_csv(&ExportConversionItemsCsvParams::new(
                "1l1007802",
                date_time("2016-03-01T00:00:00Z"),
                date_time("2016-03-31T00:00:00Z"),
            ))
            .await?
        {
            ExportConversionItemsCsvResponse::Ok(stream) => Ok::<_, Error>(stream),
            other => panic!("expected the CSV, got {other:?}"),
        }
    }
);

#[tokio::test]
async fn v2_list_campaign_terms_sends_the_campaign_list_and_decodes_html_and_slate_terms() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    Mock::given(method("GET"))
        .and(path("/v2/publishers/1l1007802/campaigns/terms"))
        .and(query_param("campaigns", "111111l29,111111l30"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "listCampaignTermsV2",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let campaigns = ["111111l29".to_string(), "111111l30".to_string()];
    let terms = client
        .list_campaign_terms_v2("1l1007802", &campaigns)
        .await
        .expect("terms");
    assert_eq!(terms.len(), 3);
    assert_eq!(terms[0].title.as_deref(), Some("Network terms"));
    // One parameter, the ids joined by literal commas (`explode: false`), as the doc shows.
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(
        received[0].url.query(),
        Some("campaigns=111111l29,111111l30")
    );
}

// ------------------------------------------------------------------ media type chosen by the request

/// The `Accept` header a request was sent with.
fn accept(r: &wiremock::Request) -> Option<&str> {
    r.headers.get("accept").and_then(|v| v.to_str().ok())
}

const XML_REPORT: &str = "<?xml version=\"1.0\"?><report><conversions/></report>";

#[tokio::test]
async fn reports_answer_json_or_xml_as_the_format_suffix_chooses() {
    let (server, client) = setup().await;
    let base = "/reporting/report_publisher/publisher/111111l92";
    for (file, body, content_type) in [
        (
            "conversion.json",
            serde_json::to_vec(&spec().response("getPartnerConversionsReport", 200, None))
                .expect("json"),
            "application/json",
        ),
        (
            "conversion.xml",
            XML_REPORT.as_bytes().to_vec(),
            "text/xml; charset=UTF-8",
        ),
        (
            "click.xml",
            b"<report><clicks/></report>".to_vec(),
            "text/xml",
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("{base}/{file}")))
            .and(header("authorization", BASIC))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, content_type))
            .expect(1)
            .mount(&server)
            .await;
    }
    let from = date_time("2020-03-01T00:00:00Z");
    let conversions = GetPartnerConversionsReportParams::new(from);
    match client
        .get_partner_conversions_report("111111l92", &ReportFormat::Json, &conversions)
        .await
        .expect("JSON report")
    {
        GetPartnerConversionsReportResponse::Json(rows) => {
            assert_eq!(rows[0].conversion_id.as_deref(), Some("111111l314"))
        }
        other => panic!("expected the JSON outcome, got {other:?}"),
    }
    match client
        .get_partner_conversions_report("111111l92", &ReportFormat::Xml, &conversions)
        .await
        .expect("XML report")
    {
        GetPartnerConversionsReportResponse::Xml(xml) => assert_eq!(xml, XML_REPORT),
        other => panic!("expected the XML outcome, got {other:?}"),
    }
    match client
        .get_partner_clicks_report(
            "111111l92",
            &ReportFormat::Xml,
            &GetPartnerClicksReportParams::new(from),
        )
        .await
        .expect("XML clicks")
    {
        GetPartnerClicksReportResponse::Xml(xml) => assert_eq!(xml, "<report><clicks/></report>"),
        other => panic!("expected the XML outcome, got {other:?}"),
    }
    // The client asks for what it can read.
    let received = server.received_requests().await.expect("recorded");
    for r in &received {
        assert_eq!(accept(r), Some("application/json, text/xml"));
    }
}

#[tokio::test]
async fn a_report_in_an_undeclared_media_type_is_a_decode_error_naming_it() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(
            "/reporting/report_publisher/publisher/111111l92/conversion.json",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<html>down for maintenance</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let params = GetPartnerConversionsReportParams::new(date_time("2020-03-01T00:00:00Z"));
    match client
        .get_partner_conversions_report("111111l92", &ReportFormat::Json, &params)
        .await
    {
        Err(ClientError::Decode {
            operation,
            status,
            message,
            ..
        }) => {
            assert_eq!((operation, status), ("getPartnerConversionsReport", 200));
            assert!(
                message.contains("`text/html`") && message.contains("application/json, text/xml"),
                "{message}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_report_stream_reads_json_pages_and_stops_at_an_xml_answer() {
    let (server, client) = setup().await;
    let base = "/reporting/report_publisher/publisher/111111l92";
    let mut page = spec().response("getPartnerConversionsReport", 200, None);
    page["cursor_id"] = Value::Null;
    Mock::given(method("GET"))
        .and(path(format!("{base}/conversion.json")))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/conversion.xml")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(XML_REPORT, "text/xml"))
        .expect(1)
        .mount(&server)
        .await;
    let params = GetPartnerConversionsReportParams::new(date_time("2020-03-01T00:00:00Z"));
    let ids: Vec<String> = client
        .get_partner_conversions_report_stream("111111l92", &ReportFormat::Json, &params)
        .map(|r| r.expect("conversion").conversion_id.expect("conversion_id"))
        .collect()
        .await;
    assert_eq!(ids, vec!["111111l314"]);
    let items: Vec<_> = client
        .get_partner_conversions_report_stream("111111l92", &ReportFormat::Xml, &params)
        .collect()
        .await;
    assert_eq!(items.len(), 1, "the stream ends after the error");
    match &items[0] {
        Err(ClientError::Decode { message, .. }) => {
            assert!(
                message.contains("`text/xml`")
                    && message.contains("declared for HTTP 200: application/json"),
                "{message}"
            )
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // Pages ask for JSON only.
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(accept(&received[0]), Some("application/json"));
}

#[tokio::test]
async fn transaction_queries_answer_the_json_list_or_the_csv_export() {
    let (server, client) = setup().await;
    let p = "/user/publisher/1l1007802/tq";
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param("tq_export", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(CSV, "text/csv"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param_is_missing("tq_export"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "listTransactionQueries",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    match client
        .list_transaction_queries("1l1007802", &ListTransactionQueriesParams::new())
        .await
        .expect("list")
    {
        ListTransactionQueriesResponse::Json(page) => {
            assert_eq!(page[0].transaction_query_id.as_deref(), Some("111111l10"));
            assert_eq!(page.meta().count.map(|c| *c), Some(5));
        }
        other => panic!("expected the JSON outcome, got {other:?}"),
    }
    match client
        .list_transaction_queries(
            "1l1007802",
            &ListTransactionQueriesParams::new().tq_export(true),
        )
        .await
        .expect("export")
    {
        ListTransactionQueriesResponse::Csv(file) => {
            assert_eq!(file.media_type(), "text/csv");
            assert_eq!(collect(file).await, CSV.as_bytes());
        }
        other => panic!("expected the CSV outcome, got {other:?}"),
    }
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(accept(&received[0]), Some("application/json, text/csv"));
}

#[tokio::test]
async fn multipivot_filters_are_sent_as_one_bracketed_pair_per_value() {
    let (server, client) = setup().await;
    let p = "/reporting/report_publisher/publisher/111111l92/click.json";
    Mock::given(method("GET"))
        .and(path(p))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "getPartnerClicksReport",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let mut pivots = std::collections::BTreeMap::new();
    pivots.insert(
        "campaign".to_string(),
        vec!["111111l29".to_string(), "111111l30".to_string()],
    );
    pivots.insert("country".to_string(), vec!["GB".to_string()]);
    let params =
        GetPartnerClicksReportParams::new(date_time("2020-03-01T00:00:00Z")).multipivot(pivots);
    client
        .get_partner_clicks_report("111111l92", &ReportFormat::Json, &params)
        .await
        .expect("report");
    let received = server.received_requests().await.expect("recorded");
    let query = received[0].url.query().expect("a query");
    assert!(
        query.contains(
            "multipivot[campaign][]=111111l29&multipivot[campaign][]=111111l30&multipivot[country][]=GB"
        ),
        "{query}"
    );
}

// ------------------------------------------------------------------ minimal answers

/// The spec requires a response field only where Partnerize guarantees it (docs/SPECS.md): the
/// envelope that holds the answer (what `x-unwrap` and paging walk), nothing inside it. Each
/// answer here is only that envelope, and decodes, with every field inside `None`/absent.
#[tokio::test]
async fn minimal_answers_decode() {
    let (server, client) = setup().await;
    let calls = [
        ("/job/j1", 200, json!({"job": {}})),
        ("/user/publisher/p1", 200, json!({"publisher": {}})),
        ("/network", 200, json!({"networks": [{"network": {}}]})),
        ("/v3/partner/partnerize-tags/t1", 200, json!({"data": {}})),
        (
            "/v3/partner/campaign-terms-and-conditions",
            200,
            json!({"data": [{}]}),
        ),
        (
            "/v3/partner/partnerize-tags/gone",
            404,
            json!({"error": {}}),
        ),
    ];
    for (p, status, answer) in calls {
        expect(&server, "GET", p, None, status, answer).await;
    }

    let job = client.get_job_v1("j1").await.expect("job");
    assert_eq!((job.job_id.as_deref(), job.status.as_deref()), (None, None));

    let partner = client.get_partner("p1").await.expect("partner");
    assert_eq!(partner.publisher_id, None);

    let networks = client
        .list_networks(&ListNetworksParams::new())
        .await
        .expect("networks");
    assert_eq!(networks.len(), 1);
    assert!(networks[0].network_id.is_none());

    let tag = client.get_partnerize_tag("t1").await.expect("tag");
    assert_eq!(tag.id, None);

    let terms = client
        .list_campaign_terms(&ListCampaignTermsParams::new())
        .await
        .expect("terms");
    assert_eq!(terms[0].id, None);

    let e = client.get_partnerize_tag("gone").await.expect_err("404");
    match api_error(e) {
        (404, ErrorBody::V3ErrorResponse(b)) => {
            assert_eq!((b.error.code, b.error.message), (None, None));
        }
        other => panic!("expected a v3 error body with no field, got {other:?}"),
    }
}

// ------------------------------------------------------------------ from the published spec

/// `updatePartner` answers the 13 publisher fields the published spec adds (yes/no flags as
/// `"y"`/`"n"`, the VAT number sometimes as a number).
#[tokio::test]
async fn update_partner_answers_the_published_publisher_fields() {
    let (server, client) = setup().await;
    let s = spec();
    let request = request_example(&s, "updatePartner");
    let mut answer = response_example(&s, "updatePartner", 200);
    let extra = json!({
        "abn": "51824753556", "campaign_select": "all", "company_division": "EMEA",
        "company_logo": null, "foreign_identifier": "ext-1", "gst_registered": "n",
        "is_foreign_network": "n", "is_lead_user": "y", "network_notes": "",
        "reporting_identifier": "rep-1", "uk_vat_registered": "y", "us_tax_state": "CA",
        "vat_number": 123456789
    });
    for (k, v) in extra.as_object().expect("object") {
        answer["publisher"][k] = v.clone();
    }
    expect(
        &server,
        "POST",
        "/user/publisher/1l1007802",
        Some(request.clone()),
        200,
        answer,
    )
    .await;
    let p = client
        .update_partner("1l1007802", &from_example(&request))
        .await
        .expect("updated");
    assert_eq!(p.abn, Nullable::Value("51824753556".to_owned()));
    assert_eq!(p.company_logo, Nullable::Null);
    assert_eq!(p.is_lead_user.as_option().map(|b| **b), Some(true));
    assert_eq!(p.uk_vat_registered.as_option().map(|b| **b), Some(true));
    assert_eq!(p.is_foreign_network.as_option().map(|b| **b), Some(false));
    assert_eq!(
        p.vat_number.as_option().map(|v| v.as_str()),
        Some("123456789"),
        "a number, kept as its text"
    );
    assert_eq!(p.us_tax_state, Nullable::Value("CA".to_owned()));
}

#[tokio::test]
async fn list_campaign_references_reads_the_csv_whole() {
    let (server, client) = setup().await;
    // The published spec's example (the spec's `example`, which support::Spec reads only for JSON).
    let csv = "Advertiser,Campaign,camref\nLeadsbox,Healthcare,6\n".to_owned();
    Mock::given(method("GET"))
        .and(path("/reference/publisher/camref/1l1007802"))
        .and(header("authorization", BASIC))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(csv.clone(), "application/octet-stream"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let got = client
        .list_campaign_references("1l1007802")
        .await
        .expect("camrefs");
    assert_eq!(&got[..], csv.as_bytes());
    assert!(csv.starts_with("Advertiser,Campaign,camref\n"));
}

#[tokio::test]
async fn get_partner_attribution_unwraps_data() {
    let (server, client) = setup().await;
    let answer = response_example(&spec(), "getPartnerAttribution", 200);
    expect(
        &server,
        "GET",
        "/v2/campaigns/10l176/publishers/1l1007802/attribution",
        None,
        200,
        answer.clone(),
    )
    .await;
    let a = client
        .get_partner_attribution("10l176", "1l1007802")
        .await
        .expect("attribution");
    let codes = a.exclusive_codes.as_ref().expect("codes");
    assert_eq!(
        codes[0].code.as_ref().and_then(|c| c.value.as_deref()),
        Some("SPRING")
    );
    assert_eq!(codes[0].end_date, Nullable::Null);
    assert_eq!(a.in_cart.as_ref().and_then(|c| c.threshold), Some(1800.0));
    assert_eq!(a.split.as_ref().and_then(|s| s.converter), Some(70.0));
    assert_eq!(a.preferred_partner.as_ref().map(Vec::len), Some(1));
    // A key that is not configured is left out.
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/v2/campaigns/10l176/publishers/1l1007802/attribution",
        None,
        200,
        json!({"data": {}}),
    )
    .await;
    let none = client
        .get_partner_attribution("10l176", "1l1007802")
        .await
        .expect("attribution");
    assert!(none.split.is_none() && none.exclusive_codes.is_none());
}

#[tokio::test]
async fn delete_partnerize_tag_and_disable_a_feature_answer_204() {
    let (server, client) = setup().await;
    for p in [
        "/v3/partner/partnerize-tags/111111l3",
        "/v3/partner/partnerize-tags/111111l3/features/link_rewrite",
    ] {
        Mock::given(method("DELETE"))
            .and(path(p))
            .and(header("authorization", BASIC))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    client
        .delete_partnerize_tag("111111l3")
        .await
        .expect("deleted");
    client
        .disable_partnerize_tag_feature("111111l3", "link_rewrite")
        .await
        .expect("disabled");
}

#[tokio::test]
async fn delete_partnerize_tag_not_found_is_a_v3_error() {
    let (server, client) = setup().await;
    let body = spec().response("deletePartnerizeTag", 404, Some("routeNotFound"));
    expect(
        &server,
        "DELETE",
        "/v3/partner/partnerize-tags/gone",
        None,
        404,
        body,
    )
    .await;
    match api_error(client.delete_partnerize_tag("gone").await.expect_err("404")) {
        (404, ErrorBody::V3ErrorResponse(b)) => assert_eq!(b.error.code.as_deref(), Some("404")),
        other => panic!("expected a v3 error body, got {other:?}"),
    }
}

#[tokio::test]
async fn participation_campaign_languages_may_be_null_or_a_map() {
    let (server, client) = setup().await;
    let mut answer = response_example(&spec(), "listPartnerParticipations", 200);
    let first = answer["data"][0].clone();
    let mut with_map = first.clone();
    with_map["campaign_info:"]["campaign_languages"] =
        json!({"de": {"destination_url": "https://partnerize.com/de"}});
    let mut with_null = first.clone();
    with_null["campaign_info:"]["campaign_languages"] = Value::Null;
    answer["data"] = json!([first, with_map, with_null]);
    expect(
        &server,
        "GET",
        "/v3/partner/111111l3/participations",
        None,
        200,
        answer,
    )
    .await;
    let page = client
        .list_partner_participations("111111l3", &ListPartnerParticipationsParams::new())
        .await
        .expect("participations");
    let languages = |i: usize| {
        page[i]
            .campaign_info
            .as_ref()
            .expect("campaign_info")
            .campaign_languages
            .clone()
    };
    assert!(matches!(languages(0), Nullable::Value(ref m) if m.is_empty()));
    match languages(1) {
        Nullable::Value(m) => assert_eq!(
            m["de"].destination_url.as_deref(),
            Some("https://partnerize.com/de")
        ),
        other => panic!("expected a map, got {other:?}"),
    }
    assert_eq!(languages(2), Nullable::Null);
}
