//! The star toggle (C1) on a clientbook row and on the profile header: pressed when the
//! signed-in staff member starred the customer; a press shows the new state at once and
//! the core keeps it (offline too, through its outbox). A refusal puts the star back and
//! says why in the button's title.

use clienteling_domain::CustomerId;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::ipc;

/// Props of [`StarToggle`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct StarToggleProps {
    /// The customer.
    pub customer_id: CustomerId,
    /// Whether they are starred now.
    pub starred: bool,
    /// Told the new state once the core kept it.
    #[prop_or_default]
    pub on_change: Callback<bool>,
}

/// A star button with `aria-pressed`.
#[component]
pub fn StarToggle(props: &StarToggleProps) -> Html {
    let starred = use_state(|| props.starred);
    let refusal = use_state(|| None::<String>);
    {
        let starred = starred.clone();
        use_effect_with(props.starred, move |given| starred.set(*given));
    }
    let onclick = {
        let starred = starred.clone();
        let refusal = refusal.clone();
        let id = props.customer_id.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            event.stop_propagation();
            let wanted = !*starred;
            starred.set(wanted);
            let starred = starred.clone();
            let refusal = refusal.clone();
            let id = id.clone();
            let on_change = on_change.clone();
            spawn_local(async move {
                let kept = if wanted {
                    ipc::star_customer(&id).await
                } else {
                    ipc::unstar_customer(&id).await
                };
                match kept {
                    Ok(()) => {
                        refusal.set(None);
                        on_change.emit(wanted);
                    }
                    Err(error) => {
                        starred.set(!wanted);
                        refusal.set(Some(error.message));
                    }
                }
            });
        })
    };
    let label = if *starred { "Unstar" } else { "Star" };
    let title = (*refusal).clone().unwrap_or_else(|| label.to_owned());
    html! {
        <button type="button" class={classes!("star-toggle", starred.then_some("star-toggle--on"))}
            data-test="star-toggle" aria-pressed={starred.to_string()} aria-label={label}
            {title} {onclick}>
            { if *starred { "★" } else { "☆" } }
        </button>
    }
}
