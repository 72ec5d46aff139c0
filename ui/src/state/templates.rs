//! The template picker (M5, A7): the templates of the conversation's channel as the core
//! lists them, the reconnect template first, which one is picked, and the send under way.

use std::rc::Rc;

use clienteling_domain::picker::TemplateChoice;
use clienteling_domain::template::{Template, TemplatePurpose, TemplateStatus};
use clienteling_domain::ApiError;
use yew::Reducible;

use crate::state::remote::Remote;

/// The picker shown instead of the composer when only templates can be sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TemplatePicker {
    /// The templates offered, in picker order.
    pub choices: Remote<Vec<TemplateChoice>>,
    /// The id of the template picked.
    pub picked: Option<String>,
    /// Whether a send is under way.
    pub sending: bool,
    /// Why the last send did not go through.
    pub error: Option<String>,
}

/// What happens to the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePickerAction {
    /// The core listed the templates (or could not).
    Loaded(Result<Vec<TemplateChoice>, ApiError>),
    /// The associate picked a template; templates that cannot be sent are not picked.
    Picked(String),
    /// The send of the picked template started.
    Sending,
    /// The core accepted the template message; the picker starts over.
    Sent,
    /// The send failed; the template stays picked.
    Failed(ApiError),
}

impl TemplatePicker {
    /// The picked template with its preview.
    pub fn picked_choice(&self) -> Option<&TemplateChoice> {
        let picked = self.picked.as_ref()?;
        self.choices
            .loaded()?
            .iter()
            .find(|choice| &choice.template.id == picked)
    }

    /// Whether the picked template can go out now: sendable, filled, not already sending.
    pub fn can_send(&self) -> bool {
        !self.sending
            && self.picked_choice().is_some_and(|choice| {
                choice.template.is_sendable()
                    && choice.preview.is_some()
                    && choice.problem.is_none()
            })
    }

    /// The picker after `action`.
    pub fn apply(&mut self, action: TemplatePickerAction) {
        match action {
            TemplatePickerAction::Loaded(result) => {
                self.choices = Remote::from_result(result.map(in_picker_order));
                if self.picked_choice().is_none() {
                    self.picked = None;
                }
            }
            TemplatePickerAction::Picked(id) => {
                let sendable = self.choices.loaded().is_some_and(|choices| {
                    choices
                        .iter()
                        .any(|choice| choice.template.id == id && choice.template.is_sendable())
                });
                if sendable && !self.sending {
                    self.picked = Some(id);
                    self.error = None;
                }
            }
            TemplatePickerAction::Sending => {
                self.sending = true;
                self.error = None;
            }
            TemplatePickerAction::Sent => {
                self.sending = false;
                self.picked = None;
            }
            TemplatePickerAction::Failed(error) => {
                self.sending = false;
                self.error = Some(error.message);
            }
        }
    }
}

impl Reducible for TemplatePicker {
    type Action = TemplatePickerAction;

    fn reduce(self: Rc<Self>, action: TemplatePickerAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// Reconnect templates first (the usual reason to write outside the window), then the
/// other sendable ones, then those that cannot be sent; otherwise as the core listed them.
pub fn in_picker_order(mut choices: Vec<TemplateChoice>) -> Vec<TemplateChoice> {
    choices.sort_by_key(|choice| {
        (
            choice.template.purpose != TemplatePurpose::Reconnect,
            !choice.template.is_sendable(),
        )
    });
    choices
}

/// The purpose as the API spells it (`reconnect`, `opt_in`…), for the picker's hooks.
pub fn purpose_key(template: &Template) -> String {
    serde_json::to_value(template.purpose)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// How a template's approval status reads in the picker.
pub fn status_label(status: TemplateStatus) -> &'static str {
    match status {
        TemplateStatus::Received => "Waiting for approval",
        TemplateStatus::Approved => "Approved, not set up yet",
        TemplateStatus::Rejected => "Rejected",
        TemplateStatus::Mapped => "Ready to send",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use clienteling_domain::{Channel, ErrorCode};

    /// A WhatsApp template choice with a filled preview.
    pub(crate) fn choice(
        id: &str,
        purpose: TemplatePurpose,
        status: TemplateStatus,
    ) -> TemplateChoice {
        TemplateChoice {
            template: Template {
                id: id.into(),
                name: format!("Template {id}"),
                channel: Channel::Whatsapp,
                purpose,
                language: "en".into(),
                body: "Hi {{1}}".into(),
                variable_fields: Vec::new(),
                status,
            },
            preview: Some(format!("Preview of {id}")),
            problem: None,
        }
    }

    fn ids(picker: &TemplatePicker) -> Vec<&str> {
        picker
            .choices
            .loaded()
            .map(|choices| choices.iter().map(|c| c.template.id.as_str()).collect())
            .unwrap_or_default()
    }

    fn loaded() -> TemplatePicker {
        let mut picker = TemplatePicker::default();
        picker.apply(TemplatePickerAction::Loaded(Ok(vec![
            choice("sale", TemplatePurpose::Other, TemplateStatus::Approved),
            choice(
                "product",
                TemplatePurpose::ProductShare,
                TemplateStatus::Mapped,
            ),
            choice(
                "reconnect",
                TemplatePurpose::Reconnect,
                TemplateStatus::Mapped,
            ),
            choice("rejected", TemplatePurpose::Other, TemplateStatus::Rejected),
        ])));
        picker
    }

    #[test]
    fn the_reconnect_template_leads_the_picker_m5() {
        assert_eq!(
            ids(&loaded()),
            ["reconnect", "product", "sale", "rejected"],
            "reconnect first, then sendable, then the rest in the core's order"
        );
        assert_eq!(
            purpose_key(&loaded().choices.loaded().expect("loaded")[0].template),
            "reconnect",
            "the purpose hook is the API's snake_case name"
        );
    }

    #[test]
    fn a_template_that_cannot_be_sent_is_not_picked_a7() {
        let mut picker = loaded();
        picker.apply(TemplatePickerAction::Picked("sale".into()));
        assert_eq!(picker.picked, None, "an unmapped template stays unpicked");
        picker.apply(TemplatePickerAction::Picked("reconnect".into()));
        assert_eq!(
            picker.picked_choice().map(|c| c.template.id.as_str()),
            Some("reconnect"),
            "a mapped template is picked"
        );
        assert!(picker.can_send(), "a filled, mapped template can be sent");
    }

    #[test]
    fn a_template_that_cannot_be_filled_shows_its_problem_and_is_not_sent_m5() {
        let mut unfilled = choice(
            "reconnect",
            TemplatePurpose::Reconnect,
            TemplateStatus::Mapped,
        );
        unfilled.preview = None;
        unfilled.problem = Some("no value for {{1}}".into());
        let mut picker = TemplatePicker::default();
        picker.apply(TemplatePickerAction::Loaded(Ok(vec![unfilled])));
        picker.apply(TemplatePickerAction::Picked("reconnect".into()));
        assert!(
            picker.picked_choice().is_some(),
            "it can be picked to see why it cannot go out"
        );
        assert!(!picker.can_send(), "but not sent");
    }

    #[test]
    fn a_failed_template_send_keeps_the_pick_and_says_why_m5() {
        let mut picker = loaded();
        picker.apply(TemplatePickerAction::Picked("reconnect".into()));
        picker.apply(TemplatePickerAction::Sending);
        assert!(!picker.can_send(), "no second send while one is under way");
        picker.apply(TemplatePickerAction::Failed(ApiError::new(
            ErrorCode::OptedOut,
            "Olivia opted out",
        )));
        assert_eq!(
            picker.picked.as_deref(),
            Some("reconnect"),
            "the pick stays for another try"
        );
        assert_eq!(
            picker.error.as_deref(),
            Some("Olivia opted out"),
            "the reason is shown"
        );
        picker.apply(TemplatePickerAction::Sending);
        picker.apply(TemplatePickerAction::Sent);
        assert_eq!(picker.picked, None, "after sending the picker starts over");
        assert_eq!(picker.error, None, "no error after a send");
    }

    #[test]
    fn a_failed_listing_is_shown_m5() {
        let mut picker = TemplatePicker::default();
        assert_eq!(picker.choices, Remote::Loading, "loading at first");
        picker.apply(TemplatePickerAction::Loaded(Err(ApiError::new(
            ErrorCode::Offline,
            "The backend could not be reached",
        ))));
        assert!(
            matches!(picker.choices, Remote::Failed(ref e) if e.code == ErrorCode::Offline),
            "the failure is kept to show"
        );
    }
}
