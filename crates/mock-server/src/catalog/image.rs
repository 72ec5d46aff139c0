//! A product's picture, drawn as SVG from the product itself (no downloads, the same
//! picture every time): a backdrop in a colour derived from its id, the silhouette of its
//! category, and its name.

use clienteling_domain::catalog::Category;
use clienteling_domain::ProductId;

/// A hue in degrees derived from `id` (FNV-1a), so each product keeps its colour.
fn hue_of(id: &ProductId) -> u64 {
    let hash = id
        .as_str()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    hash % 360
}

/// The silhouette of a category, as an SVG path on a 400 × 400 canvas.
fn silhouette(category: Category) -> &'static str {
    match category {
        Category::Knitwear | Category::Shirts => {
            "M130 90 L170 70 Q200 95 230 70 L270 90 L330 150 L295 185 L270 165 L270 330 L130 330 L130 165 L105 185 L70 150 Z"
        }
        Category::Coats => {
            "M140 70 L175 60 L200 110 L225 60 L260 70 L320 130 L300 340 L100 340 L80 130 Z"
        }
        Category::Trousers => "M140 70 L260 70 L280 340 L215 340 L200 150 L185 340 L120 340 Z",
        Category::Dresses => "M165 70 L235 70 L250 150 L310 340 L90 340 L150 150 Z",
        Category::Shoes => "M80 250 L90 180 Q130 190 170 210 L250 230 Q320 240 330 280 L330 300 L80 300 Z",
        Category::Accessories => "M120 150 L280 150 L300 330 L100 330 Z M160 150 Q200 80 240 150",
    }
}

/// Escapes text for SVG.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The picture of the product `id`, named `name`, of `category`.
pub fn svg(id: &ProductId, name: &str, category: Category) -> String {
    let hue = hue_of(id);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-label="{name}"><rect width="400" height="400" fill="hsl({hue},35%,88%)"/><path d="{path}" fill="hsl({hue},45%,38%)" stroke="hsl({hue},45%,25%)" stroke-width="4" stroke-linejoin="round"/><text x="200" y="380" font-family="sans-serif" font-size="20" text-anchor="middle" fill="#333">{name}</text></svg>"##,
        name = escape(name),
        path = silhouette(category),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c6_a_product_picture_is_the_same_every_time_and_escapes_its_name() {
        let id = ProductId::from("prod-0001");
        let picture = svg(&id, "Cats & <Dogs>", Category::Knitwear);
        assert_eq!(
            picture,
            svg(&id, "Cats & <Dogs>", Category::Knitwear),
            "deterministic"
        );
        assert!(
            picture.contains("Cats &amp; &lt;Dogs&gt;") && !picture.contains("<Dogs>"),
            "the name is escaped: {picture}"
        );
        assert_ne!(
            hue_of(&id),
            hue_of(&ProductId::from("prod-0002")),
            "products differ in colour"
        );
    }
}
