//! What images may be sent into a chat (M8): only from stores where the provider carries
//! MMS (US, Canada, Australia), in a format it accepts, under its size limit, and with the
//! long edge downscaled to at most 1 600 px before upload.
//!
//! Pure rules: the caller passes the store's country, the image's first bytes, its size and
//! its pixel dimensions; each refusal carries the sentence the associate reads.

/// The countries (ISO 3166-1 alpha-2) whose stores can send images (MMS).
pub const IMAGE_COUNTRIES: [&str; 3] = ["US", "CA", "AU"];

/// The longest edge an uploaded image keeps, in pixels; larger photos are downscaled.
pub const LONG_EDGE_MAX_PX: u32 = 1_600;

/// The provider's limit on one image, in bytes (5 MB).
pub const MAX_IMAGE_BYTES: u64 = 5 * 1_000 * 1_000;

/// An image format the provider accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// JPEG (camera photos).
    Jpeg,
    /// PNG (screenshots, product pictures).
    Png,
    /// GIF.
    Gif,
}

impl ImageFormat {
    /// Every accepted format.
    pub const ALL: [ImageFormat; 3] = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Gif];

    /// Its media type, e.g. "image/jpeg".
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
        }
    }

    /// The format a media type names (`image/jpg` taken for JPEG), if accepted.
    pub fn from_mime(mime: &str) -> Option<ImageFormat> {
        let mime = mime.trim().to_ascii_lowercase();
        match mime.as_str() {
            "image/jpg" => Some(ImageFormat::Jpeg),
            _ => ImageFormat::ALL.into_iter().find(|f| f.mime() == mime),
        }
    }

    /// The format of a file by its first bytes (its signature), if accepted: a renamed
    /// HEIC or WebP is not taken for a JPEG because of its name.
    pub fn sniff(head: &[u8]) -> Option<ImageFormat> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else {
            None
        }
    }
}

/// Why an image cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefusal {
    /// The store is outside the MMS countries.
    #[error("images can be sent only from stores in the US, Canada and Australia (MMS); this store is in {0}")]
    Country(String),
    /// Not a JPEG, PNG or GIF.
    #[error("only JPEG, PNG and GIF images can be sent; convert this one first")]
    Format,
    /// Over the provider's limit even after downscaling.
    #[error("the image is {bytes} bytes; the limit is 5 MB")]
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
    /// An empty file or zero pixels.
    #[error("the image is empty")]
    Empty,
}

/// Whether a store in `country` (ISO 3166-1 alpha-2) can send images, and why not.
pub fn images_allowed(country: &str) -> Result<(), ImageRefusal> {
    let country = country.trim().to_ascii_uppercase();
    if IMAGE_COUNTRIES.contains(&country.as_str()) {
        Ok(())
    } else {
        Err(ImageRefusal::Country(country))
    }
}

/// The format of an image to upload, from its first bytes, when accepted.
pub fn check_format(head: &[u8]) -> Result<ImageFormat, ImageRefusal> {
    if head.is_empty() {
        return Err(ImageRefusal::Empty);
    }
    ImageFormat::sniff(head).ok_or(ImageRefusal::Format)
}

/// Whether `bytes` is within the provider's limit.
pub fn check_size(bytes: u64) -> Result<(), ImageRefusal> {
    match bytes {
        0 => Err(ImageRefusal::Empty),
        b if b > MAX_IMAGE_BYTES => Err(ImageRefusal::TooLarge { bytes }),
        _ => Ok(()),
    }
}

/// The dimensions to upload an image of `width` × `height` at: unchanged when its long
/// edge is at most [`LONG_EDGE_MAX_PX`], otherwise scaled so the long edge is exactly that,
/// keeping the aspect ratio (the short edge rounded half up, at least 1 px). Never
/// upscales.
pub fn upload_size(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= LONG_EDGE_MAX_PX {
        return (width, height);
    }
    let scale = |edge: u32| {
        let scaled = (2 * u64::from(edge) * u64::from(LONG_EDGE_MAX_PX) + u64::from(long))
            / (2 * u64::from(long));
        u32::try_from(scaled.max(1)).unwrap_or(LONG_EDGE_MAX_PX)
    };
    if width >= height {
        (LONG_EDGE_MAX_PX, scale(height))
    } else {
        (scale(width), LONG_EDGE_MAX_PX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn m8_images_are_allowed_only_in_us_canada_and_australia_with_the_reason() {
        for country in ["US", "ca", " AU "] {
            assert_eq!(images_allowed(country), Ok(()), "{country} carries MMS");
        }
        let refusal = images_allowed("GB").expect_err("the UK has no MMS");
        assert_eq!(
            refusal,
            ImageRefusal::Country("GB".into()),
            "names the country"
        );
        assert!(
            refusal.to_string().contains("US, Canada and Australia"),
            "the associate reads where images work: {refusal}"
        );
    }

    #[test]
    fn m8_only_jpeg_png_and_gif_are_accepted_by_their_bytes() {
        assert_eq!(
            check_format(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(ImageFormat::Jpeg),
            "a JPEG"
        );
        assert_eq!(
            check_format(b"\x89PNG\r\n\x1a\n...."),
            Ok(ImageFormat::Png),
            "a PNG"
        );
        assert_eq!(check_format(b"GIF89a.."), Ok(ImageFormat::Gif), "a GIF");
        assert_eq!(
            check_format(b"\0\0\0\x18ftypheic"),
            Err(ImageRefusal::Format),
            "an iPhone HEIC must be converted first"
        );
        assert_eq!(
            check_format(b"RIFF....WEBP"),
            Err(ImageRefusal::Format),
            "WebP is refused"
        );
        assert_eq!(check_format(b""), Err(ImageRefusal::Empty), "an empty file");
        assert_eq!(
            ImageFormat::from_mime("image/jpg"),
            Some(ImageFormat::Jpeg),
            "the common misspelling"
        );
        assert_eq!(
            ImageFormat::from_mime("image/heic"),
            None,
            "HEIC is no accepted type"
        );
    }

    #[test]
    fn m8_the_provider_size_limit_is_5_mb() {
        assert_eq!(check_size(MAX_IMAGE_BYTES), Ok(()), "exactly 5 MB passes");
        assert_eq!(
            check_size(MAX_IMAGE_BYTES + 1),
            Err(ImageRefusal::TooLarge {
                bytes: MAX_IMAGE_BYTES + 1
            }),
            "one byte more is refused"
        );
        assert_eq!(
            check_size(0),
            Err(ImageRefusal::Empty),
            "nothing is refused"
        );
    }

    #[test]
    fn m8_large_photos_are_downscaled_to_a_1600_px_long_edge() {
        assert_eq!(
            upload_size(4_032, 3_024),
            (1_600, 1_200),
            "a 12 MP landscape photo"
        );
        assert_eq!(
            upload_size(3_024, 4_032),
            (1_200, 1_600),
            "the same in portrait"
        );
        assert_eq!(
            upload_size(1_600, 900),
            (1_600, 900),
            "at the limit it is kept"
        );
        assert_eq!(
            upload_size(800, 600),
            (800, 600),
            "small images are never upscaled"
        );
        assert_eq!(
            upload_size(100_000, 1),
            (1_600, 1),
            "a sliver keeps at least a pixel"
        );
    }

    proptest! {
        #[test]
        fn m8_downscaling_keeps_the_long_edge_within_the_limit_and_the_shape(width in 1u32..20_000, height in 1u32..20_000) {
            let (w, h) = upload_size(width, height);
            prop_assert!(w.max(h) <= LONG_EDGE_MAX_PX, "the long edge fits: {}x{}", w, h);
            prop_assert!(w <= width && h <= height, "never upscaled");
            prop_assert!(w >= 1 && h >= 1, "never empty");
            let cross = (u64::from(w) * u64::from(height)).abs_diff(u64::from(h) * u64::from(width));
            prop_assert!(
                cross <= u64::from(width.max(height)) / 2 + 1 || w.min(h) == 1,
                "the aspect ratio is kept to half a pixel: {}x{} → {}x{}", width, height, w, h
            );
        }
    }
}
