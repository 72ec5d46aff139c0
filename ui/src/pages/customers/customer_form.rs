//! The customer form: "New customer" in the clientbook (C12) and "Edit" on a profile (C13).
//!
//! A new customer has a first and last name, an optional gender, a phone typed with or
//! without its country code (the core reads it in the store's country), an email and an
//! active switch; an edit changes the name, gender and date of birth, with the sign-up
//! date shown read-only. The rules are the domain's, applied by the core and the backend:
//! this form sends what was typed and shows each refusal next to its field (the backend's
//! "user already exists" by the phone or the email), or above the form when it is about
//! no field (a creation offline). Whatever happens, the form keeps what was typed. An edit
//! is saved on the device at once, offline too: the form closes and the profile shows the
//! edit ("Saving…" until the backend has it). Enter submits, Escape cancels; it lays out
//! in one column on a phone and two on a desktop.

use clienteling_domain::api::Customer;
use clienteling_domain::assignment::day_label;
use clienteling_domain::attribute::Date;
use clienteling_domain::customer_details::{CustomerDraft, Gender, UpdateCustomerRequest};
use clienteling_domain::{ApiError, CustomerId, EditId, Timestamp};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ipc;

/// What the form does.
#[derive(Debug, Clone, PartialEq)]
pub enum FormMode {
    /// Creates a customer in the current store.
    New,
    /// Edits this customer's details.
    Edit(Customer),
}

/// Props of [`CustomerForm`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct CustomerFormProps {
    /// New or edit.
    pub mode: FormMode,
    /// Called with the customer as now shown: as the backend has them after a creation,
    /// with the edit (perhaps still waiting for the backend) after an edit.
    pub on_saved: Callback<Customer>,
    /// Called when the form is cancelled.
    pub on_cancel: Callback<()>,
}

/// What is typed.
#[derive(Debug, Clone, PartialEq, Default)]
struct Typed {
    first_name: String,
    last_name: String,
    gender: String,
    phone: String,
    email: String,
    active: bool,
    birth_date: String,
}

impl Typed {
    fn of(mode: &FormMode) -> Self {
        match mode {
            FormMode::New => Typed {
                active: true,
                ..Typed::default()
            },
            FormMode::Edit(customer) => Typed {
                first_name: customer.first_name.clone(),
                last_name: customer.last_name.clone(),
                gender: customer
                    .gender
                    .map(|g| g.as_str().to_owned())
                    .unwrap_or_default(),
                phone: customer.phone.clone().unwrap_or_default(),
                email: customer.email.clone().unwrap_or_default(),
                active: customer.active,
                birth_date: customer
                    .birth_date
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            },
        }
    }

    fn gender(&self) -> Option<Gender> {
        Gender::parse(&self.gender)
    }
}

/// Which input a change is for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Input {
    FirstName,
    LastName,
    Gender,
    Phone,
    Email,
    Active,
    BirthDate,
}

/// A fresh client-generated id: a version 4 UUID from the page's random numbers (an
/// idempotency key, not a secret).
fn new_id() -> String {
    let mut bytes = [0_u8; 16];
    for byte in &mut bytes {
        // `random()` is in [0, 1): the product is in [0, 256).
        *byte = (js_sys::Math::random() * 256.0) as u8;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// "Customer since 2 Dec 2024".
pub fn signed_up_label(at: Timestamp) -> String {
    format!(
        "Customer since {} {}",
        day_label(at),
        Date::of_day(at).year()
    )
}

/// The form.
#[component]
pub fn CustomerForm(props: &CustomerFormProps) -> Html {
    let typed = use_state(|| Typed::of(&props.mode));
    let error = use_state(|| None::<ApiError>);
    let saving = use_state(|| false);
    // One id per opened form: saving again after a lost answer creates no second customer
    // (and makes an edit once).
    let id = use_memo((), |()| new_id());
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with((), move |()| {
            if let Some(element) = first.cast::<HtmlInputElement>() {
                // A refused focus (the window is in the background) leaves it where it was.
                let _ = element.focus();
            }
        });
    }
    let change = |input: Input| {
        let typed = typed.clone();
        Callback::from(move |event: Event| {
            let mut next = (*typed).clone();
            match input {
                Input::Gender => {
                    next.gender = event.target_unchecked_into::<HtmlSelectElement>().value();
                }
                Input::Active => {
                    next.active = event.target_unchecked_into::<HtmlInputElement>().checked();
                }
                text => {
                    let value = event.target_unchecked_into::<HtmlInputElement>().value();
                    match text {
                        Input::FirstName => next.first_name = value,
                        Input::LastName => next.last_name = value,
                        Input::Phone => next.phone = value,
                        Input::Email => next.email = value,
                        _ => next.birth_date = value,
                    }
                }
            }
            typed.set(next);
        })
    };
    let onsubmit = {
        let (typed, error, saving) = (typed.clone(), error.clone(), saving.clone());
        let mode = props.mode.clone();
        let on_saved = props.on_saved.clone();
        let id = (*id).clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *saving {
                return;
            }
            saving.set(true);
            let (error, saving, on_saved) = (error.clone(), saving.clone(), on_saved.clone());
            let shown = (*typed).clone();
            let mode = mode.clone();
            let id = id.clone();
            spawn_local(async move {
                let answer = match &mode {
                    FormMode::New => {
                        let draft = CustomerDraft {
                            id: CustomerId(id),
                            first_name: shown.first_name.clone(),
                            last_name: shown.last_name.clone(),
                            gender: shown.gender(),
                            phone: shown.phone.clone(),
                            email: shown.email.clone(),
                            active: shown.active,
                        };
                        ipc::create_customer(&draft).await
                    }
                    FormMode::Edit(customer) => {
                        let request = UpdateCustomerRequest {
                            id: Some(EditId(id)),
                            first_name: shown.first_name.clone(),
                            last_name: shown.last_name.clone(),
                            gender: shown.gender(),
                            birth_date: Some(shown.birth_date.clone()),
                        };
                        ipc::update_customer(&customer.id, &request).await
                    }
                };
                saving.set(false);
                match answer {
                    Ok(customer) => {
                        error.set(None);
                        on_saved.emit(customer);
                    }
                    Err(refused) => error.set(Some(refused)),
                }
            });
        })
    };
    let on_keydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                // The profile behind takes Escape as "back": this Escape is the form's.
                event.stop_propagation();
                on_cancel.emit(());
            }
        })
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let field_error = |field: &'static str| -> Html {
        match error.as_ref().and_then(|e| e.field_message(field)) {
            Some(message) => html! {
                <span class="field__error" role="alert" id={format!("customer-{field}-error")}
                    data-test={format!("field-error-{field}")}>{ message.to_owned() }</span>
            },
            None => Html::default(),
        }
    };
    let invalid = |field: &'static str| {
        error
            .as_ref()
            .and_then(|e| e.field_message(field))
            .is_some()
            .to_string()
    };
    let general = error
        .as_ref()
        .filter(|e| e.fields.is_empty())
        .map(|e| e.message.clone());
    let editing = matches!(props.mode, FormMode::Edit(_));
    let title = match &props.mode {
        FormMode::New => "New customer".to_owned(),
        FormMode::Edit(customer) => format!("Edit {}", customer.full_name()),
    };
    let text_input = |label: &'static str,
                      field: &'static str,
                      test: &'static str,
                      kind: &'static str,
                      value: &str,
                      input: Input,
                      node: Option<NodeRef>| {
        html! {
            <label class="field">
                <span class="field__label">{ label }</span>
                <input type={kind} class="field__input" data-test={test} ref={node.unwrap_or_default()}
                    value={value.to_owned()} oninput={change(input).reform(Event::from)}
                    aria-invalid={invalid(field)} aria-describedby={format!("customer-{field}-error")} />
                { field_error(field) }
            </label>
        }
    };
    html! {
        <form class="customer-form" aria-label={title.clone()} data-test="customer-form"
            onsubmit={onsubmit} onkeydown={on_keydown} novalidate=true>
            <div class="customer-form__head">
                <h2 class="customer-form__title">{ title }</h2>
                <button type="button" class="icon-button" aria-label="Cancel" onclick={cancel.clone()}>{ "×" }</button>
            </div>
            if let Some(message) = general {
                <div class="composer__error" data-test="error" role="alert">{ message }</div>
            }
            <div class="customer-form__grid">
                { text_input("First name", "first_name", "customer-first-name", "text", &typed.first_name, Input::FirstName, Some(first)) }
                { text_input("Last name", "last_name", "customer-last-name", "text", &typed.last_name, Input::LastName, None) }
                <label class="field">
                    <span class="field__label">{ "Gender" }</span>
                    <select class="field__input" data-test="customer-gender" onchange={change(Input::Gender)}>
                        <option value="" selected={typed.gender.is_empty()}>{ "Not given" }</option>
                        { for Gender::ALL.iter().map(|gender| html! {
                            <option value={gender.as_str()} selected={typed.gender == gender.as_str()}>{ gender.label() }</option>
                        }) }
                    </select>
                </label>
                if editing {
                    { text_input("Date of birth", "birth_date", "customer-birth-date", "date", &typed.birth_date, Input::BirthDate, None) }
                    if let FormMode::Edit(customer) = &props.mode {
                        <p class="field customer-form__since">
                            <span class="field__label">{ "Signed up" }</span>
                            <span data-test="customer-form-signed-up">
                                { customer.signed_up_at.map_or_else(|| "Not known".to_owned(), signed_up_label) }
                            </span>
                        </p>
                    }
                } else {
                    { text_input("Phone", "phone", "customer-phone", "tel", &typed.phone, Input::Phone, None) }
                    { text_input("Email", "email", "customer-email", "email", &typed.email, Input::Email, None) }
                    <label class="customer-form__switch">
                        <input type="checkbox" data-test="customer-active" checked={typed.active}
                            onchange={change(Input::Active)} />
                        <span>{ "Active customer" }</span>
                    </label>
                }
            </div>
            <div class="chat-drawer__actions">
                <button type="button" class="button button--quiet" onclick={cancel}>{ "Cancel" }</button>
                <button type="submit" class="button button--primary" data-test="customer-save" disabled={*saving}>
                    { match (*saving, editing) {
                        (true, _) => "Saving…",
                        (false, true) => "Save changes",
                        (false, false) => "Create customer",
                    } }
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c13_the_sign_up_date_reads_as_day_month_and_year() {
        // 2024-12-02 15:00 UTC.
        let at = Timestamp(1_733_151_600_000);
        assert_eq!(
            signed_up_label(at),
            "Customer since 2 Dec 2024",
            "the profile shows the day the customer signed up, with its year"
        );
    }

    #[test]
    fn c13_an_edit_form_starts_from_the_customers_details() {
        let customer = Customer {
            id: "cust-1".into(),
            store_ids: Vec::new(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            phone: None,
            email: None,
            assigned_staff_ids: Vec::new(),
            updated_at: Timestamp(0),
            gender: Some(Gender::Female),
            birth_date: Date::parse("1990-05-17").ok(),
            signed_up_at: None,
            active: true,
        };
        let typed = Typed::of(&FormMode::Edit(customer));
        assert_eq!(
            (
                typed.first_name.as_str(),
                typed.gender.as_str(),
                typed.birth_date.as_str()
            ),
            ("Ada", "female", "1990-05-17"),
            "the inputs hold the name, gender and date of birth as stored"
        );
        assert!(
            Typed::of(&FormMode::New).active,
            "a new customer is active unless switched off"
        );
    }
}
