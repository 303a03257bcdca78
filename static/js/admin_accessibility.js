"use strict";
// Names for the admin's autocomplete (Select2, started by Django's autocomplete.js), which gives
// its combobox and its search field none (axe: aria-input-field-name, label): both are named
// by the select's label, and the combobox also by the choice it shows. Select2 redraws a
// choice list on every change and puts its "clear" button inside the list (<ul>), where only
// list items belong; the button is moved out of it, where Select2 still listens to it.
{
    function labelOf(select) {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        if (label && !label.id) {
            label.id = `${select.id}_label`;
        }
        return label;
    }

    function name(select) {
        const container = select.nextElementSibling;
        if (!container || !container.classList.contains("select2")) {
            return;
        }
        const label = labelOf(select);
        const text = (label ? label.textContent : select.getAttribute("aria-label") || "")
            .replace(/:\s*$/, "")
            .trim();
        const combobox = container.querySelector(".select2-selection");
        const shown = container.querySelector(".select2-selection__rendered[id]");
        if (combobox && label && shown && !select.multiple) {
            // The shown choice is a textbox of its own, named by the label too.
            shown.setAttribute("aria-labelledby", label.id);
            combobox.setAttribute("aria-labelledby", `${label.id} ${shown.id}`);
        } else if (combobox) {
            combobox.removeAttribute("aria-labelledby");
            combobox.setAttribute("aria-label", text);
        }
        for (const field of container.querySelectorAll(".select2-search__field")) {
            field.setAttribute("aria-label", text);
        }
        const fresh = container.querySelector("ul > .select2-selection__clear");
        if (fresh || !select.value) {
            container
                .querySelectorAll(".select2-selection > .select2-selection__clear")
                .forEach((moved) => moved.remove());
        }
        if (fresh) {
            fresh.parentElement.before(fresh);
        }
    }

    let pending = false;
    function nameAll() {
        pending = false;
        document.querySelectorAll("select.admin-autocomplete").forEach(name);
    }

    // After autocomplete.js has started Select2 (on DOMContentLoaded), and again whenever Select2
    // redraws or an inline row is added.
    window.addEventListener("load", () => {
        nameAll();
        new MutationObserver(() => {
            if (!pending) {
                pending = true;
                requestAnimationFrame(nameAll);
            }
        }).observe(document.body, { childList: true, subtree: true });
    });
}
