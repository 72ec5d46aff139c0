//! The demo catalog, generated from a seed: 525 products in seven categories, some in the
//! collections "Autumn 2026", "Gifts under $100", "Essentials" and "New in", each in two
//! or three colours and the sizes of its category, with a valid GTIN-13 per variant, a
//! price in dollars and in pounds, and stock in both demo stores; written in batches and
//! logged in the change feed for every store.

use std::collections::BTreeSet;

use clienteling_domain::api::Store;
use clienteling_domain::catalog::{
    image_path, Category, Currency, Gtin, Money, Product, StockLevel, Variant,
};
use clienteling_domain::{ProductId, StoreId, VariantId};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{STORE_LON, STORE_NYC};
use crate::changes::{self, Entity};
use crate::random::SplitMix64;

/// Products per category.
const PER_CATEGORY: usize = 75;

/// The GS1 company prefix of the demo GTINs (GS1's own example prefix).
const COMPANY_PREFIX: &str = "0614141";

/// Rows per insert statement: at most 10 bound values a row, well under SQLite's 32 766.
const ROWS_PER_INSERT: usize = 2_000;

/// The autumn collection.
pub const AUTUMN: &str = "Autumn 2026";
/// Gifts priced under $100.
pub const GIFTS: &str = "Gifts under $100";

const COLOURS: &[&str] = &[
    "Navy", "Black", "Charcoal", "Camel", "Ivory", "Forest", "Burgundy", "Oatmeal", "Sky", "Rust",
    "Olive", "Stone",
];

const MODIFIERS: &[&str] = &[
    "Classic", "Relaxed", "Slim", "Fine", "Heritage", "Weekend", "Studio", "Harbour", "City",
    "Field", "Soft", "Tailored", "Everyday", "Coastal", "Alpine",
];

/// The materials, nouns, sizes and dollar price range of a category.
struct Line {
    materials: &'static [&'static str],
    nouns: &'static [&'static str],
    sizes: &'static [&'static str],
    dollars: (i64, i64),
}

fn line(category: Category) -> Line {
    const TOPS: &[&str] = &["XS", "S", "M", "L", "XL"];
    match category {
        Category::Knitwear => Line {
            materials: &[
                "Merino",
                "Cashmere",
                "Lambswool",
                "Cotton",
                "Alpaca",
                "Mohair",
            ],
            nouns: &[
                "Crew",
                "V-Neck",
                "Cardigan",
                "Roll Neck",
                "Cable Knit",
                "Polo Knit",
            ],
            sizes: TOPS,
            dollars: (65, 395),
        },
        Category::Coats => Line {
            materials: &[
                "Wool",
                "Cashmere",
                "Waxed Cotton",
                "Down",
                "Tweed",
                "Gabardine",
            ],
            nouns: &[
                "Overcoat",
                "Parka",
                "Trench",
                "Peacoat",
                "Field Jacket",
                "Car Coat",
            ],
            sizes: TOPS,
            dollars: (195, 995),
        },
        Category::Shirts => Line {
            materials: &["Oxford", "Poplin", "Linen", "Flannel", "Chambray", "Twill"],
            nouns: &[
                "Shirt",
                "Overshirt",
                "Button-Down",
                "Camp Shirt",
                "Popover",
                "Tunic",
            ],
            sizes: TOPS,
            dollars: (45, 185),
        },
        Category::Trousers => Line {
            materials: &[
                "Chino",
                "Selvedge",
                "Wool",
                "Corduroy",
                "Linen",
                "Cotton Twill",
            ],
            nouns: &[
                "Trousers",
                "Jeans",
                "Pleated Trousers",
                "Cargo",
                "Shorts",
                "Joggers",
            ],
            sizes: &["28", "30", "32", "34", "36"],
            dollars: (55, 245),
        },
        Category::Dresses => Line {
            materials: &["Silk", "Jersey", "Linen", "Crepe", "Satin", "Cotton"],
            nouns: &[
                "Midi Dress",
                "Wrap Dress",
                "Slip Dress",
                "Shirt Dress",
                "Maxi Dress",
                "Shift",
            ],
            sizes: TOPS,
            dollars: (85, 495),
        },
        Category::Shoes => Line {
            materials: &[
                "Suede",
                "Leather",
                "Canvas",
                "Patent",
                "Nubuck",
                "Shearling",
            ],
            nouns: &[
                "Loafer",
                "Chelsea Boot",
                "Sneaker",
                "Derby",
                "Ankle Boot",
                "Espadrille",
            ],
            sizes: &["6", "7", "8", "9", "10", "11"],
            dollars: (75, 450),
        },
        Category::Accessories => Line {
            materials: &["Leather", "Cashmere", "Silk", "Wool", "Canvas", "Straw"],
            nouns: &["Tote", "Scarf", "Belt", "Beanie", "Gloves", "Card Holder"],
            sizes: &["One size"],
            dollars: (25, 295),
        },
    }
}

/// The demo stores and their currencies.
pub fn store_currencies() -> [(StoreId, Currency); 2] {
    [
        (StoreId::from(STORE_NYC), Currency::Usd),
        (StoreId::from(STORE_LON), Currency::Gbp),
    ]
}

/// The catalog, generated from `seed`: the same seed, the same catalog.
pub fn generate(seed: u64) -> Vec<Product> {
    let mut rng = SplitMix64::new(seed ^ 0x00ca_7a10_9000);
    let mut products = Vec::with_capacity(PER_CATEGORY * Category::ALL.len());
    let mut names = BTreeSet::new();
    let mut variant_number = 0u32;
    for category in Category::ALL {
        let line = line(category);
        let mut made = 0;
        while made < PER_CATEGORY {
            let name = format!(
                "{} {} {}",
                rng.pick(MODIFIERS),
                rng.pick(line.materials),
                rng.pick(line.nouns)
            );
            if !names.insert(name.clone()) {
                continue;
            }
            made += 1;
            let id = ProductId(format!("prod-{:04}", products.len() + 1));
            let dollars = rng.between(line.dollars.0 / 5, line.dollars.1 / 5) * 5;
            let pounds = (dollars * 4 / 5 / 5).max(1) * 5;
            let mut collections = Vec::new();
            if matches!(
                category,
                Category::Knitwear | Category::Coats | Category::Shoes
            ) && rng.chance(0.35)
            {
                collections.push(AUTUMN.to_owned());
            }
            if dollars < 100 {
                collections.push(GIFTS.to_owned());
            }
            if rng.chance(0.15) {
                collections.push("Essentials".to_owned());
            }
            if rng.chance(0.1) {
                collections.push("New in".to_owned());
            }
            let colour_count = usize::try_from(rng.between(2, 3)).unwrap_or(2);
            let mut colours: Vec<&str> = Vec::with_capacity(colour_count);
            while colours.len() < colour_count {
                let colour = *rng.pick(COLOURS);
                if !colours.contains(&colour) {
                    colours.push(colour);
                }
            }
            let mut variants = Vec::new();
            for colour in &colours {
                for size in line.sizes {
                    variant_number += 1;
                    let gtin =
                        Gtin::from_ean13_body(&format!("{COMPANY_PREFIX}{variant_number:05}"))
                            .unwrap_or_else(|| unreachable!("twelve digits always make an EAN-13"));
                    let slug = |s: &str| s.to_lowercase().replace(' ', "-");
                    variants.push(Variant {
                        id: VariantId(format!("{id}-{}-{}", slug(size), slug(colour))),
                        sku: format!(
                            "{}-{:04}-{}-{}",
                            &category.as_str()[..2].to_uppercase(),
                            products.len() + 1,
                            size.replace(' ', "").to_uppercase(),
                            &colour[..3].to_uppercase()
                        ),
                        size: (*size).to_owned(),
                        colour: (*colour).to_owned(),
                        gtin,
                        stock: store_currencies()
                            .into_iter()
                            .map(|(store_id, _)| StockLevel {
                                store_id,
                                quantity: if rng.chance(0.15) {
                                    0
                                } else {
                                    u32::try_from(rng.between(1, 12)).unwrap_or(1)
                                },
                            })
                            .collect(),
                    });
                }
            }
            let material_and_noun = name.split_once(' ').map_or(name.as_str(), |(_, rest)| rest);
            products.push(Product {
                image_url: image_path(&id),
                description: format!(
                    "{material_and_noun} in {}, from our {} range.",
                    colours.join(", ").to_lowercase(),
                    category.label().to_lowercase()
                ),
                id,
                name,
                category,
                collections,
                prices: vec![
                    Money::new(dollars * 100, Currency::Usd),
                    Money::new(pounds * 100, Currency::Gbp),
                ],
                variants,
            });
        }
    }
    products
}

/// Writes the catalog, a few batched statements per table.
pub async fn insert(conn: &mut SqliteConnection, products: &[Product]) -> Result<(), sqlx::Error> {
    for (start, chunk) in products
        .chunks(ROWS_PER_INSERT)
        .enumerate()
        .map(|(n, chunk)| (n * ROWS_PER_INSERT, chunk))
    {
        let collections: Vec<String> = chunk
            .iter()
            .map(|p| serde_json::to_string(&p.collections).unwrap_or_else(|_| "[]".to_owned()))
            .collect();
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO products (id, name, description, category, collections, position) ",
        );
        insert.push_values(
            chunk.iter().zip(&collections).enumerate(),
            |mut row, (i, (p, collections))| {
                row.push_bind(p.id.as_str())
                    .push_bind(&p.name)
                    .push_bind(&p.description)
                    .push_bind(p.category.as_str())
                    .push_bind(collections)
                    .push_bind(i64::try_from(start + i).unwrap_or(i64::MAX));
            },
        );
        insert.build().execute(&mut *conn).await?;
    }
    let prices: Vec<(&ProductId, &Money)> = products
        .iter()
        .flat_map(|p| p.prices.iter().map(move |price| (&p.id, price)))
        .collect();
    for chunk in prices.chunks(ROWS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO product_prices (product_id, currency, minor) ");
        insert.push_values(chunk, |mut row, (id, price)| {
            row.push_bind(id.as_str())
                .push_bind(price.currency.code())
                .push_bind(price.minor);
        });
        insert.build().execute(&mut *conn).await?;
    }
    let variants: Vec<(&ProductId, usize, &Variant)> = products
        .iter()
        .flat_map(|p| {
            p.variants
                .iter()
                .enumerate()
                .map(move |(i, variant)| (&p.id, i, variant))
        })
        .collect();
    for chunk in variants.chunks(ROWS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO variants (id, product_id, position, sku, size, colour, gtin) ",
        );
        insert.push_values(chunk, |mut row, (product_id, position, v)| {
            row.push_bind(v.id.as_str())
                .push_bind(product_id.as_str())
                .push_bind(i64::try_from(*position).unwrap_or(i64::MAX))
                .push_bind(&v.sku)
                .push_bind(&v.size)
                .push_bind(&v.colour)
                .push_bind(v.gtin.as_str());
        });
        insert.build().execute(&mut *conn).await?;
    }
    let stock: Vec<(&VariantId, &StockLevel)> = variants
        .iter()
        .flat_map(|(_, _, v)| v.stock.iter().map(move |level| (&v.id, level)))
        .collect();
    for chunk in stock.chunks(ROWS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO stock (variant_id, store_id, quantity) ");
        insert.push_values(chunk, |mut row, (variant_id, level)| {
            row.push_bind(variant_id.as_str())
                .push_bind(level.store_id.as_str())
                .push_bind(i64::from(level.quantity));
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Logs every product of the catalog for every store in `stores`, in catalog order, so
/// each store's staff get the catalog through the feed like everything else (a first
/// sync brings 525 products, once per store the reader belongs to).
pub async fn record(
    conn: &mut SqliteConnection,
    products: &[Product],
    stores: &[Store],
) -> Result<(), sqlx::Error> {
    let markers: Vec<(StoreId, Entity, String)> = stores
        .iter()
        .flat_map(|store| {
            products
                .iter()
                .map(|p| (store.id.clone(), Entity::Product, p.id.as_str().to_owned()))
        })
        .collect();
    changes::record_many(conn, &markers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c6_the_demo_catalog_is_large_varied_and_deterministic() {
        let catalog = generate(42);
        assert!(catalog.len() >= 500, "500+ products, got {}", catalog.len());
        assert_eq!(catalog, generate(42), "one seed, one catalog");
        assert_ne!(catalog, generate(7), "another seed, another catalog");
        for category in Category::ALL {
            assert!(
                catalog.iter().any(|p| p.category == category),
                "{} has products",
                category.label()
            );
        }
        for collection in [AUTUMN, GIFTS] {
            assert!(
                catalog
                    .iter()
                    .any(|p| p.collections.iter().any(|c| c == collection)),
                "the {collection} collection has products"
            );
        }
        assert!(
            catalog
                .iter()
                .filter(|p| p.collections.iter().any(|c| c == GIFTS))
                .all(|p| p.price_in(Currency::Usd).is_some_and(|m| m.minor < 10_000)),
            "gifts under $100 cost under $100"
        );
        let gtins: BTreeSet<&Gtin> = catalog
            .iter()
            .flat_map(|p| p.variants.iter().map(|v| &v.gtin))
            .collect();
        let variants = catalog.iter().map(|p| p.variants.len()).sum::<usize>();
        assert_eq!(gtins.len(), variants, "every variant has its own GTIN");
        assert!(
            gtins.iter().all(|g| g
                .ean13()
                .is_some_and(|ean| Gtin::parse(ean).as_ref() == Ok(*g))),
            "every GTIN is a valid GTIN-13"
        );
        assert!(
            catalog
                .iter()
                .all(|p| Currency::ALL.iter().all(|c| p.price_in(*c).is_some())),
            "every product has a price in dollars and in pounds"
        );
    }
}
