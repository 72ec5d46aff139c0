//! Scanned and typed barcodes (P4, M7, M9): turning what a camera, a HID scanner or a
//! keyboard produced into a [`Gtin`], and telling a scanner's keystroke burst from typing.
//!
//! [`read_code`] accepts an EAN-13, EAN-8, UPC-A or GTIN-14 as digits, and a GS1 Digital
//! Link URL (`https://id.gs1.org/01/<gtin>` or the same path on a brand's own host, with
//! further key qualifiers such as `/21/<serial>` and a query string), and says in words
//! why anything else is refused.
//!
//! A HID scanner "types" its code as keystrokes much faster than a person, ending with
//! Enter. [`ScanBurst`] is fed keystrokes with their times (passed in, never read) and
//! hands back a code only for such a burst: at least [`BURST_MIN_CHARS`] characters, at
//! most [`BURST_MAX_GAP_MS`] between consecutive keys, then Enter.

use crate::catalog::{Gtin, GtinError};
use crate::Timestamp;

/// The GS1 Application Identifier of a GTIN in a Digital Link path.
const GTIN_AI: &str = "01";

/// The fewest characters a scanner burst holds (an EAN-8 is the shortest product code).
pub const BURST_MIN_CHARS: usize = 8;

/// The longest pause between two keystrokes of one scanner burst, in milliseconds. HID
/// scanners send a key every few milliseconds; a fast typist needs 80 ms or more.
pub const BURST_MAX_GAP_MS: i64 = 35;

/// The longest code a burst collects before it is taken for something else (a Digital Link
/// URL with a serial and a query string fits).
const BURST_MAX_CHARS: usize = 512;

/// Why a scanned or typed code gives no product.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    /// Nothing was scanned or typed.
    #[error("no barcode was read: scan or type it again")]
    Empty,
    /// The digits are a GTIN's length but the check digit does not match: a misread.
    #[error("the check digit is wrong (expected {expected}, read {found}): scan again")]
    CheckDigit {
        /// The check digit the other digits call for.
        expected: u8,
        /// The one read.
        found: u8,
    },
    /// Digits, but not as many as any product barcode has.
    #[error("not a product barcode: a product barcode has 8, 12, 13 or 14 digits, this one {0}")]
    Length(usize),
    /// Letters or symbols and no Digital Link: a QR code, a serial number, a coupon.
    #[error("not a product barcode: this code holds {0:?}")]
    NotAProductCode(char),
    /// A web address that is no GS1 Digital Link (no `/01/<gtin>` in its path).
    #[error("not a product barcode: this link carries no product number (no /01/ in it)")]
    NotADigitalLink,
}

impl From<GtinError> for BarcodeError {
    fn from(error: GtinError) -> Self {
        match error {
            GtinError::NotADigit(c) => BarcodeError::NotAProductCode(c),
            GtinError::Length(n) => BarcodeError::Length(n),
            GtinError::CheckDigit { expected, found } => {
                BarcodeError::CheckDigit { expected, found }
            }
        }
    }
}

/// The product number a scanned or typed `code` stands for: digits of an EAN-13, EAN-8,
/// UPC-A or GTIN-14 (surrounding whitespace, inner spaces and hyphens ignored), or a GS1
/// Digital Link URL on any host.
pub fn read_code(code: &str) -> Result<Gtin, BarcodeError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(BarcodeError::Empty);
    }
    if code.contains("://") || code.contains('/') {
        return read_digital_link(code);
    }
    Ok(Gtin::parse(code)?)
}

/// The GTIN of a GS1 Digital Link: the path segment after the first `01` key, with the
/// scheme, host, any path prefix before it, further qualifiers (`/10/<lot>`,
/// `/21/<serial>`…), a query string and a fragment ignored.
fn read_digital_link(link: &str) -> Result<Gtin, BarcodeError> {
    let without_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    let path = without_scheme.split(['?', '#']).next().unwrap_or_default();
    let mut segments = path.split('/').skip(1);
    while let Some(segment) = segments.next() {
        if segment == GTIN_AI {
            let gtin = segments.next().ok_or(BarcodeError::NotADigitalLink)?;
            return Ok(Gtin::parse(gtin)?);
        }
    }
    Err(BarcodeError::NotADigitalLink)
}

/// The GS1 Digital Link of `gtin` on GS1's resolver, `https://id.gs1.org/01/<14 digits>`.
pub fn digital_link(gtin: &Gtin) -> String {
    format!("https://id.gs1.org/{GTIN_AI}/{gtin}")
}

/// A key a HID scanner or a person pressed, as a text field reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// Enter (scanners end their code with it).
    Enter,
    /// Anything else (shift, arrows, backspace): it breaks a burst.
    Other,
}

/// Tells a HID scanner's keystroke burst from typing. Feed every keystroke of a text field
/// with its time; [`ScanBurst::key`] returns the scanned code when Enter ends a burst.
#[derive(Debug, Clone, Default)]
pub struct ScanBurst {
    chars: String,
    last_key_at: Option<Timestamp>,
}

impl ScanBurst {
    /// An empty detector.
    pub fn new() -> ScanBurst {
        ScanBurst::default()
    }

    /// Takes `key` pressed at `at`. Returns the code when `key` is Enter closing a burst:
    /// at least [`BURST_MIN_CHARS`] characters, each at most [`BURST_MAX_GAP_MS`] after the
    /// one before, and Enter itself within that gap. A slower key starts a new candidate
    /// burst with itself; Enter after typing returns nothing (the field handles it).
    pub fn key(&mut self, key: Key, at: Timestamp) -> Option<String> {
        let in_burst = self
            .last_key_at
            .is_some_and(|last| (0..=BURST_MAX_GAP_MS).contains(&at.since(last)));
        if !in_burst {
            self.chars.clear();
        }
        self.last_key_at = Some(at);
        match key {
            Key::Char(c) => {
                if self.chars.len() >= BURST_MAX_CHARS {
                    self.chars.clear();
                }
                self.chars.push(c);
                None
            }
            Key::Enter => {
                let chars = std::mem::take(&mut self.chars);
                self.last_key_at = None;
                (in_burst && chars.chars().count() >= BURST_MIN_CHARS).then_some(chars)
            }
            Key::Other => {
                self.chars.clear();
                self.last_key_at = None;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gtin(code: &str) -> Gtin {
        Gtin::parse(code).expect("a valid test GTIN")
    }

    #[test]
    fn p4_every_kind_of_product_barcode_reads_as_its_gtin() {
        for (code, expected, how) in [
            ("4006381333931", "04006381333931", "an EAN-13"),
            ("96385074", "00000096385074", "an EAN-8"),
            ("036000291452", "00036000291452", "a UPC-A"),
            ("10012345000017", "10012345000017", "a GTIN-14"),
            (
                "  4006381333931\n",
                "04006381333931",
                "a scan with whitespace",
            ),
        ] {
            assert_eq!(read_code(code), Ok(gtin(expected)), "{how} reads");
        }
    }

    #[test]
    fn p4_digital_links_on_any_host_with_qualifiers_and_queries_read_as_their_gtin() {
        let expected = gtin("04006381333931");
        for link in [
            "https://id.gs1.org/01/04006381333931",
            "https://id.gs1.org/01/4006381333931",
            "https://brand.example.com/01/04006381333931/21/SN12345",
            "https://brand.example.com/shop/01/04006381333931/10/LOT7?linkType=pip&x=1",
            "http://example.org/01/04006381333931#details",
            "id.gs1.org/01/04006381333931",
        ] {
            assert_eq!(read_code(link), Ok(expected.clone()), "{link} reads");
        }
    }

    #[test]
    fn p4_codes_that_are_not_product_barcodes_say_why() {
        assert_eq!(read_code("   "), Err(BarcodeError::Empty), "nothing read");
        assert_eq!(
            read_code("4006381333932"),
            Err(BarcodeError::CheckDigit {
                expected: 1,
                found: 2
            }),
            "a misread last digit"
        );
        assert!(
            read_code("4006381333932")
                .unwrap_err()
                .to_string()
                .contains("scan again"),
            "a misread asks for another scan"
        );
        assert_eq!(
            read_code("1234567"),
            Err(BarcodeError::Length(7)),
            "seven digits are no product barcode"
        );
        assert_eq!(
            read_code("COUPON-2026"),
            Err(BarcodeError::NotAProductCode('C')),
            "a coupon code is not a product"
        );
        assert_eq!(
            read_code("https://example.com/promo?id=01"),
            Err(BarcodeError::NotADigitalLink),
            "a plain web address is no Digital Link"
        );
        assert_eq!(
            read_code("https://id.gs1.org/01/"),
            Err(BarcodeError::Length(0)),
            "a Digital Link without its number"
        );
        for error in [
            BarcodeError::Length(7),
            BarcodeError::NotAProductCode('C'),
            BarcodeError::NotADigitalLink,
        ] {
            assert!(
                error.to_string().starts_with("not a product barcode"),
                "the associate reads that it is not a product barcode: {error}"
            );
        }
    }

    fn burst(scanner: &mut ScanBurst, code: &str, start: i64, gap: i64) -> Option<String> {
        let mut at = start;
        for c in code.chars() {
            assert_eq!(
                scanner.key(Key::Char(c), Timestamp(at)),
                None,
                "a character alone never completes a code"
            );
            at += gap;
        }
        scanner.key(Key::Enter, Timestamp(at))
    }

    #[test]
    fn p4_a_fast_burst_ending_in_enter_is_a_scan() {
        let mut scanner = ScanBurst::new();
        assert_eq!(
            burst(&mut scanner, "4006381333931", 1_000, 8),
            Some("4006381333931".to_owned()),
            "thirteen keys 8 ms apart and Enter are a scanner"
        );
        assert_eq!(
            burst(&mut scanner, "96385074", 5_000, BURST_MAX_GAP_MS),
            Some("96385074".to_owned()),
            "eight keys at the longest gap still are"
        );
    }

    #[test]
    fn p4_typing_is_not_taken_for_a_scan() {
        let mut scanner = ScanBurst::new();
        assert_eq!(
            burst(&mut scanner, "4006381333931", 1_000, 120),
            None,
            "a person typing 120 ms apart is not a scanner"
        );
        assert_eq!(
            burst(&mut scanner, "1234567", 5_000, 5),
            None,
            "seven fast keys are too short for a product code"
        );
        assert_eq!(
            burst(&mut scanner, "4006381333931", 9_000, BURST_MAX_GAP_MS + 1),
            None,
            "one millisecond over the gap is typing"
        );
        let mut at = 20_000;
        for c in "hello ".chars() {
            scanner.key(Key::Char(c), Timestamp(at));
            at += 150;
        }
        assert_eq!(
            burst(&mut scanner, "4006381333931", at + 150, 5),
            Some("4006381333931".to_owned()),
            "a scan right after typing keeps only the burst, not the typed words"
        );
        scanner.key(Key::Char('4'), Timestamp(40_000));
        scanner.key(Key::Other, Timestamp(40_001));
        assert_eq!(
            burst(&mut scanner, "0063813", 40_002, 5),
            None,
            "a non-character key breaks the burst, the rest is too short"
        );
    }

    proptest! {
        #[test]
        fn p4_every_valid_gtin13_round_trips_through_read_and_its_digital_link(body in "[0-9]{12}") {
            let gtin = Gtin::from_ean13_body(&body).expect("twelve digits make an EAN-13");
            let ean13 = gtin.ean13().unwrap_or_default().to_owned();
            prop_assert_eq!(read_code(&ean13), Ok(gtin.clone()), "the EAN-13 reads back");
            prop_assert_eq!(read_code(&digital_link(&gtin)), Ok(gtin.clone()), "its Digital Link reads back");
        }

        #[test]
        fn p4_every_single_digit_change_is_caught(body in "[0-9]{12}", at in 0usize..13, by in 1u8..10) {
            let gtin = Gtin::from_ean13_body(&body).expect("twelve digits make an EAN-13");
            let mut digits: Vec<u8> = gtin.ean13().unwrap_or_default().bytes().map(|b| b - b'0').collect();
            digits[at] = (digits[at] + by) % 10;
            let changed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            let is_check_digit_error = matches!(read_code(&changed), Err(BarcodeError::CheckDigit { .. }));
            prop_assert!(is_check_digit_error, "typed {} is caught", changed);
            let link = format!("https://id.gs1.org/01/{changed}");
            let is_check_digit_error = matches!(read_code(&link), Err(BarcodeError::CheckDigit { .. }));
            prop_assert!(is_check_digit_error, "a Digital Link with {} is caught", changed);
        }

        #[test]
        fn p4_a_burst_is_the_fast_run_of_keys_before_enter(
            code in "[0-9]{8,14}",
            gaps in proptest::collection::vec(0i64..80, 15),
        ) {
            let mut scanner = ScanBurst::new();
            let mut at = 10_000;
            let mut run_start = 0;
            for (index, (c, gap)) in code.chars().zip(&gaps).enumerate() {
                at += gap;
                if *gap > BURST_MAX_GAP_MS {
                    run_start = index;
                }
                scanner.key(Key::Char(c), Timestamp(at));
            }
            let enter_gap = gaps[code.len()];
            let scanned = scanner.key(Key::Enter, Timestamp(at + enter_gap));
            let run = &code[run_start..];
            let expected = (enter_gap <= BURST_MAX_GAP_MS && run.len() >= BURST_MIN_CHARS).then(|| run.to_owned());
            prop_assert_eq!(scanned, expected, "the keys after the last slow gap, when enough and Enter is fast");
        }
    }
}
