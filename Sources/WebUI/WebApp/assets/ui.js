// Small accessible widgets the views share: a toast region, a confirmation dialog and a menu button.

import { h } from "./render.js";
import { icon } from "./icons.js";

let toastRegion = null;

/** Shows a short message in a polite live region (errors use role=alert so they interrupt). */
export function toast(message, { error = false } = {}) {
  if (!toastRegion) {
    toastRegion = h("div", { class: "toasts", "aria-live": "polite" });
    document.body.append(toastRegion);
  }
  const item = h("div", { class: ["toast", error && "toast-error"], role: error ? "alert" : "status", text: message });
  toastRegion.append(item);
  // A burst of actions should not build a tower of messages: the oldest make way.
  while (toastRegion.children.length > 2) toastRegion.firstElementChild.remove();
  setTimeout(() => item.remove(), error ? 8000 : 3500);
}

/** A modal <dialog> asking to confirm; resolves true or false. Focus returns where it was. */
export function confirmDialog(message, confirmLabel = "Confirm") {
  return new Promise((resolve) => {
    const previous = document.activeElement;
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-label": message },
      h("p", { text: message }),
      h(
        "form",
        { method: "dialog", class: "dialog-actions" },
        h("button", { type: "submit", value: "cancel", class: "button secondary", text: "Cancel" }),
        h("button", { type: "submit", value: "confirm", class: "button danger", text: confirmLabel }),
      ),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (previous && previous.isConnected) previous.focus();
      resolve(dialog.returnValue === "confirm");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * A "more" button with a popup menu. `items` are { label, icon, action } or null (skipped).
 * Follows the ARIA menu button pattern: arrows move, Escape closes and returns focus.
 */
export function menuButton(label, items) {
  const button = h("button", {
    type: "button",
    class: "icon-button",
    "aria-label": label,
    title: label,
    "aria-haspopup": "menu",
    "aria-expanded": "false",
  }, icon("more"));
  let menu = null;

  const close = (refocus = true) => {
    if (!menu) return;
    menu.remove();
    menu = null;
    button.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", outside, true);
    if (refocus) button.focus();
  };
  const outside = (event) => {
    if (menu && !menu.contains(event.target) && event.target !== button && !button.contains(event.target)) close(false);
  };
  const open = () => {
    const entries = items().filter(Boolean);
    menu = h("ul", { class: "menu", role: "menu", "aria-label": label });
    for (const item of entries) {
      const entry = h(
        "button",
        { type: "button", role: "menuitem", tabindex: "-1", class: ["menu-item", item.danger && "danger"] },
        item.icon ? icon(item.icon) : null,
        h("span", { text: item.label }),
      );
      entry.addEventListener("click", () => {
        close();
        item.action();
      });
      menu.append(h("li", { role: "none" }, entry));
    }
    menu.addEventListener("keydown", (event) => {
      const buttons = [...menu.querySelectorAll("[role=menuitem]")];
      const index = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown") buttons[(index + 1) % buttons.length].focus();
      else if (event.key === "ArrowUp") buttons[(index - 1 + buttons.length) % buttons.length].focus();
      else if (event.key === "Home") buttons[0].focus();
      else if (event.key === "End") buttons[buttons.length - 1].focus();
      else if (event.key === "Escape") close();
      else if (event.key === "Tab") close(false);
      else return;
      event.preventDefault();
      event.stopPropagation();
    });
    button.after(menu);
    button.setAttribute("aria-expanded", "true");
    document.addEventListener("pointerdown", outside, true);
    menu.querySelector("[role=menuitem]")?.focus();
  };
  button.addEventListener("click", () => (menu ? close() : open()));
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !menu) {
      event.preventDefault();
      open();
    }
  });
  return button;
}
