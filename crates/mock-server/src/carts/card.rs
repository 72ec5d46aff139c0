//! The simulated card processor of the pay page (M9): Stripe's test numbers, so a demo or a
//! test can pay and be declined. 4242 4242 4242 4242 is charged; 4000 0000 0000 0002 is
//! declined by the bank; any other number that passes the Luhn check is declined as not a
//! test card; the rest is not a card number.

/// The test card that is always charged.
pub const CARD_CHARGED: &str = "4242424242424242";
/// The test card the bank always declines.
pub const CARD_DECLINED: &str = "4000000000000002";

/// What the processor answers for a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardOutcome {
    /// Charged; the card's last four digits for the receipt.
    Charged {
        /// The last four digits.
        last4: String,
    },
    /// Refused, with the sentence the customer reads; nothing is charged.
    Declined(String),
}

/// Whether `digits` pass the Luhn check every card number carries.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| {
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                *digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Charges `number` (spaces and hyphens ignored), with an expiry written `MM/YY` and a
/// CVC of three or four digits.
pub fn charge(number: &str, expiry: &str, cvc: &str) -> CardOutcome {
    let typed: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits: Option<Vec<u32>> = typed.chars().map(|c| c.to_digit(10)).collect();
    if !digits.is_some_and(|d| (12..=19).contains(&d.len()) && luhn(&d)) {
        return CardOutcome::Declined(
            "That is not a valid card number: check it and try again.".into(),
        );
    }
    let month = expiry
        .trim()
        .split_once('/')
        .filter(|(_, year)| year.trim().len() == 2 && year.trim().parse::<u8>().is_ok())
        .and_then(|(month, _)| month.trim().parse::<u8>().ok());
    if !month.is_some_and(|m| (1..=12).contains(&m)) {
        return CardOutcome::Declined("Write the card's expiry date as MM/YY.".into());
    }
    let cvc = cvc.trim();
    if !(3..=4).contains(&cvc.len()) || !cvc.chars().all(|c| c.is_ascii_digit()) {
        return CardOutcome::Declined(
            "The security code (CVC) is the 3 or 4 digits on the card.".into(),
        );
    }
    match typed.as_str() {
        CARD_CHARGED => CardOutcome::Charged {
            last4: typed[typed.len() - 4..].to_owned(),
        },
        CARD_DECLINED => CardOutcome::Declined(
            "Your card was declined by your bank. Nothing was charged: try another card.".into(),
        ),
        _ => CardOutcome::Declined(
            "This test shop takes only test cards: use 4242 4242 4242 4242. Nothing was charged."
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m9_the_test_cards_are_charged_and_declined_with_a_reason() {
        assert_eq!(
            charge("4242 4242 4242 4242", "12/30", "123"),
            CardOutcome::Charged {
                last4: "4242".into()
            },
            "the success card is charged"
        );
        let CardOutcome::Declined(reason) = charge("4000 0000 0000 0002", "12/30", "123") else {
            panic!("the decline card is declined");
        };
        assert!(
            reason.contains("declined"),
            "the reason says declined: {reason}"
        );
        for (number, expiry, cvc, why) in [
            (
                "4242 4242 4242 4241",
                "12/30",
                "123",
                "a number failing Luhn",
            ),
            ("4242 4242 4242 4242", "13/30", "123", "month 13"),
            ("4242 4242 4242 4242", "12/30", "12", "a two-digit CVC"),
            (
                "5555 5555 5555 4444",
                "12/30",
                "123",
                "a real-looking card that is no test card",
            ),
        ] {
            assert!(
                matches!(charge(number, expiry, cvc), CardOutcome::Declined(_)),
                "{why} is not charged"
            );
        }
    }
}
