//! The product page behind a product link (M7) against a real server: what the customer
//! sees when they open a link shared into their chat, and a clear page for an unknown
//! product.

mod support;

use clienteling_domain::catalog::{product_link, Product};
use support::{Backend, AVA, DEMO_PRODUCT};

async fn open(backend: &Backend, url: &str) -> (u16, Option<String>, String) {
    let response = backend
        .http
        .get(url)
        .send()
        .await
        .expect("the backend answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, content_type, response.text().await.expect("a page"))
}

#[tokio::test]
async fn m7_a_product_link_opens_the_product_page_with_name_image_variants_and_price() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let product: Product = backend
        .get(&ava.token, &format!("/products/{DEMO_PRODUCT}"))
        .await;
    let link = product_link(&backend.url, &product.id);
    let (status, content_type, page) = open(&backend, &link).await;
    assert_eq!(status, 200, "the link opens without signing in");
    assert!(
        content_type.is_some_and(|t| t.starts_with("text/html")),
        "the customer gets a web page"
    );
    assert!(page.contains(&product.name), "the page names the product");
    assert!(
        page.contains(&format!("src=\"{}\"", product.image_url)),
        "it shows the product's picture"
    );
    for price in &product.prices {
        assert!(
            page.contains(&price.to_string()),
            "it shows the price {price}"
        );
    }
    for variant in &product.variants {
        assert!(
            page.contains(&variant.size) && page.contains(&variant.colour),
            "it lists the variant {}",
            variant.label()
        );
    }
}

#[tokio::test]
async fn m7_an_unknown_product_gets_a_not_found_page() {
    let backend = Backend::start().await;
    let (status, content_type, page) = open(
        &backend,
        &format!("{}/shop/products/prod-9999", backend.url),
    )
    .await;
    assert_eq!(status, 404, "no such product");
    assert!(
        content_type.is_some_and(|t| t.starts_with("text/html")),
        "still a web page, not an API error"
    );
    assert!(
        page.contains("could not find this product"),
        "the page says the product is not found"
    );
}
