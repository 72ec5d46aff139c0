//! The product page (M7): a product as the customer sees it from a product link — its name,
//! picture, description, prices and the sizes and colours it comes in — or a "not found"
//! page for an unknown product.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use clienteling_domain::ProductId;

use crate::catalog::store;
use crate::error::RequestError;
use crate::html::{escape, page};
use crate::state::AppState;

/// `GET /shop/products/{id}`: the product page, or a 404 page.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let Some(product) = store::product(&mut conn, &ProductId(id)).await? else {
        return Ok(page(
            StatusCode::NOT_FOUND,
            "Product not found",
            "<p class=\"notice\">We could not find this product: it may no longer be sold. \
             Ask your associate for another link.</p>",
        ));
    };
    let prices: Vec<String> = product
        .prices
        .iter()
        .map(|price| escape(&price.to_string()))
        .collect();
    let variants: String = product
        .variants
        .iter()
        .map(|variant| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&variant.size),
                escape(&variant.colour),
                if variant.stock.iter().any(|level| level.quantity > 0) {
                    "In stock"
                } else {
                    "Out of stock"
                }
            )
        })
        .collect();
    let body = format!(
        "<img src=\"{}\" alt=\"{}\"><p>{}</p><p class=\"price\">{}</p>\
         <table><tr><th>Size</th><th>Colour</th><th>Availability</th></tr>{variants}</table>",
        escape(&product.image_url),
        escape(&product.name),
        escape(&product.description),
        prices.join(" · "),
    );
    Ok(page(StatusCode::OK, &product.name, &body))
}
