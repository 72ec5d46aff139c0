//! The catalog's routes: the product search and a product for signed-in staff, and each
//! product's picture for anyone.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use clienteling_domain::catalog::Product;
use clienteling_domain::{ApiError, ProductId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{image, store};
use crate::auth::Caller;
use crate::error::{subject, RequestError};
use crate::routes::{ApiPath, ApiQuery};
use crate::state::AppState;

/// Products answered when the client names no limit.
pub const DEFAULT_PRODUCTS: u32 = 50;
/// The most products answered.
pub const MAX_PRODUCTS: u32 = 200;
/// The longest search accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// `GET /products` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductsQuery {
    /// A barcode (GTIN-8, -12, -13 or -14), or a part of a name, a category, a colour or a
    /// SKU; up to 200 characters. Empty or absent lists the catalog.
    pub search: Option<String>,
    /// At most this many products, 1 to 200 (50 unless given).
    pub limit: Option<u32>,
}

/// The products a search finds, in catalog order, with their variants, prices and stock.
///
/// Needs a session (the catalog is the company's, every role sees it).
#[utoipa::path(
    get,
    path = "/api/v1/products",
    tag = "catalog",
    params(ProductsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The products found", body = [Product]),
        (status = 400, description = "invalid_input: a limit outside 1–200, or a search over 200 characters", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ProductsQuery>,
) -> Result<Json<Vec<Product>>, RequestError> {
    let limit = query.limit.unwrap_or(DEFAULT_PRODUCTS);
    if !(1..=MAX_PRODUCTS).contains(&limit) {
        return Err(RequestError::InvalidInput(format!(
            "limit must be 1 to {MAX_PRODUCTS}, not {limit}"
        )));
    }
    let typed = query.search.unwrap_or_default();
    let length = typed.chars().count();
    if length > MAX_SEARCH_CHARS {
        return Err(RequestError::InvalidInput(format!(
            "a search has at most {MAX_SEARCH_CHARS} characters, this one {length}"
        )));
    }
    let mut conn = state.pool().acquire().await?;
    Ok(Json(store::search(&mut conn, &typed, limit).await?))
}

/// A product with its variants (size, colour, GTIN, stock per store) and prices.
///
/// Needs a session.
#[utoipa::path(
    get,
    path = "/api/v1/products/{id}",
    tag = "catalog",
    params(("id" = String, Path, description = "Product id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The product", body = Product),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 404, description = "No such product", body = ApiError),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    _caller: Caller,
    ApiPath(id): ApiPath<ProductId>,
) -> Result<Json<Product>, RequestError> {
    let mut conn = state.pool().acquire().await?;
    store::product(&mut conn, &id)
        .await?
        .map(Json)
        .ok_or_else(|| RequestError::NotFound(subject("Product", id.as_str())))
}

/// A product's picture (SVG, drawn from the product; the same every time). Public: an
/// `<img>` sends no token, and catalog pictures are no secret.
#[utoipa::path(
    get,
    path = "/api/v1/products/{id}/image",
    tag = "catalog",
    params(("id" = String, Path, description = "Product id")),
    responses(
        (status = 200, description = "The picture", content_type = "image/svg+xml", body = String),
        (status = 404, description = "No such product", body = ApiError),
    )
)]
pub async fn image(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<ProductId>,
) -> Result<impl IntoResponse, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, category FROM products WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let (name, category) =
        row.ok_or_else(|| RequestError::NotFound(subject("Product", id.as_str())))?;
    let category = clienteling_domain::catalog::Category::parse(&category)
        .unwrap_or(clienteling_domain::catalog::Category::Accessories);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        image::svg(&id, &name, category),
    ))
}
