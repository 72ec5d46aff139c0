//! The demo catalog through the API (C6–C8, and the commerce work after them): 500+
//! products found by name, colour, SKU or barcode, each with variants and prices, and a
//! picture anyone may load; hostile queries refused with a clear error; and the whole
//! catalog in every reader's change feed (M7, M9).

mod support;

use std::collections::BTreeMap;

use clienteling_domain::api::ChangeData;
use clienteling_domain::catalog::{Currency, Gtin, Product};
use clienteling_domain::{ApiError, ErrorCode, ProductId};
use clienteling_mock_server::{ServerConfig, SimulationConfig};
use support::{Backend, ADMIN, AVA, LUCAS};

async fn error_of(response: reqwest::Response, status: u16, what: &str) -> ApiError {
    assert_eq!(response.status().as_u16(), status, "{what}: status");
    response.json().await.expect("an error body")
}

#[tokio::test]
async fn c6_the_catalog_is_found_by_name_colour_sku_and_barcode() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let all: Vec<Product> = backend.get(&ava.token, "/products?limit=200").await;
    assert_eq!(all.len(), 200, "a page of 200 products");
    let product: Product = backend.get(&ava.token, "/products/prod-0001").await;
    assert!(
        product.price_in(Currency::Usd).is_some() && product.price_in(Currency::Gbp).is_some(),
        "priced in dollars and pounds"
    );
    assert!(
        product
            .variants
            .iter()
            .all(|v| v.stock.len() == 2 && Gtin::parse(v.gtin.as_str()).is_ok()),
        "every variant has a valid GTIN and stock in both stores"
    );
    let variant = &product.variants[0];
    let ean13 = variant.gtin.ean13().expect("an EAN-13").to_owned();
    let word = product
        .name
        .split(' ')
        .nth(1)
        .expect("a material")
        .to_owned();
    for (search, how) in [
        (word.to_lowercase(), "a word of the name, in any case"),
        (variant.sku.clone(), "the SKU"),
        (ean13.clone(), "the EAN-13 on the tag"),
        (variant.gtin.to_string(), "the GTIN-14"),
    ] {
        let found: Vec<Product> = backend
            .get(
                &ava.token,
                &format!("/products?search={}&limit=200", urlencode(&search)),
            )
            .await;
        assert!(
            found.iter().any(|p| p.id == product.id),
            "{how} ({search}) finds {}",
            product.name
        );
    }
    let by_colour: Vec<Product> = backend
        .get(
            &ava.token,
            &format!("/products?search={}", urlencode(&variant.colour)),
        )
        .await;
    assert!(
        !by_colour.is_empty()
            && by_colour
                .iter()
                .all(|p| p.variants.iter().any(|v| v.colour == variant.colour)
                    || p.name.contains(&variant.colour)),
        "a colour finds the products that come in it"
    );
}

#[tokio::test]
async fn c6_a_product_picture_is_public_svg_and_always_the_same() {
    let backend = Backend::start().await;
    let url = backend.api("/products/prod-0001/image");
    let first = backend.http.get(&url).send().await.expect("answers");
    assert_eq!(first.status(), 200, "no token needed for a catalog picture");
    assert_eq!(
        first
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/svg+xml"),
        "an SVG picture"
    );
    let body = first.text().await.expect("a body");
    let again = backend
        .http
        .get(&url)
        .send()
        .await
        .expect("answers")
        .text()
        .await
        .expect("a body");
    assert_eq!(body, again, "drawn the same every time");
    assert!(body.starts_with("<svg"), "an SVG document");
    let unknown = backend
        .http
        .get(backend.api("/products/prod-9999/image"))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        error_of(unknown, 404, "an unknown product's picture")
            .await
            .code,
        ErrorCode::NotFound,
        "an unknown product has no picture"
    );
}

#[tokio::test]
async fn c6_hostile_catalog_queries_get_clear_errors() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let call = |path: String, token: Option<String>| {
        let request = backend.http.get(backend.api(&path));
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        async move { request.send().await.expect("the backend answers") }
    };
    let token = Some(ava.token.clone());
    for (path, status, code, what) in [
        (
            "/products?limit=0".to_owned(),
            400,
            ErrorCode::InvalidInput,
            "a limit of 0",
        ),
        (
            "/products?limit=100000".to_owned(),
            400,
            ErrorCode::InvalidInput,
            "a huge limit",
        ),
        (
            "/products?limit=ten".to_owned(),
            400,
            ErrorCode::InvalidInput,
            "a limit that is no number",
        ),
        (
            format!("/products?search={}", "a".repeat(10_000)),
            400,
            ErrorCode::InvalidInput,
            "a 10 000-character search",
        ),
        (
            format!("/products/{}", "x".repeat(5_000)),
            404,
            ErrorCode::NotFound,
            "a huge product id",
        ),
    ] {
        let error = error_of(call(path, token.clone()).await, status, what).await;
        assert_eq!(error.code, code, "{what} answers {code:?}");
        assert!(
            error.message.len() < 300,
            "{what}: the message does not echo the input"
        );
    }
    let anonymous = call("/products".to_owned(), None).await;
    assert_eq!(
        anonymous.status(),
        401,
        "the catalog's data needs a session"
    );
}

/// `text` percent-encoded for a query string.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn m7_m9_every_reader_gets_the_whole_catalog_through_the_feed_as_the_api_shows_it() {
    let backend = Backend::start().await;
    for login in [AVA, LUCAS, ADMIN] {
        let products = products_in_feed(&backend, login).await;
        assert_eq!(
            products.len(),
            525,
            "{login} gets every product of the demo catalog from the feed, whatever the role"
        );
        let session = backend.sign_in(login).await;
        let shown: Product = backend.get(&session.token, "/products/prod-0042").await;
        assert_eq!(
            products.get(&shown.id),
            Some(&shown),
            "{login}'s feed holds the product as the API shows it, variants and stock included"
        );
    }
}

/// The catalog's products in `login`'s whole feed.
async fn products_in_feed(backend: &Backend, login: &str) -> BTreeMap<ProductId, Product> {
    let session = backend.sign_in(login).await;
    let (changes, _) = backend.changes(&session.token, 0).await;
    changes
        .into_iter()
        .filter_map(|change| match change.data {
            ChangeData::Product(product) => Some((product.id.clone(), product)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn m7_m9_a_database_seeded_before_the_catalog_joined_the_feed_logs_it_on_restart() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = ServerConfig {
        db_path: Some(dir.path().join("backend.db")),
        simulation: SimulationConfig::instant(),
        ..ServerConfig::default()
    };
    let first = Backend::start_with(config.clone()).await;
    // What a database seeded before migration 0016 holds: the catalog, not in the feed.
    for statement in [
        "DELETE FROM changes WHERE entity = 'product'",
        "DELETE FROM _sqlx_migrations WHERE version = 16",
    ] {
        sqlx::query(statement)
            .execute(first.server.state().pool())
            .await
            .expect("the database is taken back to before the catalog joined the feed");
    }
    assert!(
        products_in_feed(&first, AVA).await.is_empty(),
        "the old database's feed holds no product"
    );
    first.server.shutdown().await;

    let second = Backend::start_with(config).await;
    assert_eq!(
        products_in_feed(&second, AVA).await.len(),
        525,
        "after the restart the migration logged every product, so the apps' backfill brings it"
    );
    second.server.shutdown().await;
}
