//! The catalog in the local copy (M7, M9): brought by the backend's feed like everything
//! else, then searched offline as the staff member types — by name, category, colour, SKU
//! or a scanned barcode — with prices in the current store's currency.

use std::collections::BTreeSet;

use clienteling_domain::catalog::{Category, Currency, Product};
use clienteling_domain::ProductId;

use crate::harness::{eventually, signed_in, Signed, AVA, DEADLINE};

/// The ids of the products in `found`.
fn ids<'a>(found: impl IntoIterator<Item = &'a Product>) -> BTreeSet<ProductId> {
    found.into_iter().map(|p| p.id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m7_m9_the_catalog_arrives_through_sync_and_is_found_offline_by_name_category_colour_sku_and_barcode(
) {
    let Signed {
        server,
        core,
        api,
        data_dir: _data_dir,
        ..
    } = signed_in(AVA).await;
    let knitwear: Vec<Product> = api.get_json("/products?search=knitwear&limit=200").await;
    assert!(
        knitwear.len() > 50,
        "the demo catalog has a department of knitwear: {}",
        knitwear.len()
    );
    let product = knitwear[7].clone();
    let variant = product
        .variants
        .last()
        .expect("a product has variants")
        .clone();
    eventually("the catalog reaches the local copy", || async {
        let found = core
            .search_products("knitwear", 200)
            .await
            .expect("the local search runs");
        (found.len() == knitwear.len()).then_some(())
    })
    .await;

    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");

    let by_category = core
        .search_products(Category::Knitwear.label(), 200)
        .await
        .expect("the catalog is searched offline");
    assert_eq!(
        ids(by_category.iter().map(|m| &m.product)),
        ids(&knitwear),
        "the department finds exactly the backend's knitwear, synced before going offline"
    );

    let by_name = core
        .search_products(&product.name, 200)
        .await
        .expect("the catalog is searched offline");
    assert!(
        by_name.iter().any(|m| m.product == product),
        "{:?} finds the product as the backend has it",
        product.name
    );

    let first_word = product.name.split_whitespace().next().expect("a name");
    let prefix: String = first_word.chars().take(3).collect();
    let by_prefix = core
        .search_products(&prefix.to_lowercase(), 200)
        .await
        .expect("the catalog is searched offline");
    assert!(
        by_prefix.iter().any(|m| m.product.id == product.id),
        "the first three letters {prefix:?} typed find {:?} already",
        product.name
    );

    let by_colour = core
        .search_products(&variant.colour, 200)
        .await
        .expect("the catalog is searched offline");
    assert!(
        by_colour.iter().any(|m| m.product.id == product.id),
        "the colour {:?} finds the product",
        variant.colour
    );
    assert!(
        by_colour.iter().all(|m| m.product.variants.iter().any(|v| v
            .colour
            .to_lowercase()
            .contains(&variant.colour.to_lowercase()))),
        "every product the colour {:?} finds comes in it",
        variant.colour
    );

    let by_sku = core
        .search_products(&variant.sku, 200)
        .await
        .expect("the catalog is searched offline");
    assert_eq!(
        ids(by_sku.iter().map(|m| &m.product)),
        ids([&product]),
        "the SKU {:?} finds its product alone",
        variant.sku
    );

    let ean13 = variant.gtin.ean13().expect("the demo barcodes are EAN-13");
    let scanned = core
        .search_products(ean13, 200)
        .await
        .expect("the catalog is searched offline");
    assert_eq!(scanned.len(), 1, "a scanned EAN-13 finds one product");
    assert_eq!(
        scanned[0].scanned_variant.as_ref(),
        Some(&variant.id),
        "the scan names the variant whose barcode it is"
    );
    assert_eq!(
        scanned[0].price,
        product.price_in(Currency::Usd),
        "New York sees the price in dollars"
    );

    let shown = core
        .show_product(&product.id)
        .await
        .expect("a synced product opens offline");
    assert_eq!(
        shown.product, product,
        "the product opens with its variants, prices and stock per store"
    );

    for unknown in ["4006381333931", "00000000000000"] {
        let found = core
            .search_products(unknown, 200)
            .await
            .expect("the catalog is searched offline");
        assert!(
            found.is_empty(),
            "the barcode {unknown} is in no variant, so it finds nothing: {found:?}"
        );
    }
}
