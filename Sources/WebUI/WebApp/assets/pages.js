// The pages that are not timelines: search, lists, settings, and the phone's compose and menu pages.

import { h } from "./render.js";
import { icon } from "./icons.js";
import { renderStatus } from "./status.js";
import { accountRow, timelineView } from "./views.js";
import { errorMessage } from "./api.js";
import { confirmDialog, toast } from "./ui.js";

// --- Search ----------------------------------------------------------------------------------------

export function searchView(ctx, query) {
  const input = h("input", { type: "search", name: "q", class: "search-input", placeholder: "Search people, hashtags and posts", "aria-label": "Search", autocomplete: "off" });
  input.value = query || "";
  const form = h("form", { class: "search-form", role: "search" }, input, h("button", { type: "submit", class: "button primary", text: "Search" }));
  const results = h("div", { class: "search-results", "aria-live": "polite" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q) ctx.navigate(`/web/search?q=${encodeURIComponent(q)}`, { replace: true });
  });
  const view = { title: "Search", icon: "search", el: h("div", { class: "view" }, form, results), destroy() {}, focusTarget: input };
  if (query) runSearch(ctx, query, results);
  else results.append(h("p", { class: "feed-status", text: "Find people by name or address (user@server), posts by their words, and hashtags." }));
  return view;
}

async function runSearch(ctx, query, results) {
  results.replaceChildren(h("p", { class: "feed-status", text: "Searching…" }));
  try {
    const found = await ctx.api.get("/api/v2/search", { q: query, resolve: true, limit: 20 });
    const sections = [];
    if (found.accounts?.length) {
      sections.push(h("section", { class: "search-section" }, h("h3", { text: "People" }), found.accounts.map((account) => accountRow(account))));
    }
    if (found.hashtags?.length) {
      sections.push(
        h(
          "section",
          { class: "search-section" },
          h("h3", { text: "Hashtags" }),
          h("ul", { class: "tag-list" }, found.hashtags.map((tag) => h("li", {}, h("a", { href: `/web/tags/${encodeURIComponent(tag.name)}`, class: "tag-link" }, icon("hash"), h("span", { text: tag.name }))))),
        ),
      );
    }
    if (found.statuses?.length) {
      sections.push(
        h(
          "section",
          { class: "search-section" },
          h("h3", { text: "Posts" }),
          h("div", { class: "feed", role: "feed", "aria-label": "Posts found" }, found.statuses.map((status) => h("div", { class: "feed-item" }, renderStatus(ctx, status)))),
        ),
      );
    }
    results.replaceChildren(...(sections.length ? sections : [h("p", { class: "feed-status", text: `Nothing found for “${query}”.` })]));
  } catch (error) {
    results.replaceChildren(h("p", { class: "feed-status", role: "alert", text: errorMessage(error) }));
  }
}

// --- Lists -----------------------------------------------------------------------------------------

export function listsView(ctx) {
  const list = h("ul", { class: "link-list" });
  const title = h("input", { type: "text", name: "title", placeholder: "New list title", "aria-label": "New list title", maxlength: "100", required: true });
  const form = h("form", { class: "inline-form" }, title, h("button", { type: "submit", class: "button primary", text: "Create list" }));
  const status = h("p", { class: "feed-status", role: "status" });
  const load = async () => {
    try {
      const lists = await ctx.api.get("/api/v1/lists");
      list.replaceChildren(...lists.map((l) => h("li", {}, h("a", { href: `/web/lists/${encodeURIComponent(l.id)}`, class: "nav-link" }, icon("list"), h("span", { text: l.title })))));
      status.textContent = lists.length ? "" : "You have no lists yet. A list is a timeline of just the people you add to it.";
    } catch (error) {
      status.textContent = errorMessage(error);
    }
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!title.value.trim()) return;
    try {
      await ctx.api.post("/api/v1/lists", { title: title.value.trim() });
      title.value = "";
      load();
    } catch (error) {
      ctx.toastError(error);
    }
  });
  load();
  return { title: "Lists", icon: "list", el: h("div", { class: "view padded" }, form, status, list), destroy() {} };
}

export function listView(ctx, id) {
  const base = timelineView(ctx, {
    title: "List",
    iconName: "list",
    path: `/api/v1/timelines/list/${encodeURIComponent(id)}`,
    emptyText: "No posts in this list yet. Add people to it below the title.",
  });
  const members = h("div", { class: "list-members", hidden: true });
  const manage = h("button", { type: "button", class: "icon-button", "aria-expanded": "false", "aria-label": "Edit list members", title: "Edit list members" }, icon("users"));
  const remove = h("button", { type: "button", class: "icon-button", "aria-label": "Delete list", title: "Delete list" }, icon("trash"));
  manage.addEventListener("click", () => {
    members.hidden = !members.hidden;
    manage.setAttribute("aria-expanded", String(!members.hidden));
    if (!members.hidden) renderMembers(ctx, id, members);
  });
  remove.addEventListener("click", async () => {
    if (!(await confirmDialog("Delete this list?", "Delete"))) return;
    try {
      await ctx.api.delete(`/api/v1/lists/${encodeURIComponent(id)}`);
      ctx.navigate("/web/lists");
    } catch (error) {
      ctx.toastError(error);
    }
  });
  base.el.prepend(members);
  base.back = true;
  base.actions = [manage, remove];
  ctx.api.get(`/api/v1/lists/${encodeURIComponent(id)}`).then((l) => ctx.setTitle(base, l.title)).catch(() => {});
  return base;
}

async function renderMembers(ctx, id, holder) {
  const path = `/api/v1/lists/${encodeURIComponent(id)}/accounts`;
  const input = h("input", { type: "search", placeholder: "Search people you follow", "aria-label": "Search people you follow to add" });
  const found = h("div", { class: "member-results" });
  const current = h("div", { class: "member-current" });
  const refresh = async () => {
    const accounts = await ctx.api.get(path, { limit: 0 });
    current.replaceChildren(
      ...(accounts.length ? accounts : []).map((account) =>
        accountRow(account, h("button", { type: "button", class: "button secondary", text: "Remove", "aria-label": `Remove @${account.acct}`, onclick: async () => {
          await ctx.api.request("DELETE", path, { params: { account_ids: [account.id] } }).catch((e) => ctx.toastError(e));
          refresh();
        } })),
      ),
    );
    if (!accounts.length) current.append(h("p", { class: "small", text: "Nobody is in this list yet." }));
  };
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) return found.replaceChildren();
      try {
        const accounts = await ctx.api.get("/api/v1/accounts/search", { q, following: true, limit: 5 });
        found.replaceChildren(
          ...accounts.map((account) =>
            accountRow(account, h("button", { type: "button", class: "button primary", text: "Add", "aria-label": `Add @${account.acct}`, onclick: async () => {
              try {
                await ctx.api.post(path, { account_ids: [account.id] });
                refresh();
              } catch (error) {
                ctx.toastError(error);
              }
            } })),
          ),
        );
      } catch (error) {
        ctx.toastError(error);
      }
    }, 300);
  });
  holder.replaceChildren(h("h3", { text: "Members" }), input, found, current);
  refresh().catch((error) => ctx.toastError(error));
}

// --- Settings --------------------------------------------------------------------------------------

const PREFERENCE_LABELS = {
  "posting:default:visibility": "Default post visibility",
  "posting:default:sensitive": "Mark media as sensitive by default",
  "posting:default:language": "Default post language",
  "reading:expand:media": "Media display",
  "reading:expand:spoilers": "Always expand content warnings",
};

const PREFERENCE_VALUES = {
  public: "Public",
  unlisted: "Unlisted",
  private: "Followers only",
  direct: "Mentioned people only",
  default: "Hide sensitive media",
  show_all: "Show all media",
  hide_all: "Hide all media",
};

function preferenceText(value) {
  if (value === null || value === undefined) return "Not set";
  if (value === true) return "Yes";
  if (value === false) return "No";
  return PREFERENCE_VALUES[value] || String(value);
}

export function settingsView(ctx) {
  const el = h("div", { class: "view padded settings" });
  const me = ctx.me;

  // Profile: the API can change it, so the app does, rather than sending people elsewhere.
  const name = h("input", { type: "text", id: "settings-name", maxlength: "30" });
  name.value = me.display_name || "";
  const note = h("textarea", { id: "settings-note", rows: "4", maxlength: "500" });
  note.value = me.source?.note ?? "";
  const locked = h("input", { type: "checkbox", id: "settings-locked" });
  locked.checked = !!me.locked;
  const profileForm = h(
    "form",
    { class: "settings-form" },
    h("h3", { text: "Profile" }),
    h("label", { for: "settings-name", text: "Display name" }),
    name,
    h("label", { for: "settings-note", text: "Bio" }),
    note,
    h("div", { class: "checkbox" }, locked, h("label", { for: "settings-locked", text: "Approve new followers by hand" })),
    h("button", { type: "submit", class: "button primary", text: "Save profile" }),
  );
  profileForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      ctx.me = await ctx.api.patch("/api/v1/accounts/update_credentials", { display_name: name.value, note: note.value, locked: locked.checked });
      ctx.onProfileChanged();
      toast("Profile saved");
    } catch (error) {
      ctx.toastError(error);
    }
  });

  // Theme: follows the system unless the reader picks one here (kept in this browser only).
  const theme = h(
    "select",
    { id: "settings-theme" },
    h("option", { value: "system", text: "Follow the system setting" }),
    h("option", { value: "light", text: "Light" }),
    h("option", { value: "dark", text: "Dark" }),
  );
  theme.value = localStorage.getItem("tern.theme") || "system";
  theme.addEventListener("change", () => ctx.setTheme(theme.value));

  const prefs = h("dl", { class: "preferences" });
  for (const [key, value] of Object.entries(ctx.preferences || {})) {
    prefs.append(h("div", {}, h("dt", { text: PREFERENCE_LABELS[key] || key }), h("dd", { text: preferenceText(value) })));
  }

  const account = h("ul", { class: "link-list" });
  // The account's own pages are the server's (forms that need the password or a file): plain links.
  for (const [path, label] of [
    ["/settings/profile", "Profile pictures and fields"],
    ["/settings/preferences", "More preferences"],
    ["/settings/account", "Email and password"],
    ["/settings/two_factor", "Two-factor authentication"],
    ["/oauth/authorized_applications", "Authorized apps"],
  ]) {
    account.append(h("li", {}, h("a", { href: path, class: "nav-link" }, icon("external"), h("span", { text: label }))));
  }

  const signOut = h("button", { type: "button", class: "button danger" }, icon("logout"), h("span", { text: "Sign out" }));
  signOut.addEventListener("click", () => ctx.signOut());

  el.append(
    profileForm,
    h("section", { class: "settings-section" }, h("h3", { text: "Appearance" }), h("label", { for: "settings-theme", text: "Theme" }), theme),
    h("section", { class: "settings-section" }, h("h3", { text: "Preferences" }), prefs, h("p", { class: "small", text: "These come from your account on the server and apply in every app." })),
    h("section", { class: "settings-section" }, h("h3", { text: "Account" }), h("p", { class: "small", text: `Signed in as @${me.acct}@${location.host}` }), account, signOut),
  );
  return { title: "Settings", icon: "settings", el, destroy() {} };
}

// --- Phone pages ------------------------------------------------------------------------------------

export function composeView(ctx) {
  // On a phone the app moves the compose box into `holder`; wider layouts keep it in the sidebar.
  const holder = h("div", { class: "compose-page" });
  const hint = h("p", { class: "compose-hint", text: "Write your post in the compose box." });
  return {
    title: "New post",
    icon: "compose",
    el: h("div", { class: "view padded" }, holder, hint),
    holder,
    isCompose: true,
    back: true,
    focusTarget: ctx.compose.textarea,
    destroy() {},
  };
}

export function menuView(ctx) {
  return { title: "Menu", icon: "menu", el: h("div", { class: "view padded" }, ctx.navList("menu")), destroy() {} };
}

export function notFoundView() {
  return { title: "Not found", icon: "warning", el: h("div", { class: "view padded" }, h("p", { text: "This page does not exist in the app." }), h("a", { href: "/web/home", text: "Go to your home timeline" })), destroy() {} };
}
