//! The last contact (B7): on a profile the line "Last contacted today at 10:42 by Mia Chen"
//! (or "Not contacted from this store yet"), and on a profile or above a chat's composer a
//! gentle warning when a colleague messaged the customer today, so two associates do not
//! message the same customer on the same day. The domain words it, by the device's day.

use clienteling_domain::contact::{notice, LastContact};
use yew::prelude::*;

use crate::clock::utc_offset_minutes;
use crate::hooks::{use_now, use_store};

/// Props of [`ContactNotice`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ContactNoticeProps {
    /// The current store's latest contact, if any.
    pub contact: Option<LastContact>,
    /// The customer's first name, for the warning.
    pub first_name: AttrValue,
    /// Show the "Last contacted …" line too (the profile), not only the warning (the chat).
    #[prop_or_default]
    pub with_line: bool,
}

/// The last-contact line and warning.
#[component]
pub fn ContactNotice(props: &ContactNoticeProps) -> Html {
    let store = use_store();
    let now = use_now(60_000);
    let Some(session) = store.session() else {
        return Html::default();
    };
    let said = notice(
        props.contact.as_ref(),
        &session.staff.id,
        &props.first_name,
        now,
        utc_offset_minutes(),
    );
    html! {
        <>
            if props.with_line {
                <p class="muted profile__contacted" data-test="last-contact">{ said.line }</p>
            }
            if let Some(warning) = said.warning {
                <p class="contact-warning" role="status" data-test="contact-warning">{ warning }</p>
            }
        </>
    }
}
