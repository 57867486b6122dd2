// Start-up, layout and routing. Paths live under /web/ and use the History API, so every screen has
// a URL that can be bookmarked, reloaded or opened in a new tab (the server answers all of them with
// the same page).

import { Api, errorMessage } from "./api.js";
import { beginSignIn, completeSignIn, forgetToken, signOut, storedToken, wasSignedOut } from "./auth.js";
import { avatar, h, nameNodes, profilePath, replaceChildren } from "./render.js";
import { icon } from "./icons.js";
import { Streaming } from "./streaming.js";
import { Compose } from "./compose.js";
import { moveFocus } from "./timeline.js";
import { keepUpdated, removeStatus, statusEntityOf, updateStatus } from "./status.js";
import { toast } from "./ui.js";
import {
  bookmarksView,
  favouritesView,
  federatedView,
  homeView,
  localView,
  notificationsView,
  profileView,
  tagView,
  threadView,
} from "./views.js";
import { composeView, listView, listsView, menuView, notFoundView, searchView, settingsView } from "./pages.js";

const root = document.getElementById("app");

const NAV = [
  { path: "/web/home", label: "Home", icon: "home", bottom: true },
  { path: "/web/notifications", label: "Notifications", icon: "bell", bottom: true },
  { path: "/web/public/local", label: "Local", icon: "users", bottom: true },
  { path: "/web/public", label: "Federated", icon: "globe" },
  { path: "/web/search", label: "Search", icon: "search", bottom: true },
  { path: "/web/bookmarks", label: "Bookmarks", icon: "bookmark" },
  { path: "/web/favourites", label: "Favourites", icon: "star" },
  { path: "/web/lists", label: "Lists", icon: "list" },
  { path: "/web/settings", label: "Settings", icon: "settings" },
];

// Matched in order; the first whose pattern fits the path makes the view.
const ROUTES = [
  [/^\/web\/?$|^\/web\/home$/, "home"],
  [/^\/web\/notifications$/, "notifications"],
  [/^\/web\/public\/local$/, "local"],
  [/^\/web\/public$/, "federated"],
  [/^\/web\/tags\/([^/]+)$/, (ctx, m) => tagView(ctx, decodeURIComponent(m[1]))],
  [/^\/web\/@([^/]+)\/([^/]+)$/, (ctx, m) => threadView(ctx, decodeURIComponent(m[2]))],
  [/^\/web\/@([^/]+)$/, (ctx, m) => profileView(ctx, decodeURIComponent(m[1]))],
  [/^\/web\/search$/, (ctx) => searchView(ctx, new URLSearchParams(location.search).get("q"))],
  [/^\/web\/bookmarks$/, (ctx) => bookmarksView(ctx)],
  [/^\/web\/favourites$/, (ctx) => favouritesView(ctx)],
  [/^\/web\/lists$/, (ctx) => listsView(ctx)],
  [/^\/web\/lists\/([^/]+)$/, (ctx, m) => listView(ctx, decodeURIComponent(m[1]))],
  [/^\/web\/settings$/, (ctx) => settingsView(ctx)],
  [/^\/web\/publish$/, (ctx) => composeView(ctx)],
  [/^\/web\/menu$/, (ctx) => menuView(ctx)],
];

// Four columns from this width, a sidebar and one column above PHONE, one column with a bottom bar below.
const WIDE = window.matchMedia("(min-width: 1180px)");
const PHONE = window.matchMedia("(max-width: 699px)");

applyTheme(localStorage.getItem("tern.theme") || "system");
start().catch((error) => showFatal(error));

function applyTheme(theme) {
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

async function start() {
  if (location.pathname === "/web/callback") {
    const query = new URLSearchParams(location.search);
    // The code must not stay in the address bar or history, even for a failed attempt.
    history.replaceState(null, "", "/web/callback");
    try {
      const next = await completeSignIn(query);
      history.replaceState(null, "", next);
    } catch (error) {
      showSignedOut(error.message);
      return;
    }
  }
  const token = storedToken();
  if (!token) {
    if (wasSignedOut()) showSignedOut("You are signed out.");
    else await beginSignIn(location.pathname + location.search);
    return;
  }
  await boot(token);
}

function showSignedOut(message) {
  document.title = "Tern";
  const button = h("button", { type: "button", class: "button primary", text: "Sign in" });
  button.addEventListener("click", () => beginSignIn("/web/home").catch((error) => showFatal(error)));
  replaceChildren(root, h("main", { class: "signed-out", id: "main" }, h("h1", { class: "brand-title", text: "Tern" }), h("p", { text: message }), button));
  button.focus();
}

function showFatal(error) {
  replaceChildren(root, h("main", { class: "signed-out", id: "main" }, h("h1", { text: "Tern could not start" }), h("p", { role: "alert", text: error?.message || String(error) })));
}

async function boot(token) {
  let signingIn = false;
  const api = new Api(token, {
    onUnauthorized: () => {
      // The token was revoked or expired: start over rather than show a broken app.
      if (signingIn) return;
      signingIn = true;
      forgetToken();
      beginSignIn(location.pathname + location.search);
    },
  });
  let me, instance, preferences;
  try {
    [me, instance, preferences] = await Promise.all([
      api.get("/api/v1/accounts/verify_credentials"),
      api.get("/api/v2/instance").catch(() => null),
      api.get("/api/v1/preferences").catch(() => ({})),
    ]);
  } catch (error) {
    if (error.status === 401) return;
    throw new Error(errorMessage(error));
  }
  const app = new App(api, token, me, instance, preferences);
  app.start();
}

class App {
  constructor(api, token, me, instance, preferences) {
    this.api = api;
    this.me = me;
    this.instance = instance;
    this.preferences = preferences;
    this.streaming = new Streaming(token);
    this.views = new Map(); // home, notifications, local, federated: built once, kept live
    this.routeView = null;
    this.secondary = "local"; // what the fourth column shows while the route is home or notifications
    this.unread = 0;
    this.firstRender = true;
    this.compose = new Compose(this);
  }

  start() {
    this.buildShell();
    this.streaming.start();
    // Edits and deletions apply to every column that shows the post.
    // The user stream stays on for the whole session: the unread count needs it even while no
    // notifications column exists yet (a phone builds columns only when they are first shown).
    this.streaming.subscribe("user");
    this.streaming.listen((event, payload) => {
      if (event === "delete") removeStatus(String(payload));
      else if (event === "status.update" && payload?.id) updateStatus(this, payload);
      else if (event === "notification" && payload?.id) this.onNotification(payload);
    });
    this.streaming.onState((state) => {
      this.shell.dataset.stream = state;
      this.liveStatus.textContent = state === "reconnecting" ? "Live updates paused: reconnecting…" : "";
    });
    window.addEventListener("popstate", () => this.route());
    document.addEventListener("click", (event) => this.interceptLink(event));
    document.addEventListener("keydown", (event) => this.shortcut(event));
    WIDE.addEventListener("change", () => this.route({ layoutOnly: true }));
    PHONE.addEventListener("change", () => this.route({ layoutOnly: true }));
    this.route();
  }

  // --- Shared helpers the views use ------------------------------------------------------------------

  navigate(path, { replace = false } = {}) {
    if (path === location.pathname + location.search) {
      // The current page again: back to its top, like Mastodon's column headers.
      const column = this.routeView?.column;
      column?.bodyEl.scrollTo({ top: 0 });
      window.scrollTo({ top: 0 });
      column?.titleEl.focus({ preventScroll: true });
      return;
    }
    if (replace) history.replaceState(history.state, "", path);
    else history.pushState({ pushed: true }, "", path);
    this.route();
  }

  toastError(error) {
    toast(errorMessage(error), { error: true });
  }

  setTitle(view, title) {
    view.title = title;
    const heading = view.column?.querySelector(".column-title");
    if (heading) heading.textContent = title;
    if (view === this.visibleRouteView()) document.title = `${title} · ${this.instanceTitle()}`;
  }

  /** Changes only the window title (the column keeps its short heading). */
  setDocumentTitle(view, title) {
    view.documentTitle = title;
    if (view === this.visibleRouteView()) document.title = `${title} · ${this.instanceTitle()}`;
  }

  instanceTitle() {
    return this.instance?.title || "Tern";
  }

  /** Whether a view that finished loading may take the keyboard focus (only after a navigation). */
  shouldFocusView(view) {
    return !this.firstRender && view === this.visibleRouteView();
  }

  setTheme(theme) {
    localStorage.setItem("tern.theme", theme);
    applyTheme(theme);
  }

  onPosted(status, { edited }) {
    if (edited) {
      updateStatus(this, status);
      toast("Post saved");
      return;
    }
    // Shown at once, whatever the stream does; the feed ignores the streamed copy by its id.
    this.views.get("home")?.feed.prepend(status);
    if (status.visibility === "public") this.views.get("local")?.feed.prepend(status);
    toast(status.in_reply_to_id ? "Reply posted" : "Post published");
    if (this.layout() !== "wide" && location.pathname === "/web/publish") this.goBack();
  }

  onNotification() {
    if (!this.isShown("notifications")) {
      this.unread += 1;
      this.updateBadges();
    }
  }

  onProfileChanged() {
    this.renderMe();
  }

  showCompose() {
    if (this.layout() === "phone" && location.pathname !== "/web/publish") this.navigate("/web/publish");
  }

  async signOut() {
    this.streaming.stop();
    await signOut();
    location.assign("/web");
  }

  goBack() {
    // Back within the app when this entry was pushed by the app (so the one before is an app page);
    // home otherwise: a shared link or the page after sign-in, where going back would leave the app.
    if (history.state?.pushed) history.back();
    else this.navigate("/web/home", { replace: true });
  }

  // --- Layout ------------------------------------------------------------------------------------

  layout() {
    return WIDE.matches ? "wide" : PHONE.matches ? "phone" : "medium";
  }

  navList(kind) {
    const list = h("ul", { class: `nav-list nav-${kind}` });
    for (const item of NAV) {
      if (kind === "bottom" && !item.bottom) continue;
      const link = h(
        "a",
        { href: item.path, class: "nav-link", dataset: { nav: item.path } },
        icon(item.icon),
        h("span", { class: "nav-label", text: item.label }),
      );
      if (item.path === "/web/notifications") link.append(h("span", { class: "badge-count", hidden: true, "aria-hidden": "true" }));
      list.append(h("li", {}, link));
    }
    if (kind === "bottom") {
      list.append(
        h("li", {}, h("a", { href: "/web/menu", class: "nav-link", dataset: { nav: "/web/menu" } }, icon("menu"), h("span", { class: "nav-label", text: "Menu" }))),
      );
    }
    if (kind === "menu") {
      const out = h("button", { type: "button", class: "nav-link" }, icon("logout"), h("span", { class: "nav-label", text: "Sign out" }));
      out.addEventListener("click", () => this.signOut());
      list.append(h("li", {}, out));
    }
    queueMicrotask(() => this.markCurrent());
    return list;
  }

  buildShell() {
    this.column = (id, extraClass) => {
      const title = h("h2", { class: "column-title", id: `${id}-title`, tabindex: "-1" });
      const back = h("button", { type: "button", class: "icon-button column-back", "aria-label": "Back", title: "Back", hidden: true }, icon("back"));
      back.addEventListener("click", () => this.goBack());
      const actions = h("div", { class: "column-actions" });
      const headerIcon = h("span", { class: "column-icon" });
      const body = h("div", { class: "column-scroll" });
      const section = h(
        "section",
        { class: ["column", extraClass], id, "aria-labelledby": `${id}-title` },
        h("header", { class: "column-header" }, back, headerIcon, title, actions),
        body,
      );
      Object.assign(section, { titleEl: title, backEl: back, actionsEl: actions, iconEl: headerIcon, bodyEl: body });
      return section;
    };

    this.meEl = h("div", { class: "me" });
    this.renderMe();
    const composeButton = h("a", { href: "/web/publish", class: "button primary compose-fab", "aria-label": "New post", title: "New post" }, icon("compose"));

    this.navColumn = h(
      "aside",
      { class: "column nav-column", "aria-label": "Compose and navigation" },
      h("div", { class: "nav-column-inner" }, this.meEl, this.compose.el, h("nav", { class: "main-nav", "aria-label": "Main" }, this.navList("side")), this.signOutButton()),
    );
    this.homeColumn = this.column("column-home", "column-home");
    this.notificationsColumn = this.column("column-notifications", "column-notifications");
    this.mainColumn = this.column("main", "column-main");
    this.mainColumn.tabIndex = -1;
    this.liveStatus = h("div", { class: "live-status", role: "status" });
    this.bottomNav = h("nav", { class: "bottom-nav", "aria-label": "Main" }, this.navList("bottom"));
    const topBar = h("header", { class: "top-bar" }, h("a", { href: "/web/home", class: "brand" }, h("img", { src: "/web/assets/icon.svg", alt: "", width: 28, height: 28 }), h("span", { text: this.instanceTitle() })), composeButton);

    this.shell = h(
      "div",
      { class: "shell" },
      topBar,
      this.navColumn,
      h("div", { class: "columns" }, this.homeColumn, this.notificationsColumn, this.mainColumn),
      this.bottomNav,
      this.liveStatus,
    );
    const skip = h("a", { href: "#main", class: "skip-link", text: "Skip to the main column" });
    skip.addEventListener("click", (event) => {
      event.preventDefault();
      this.visibleRouteView()?.column?.titleEl.focus();
    });
    // One h1 for the page (screen readers list headings); the columns' titles are its h2s.
    replaceChildren(root, skip, h("h1", { class: "sr-only", text: this.instanceTitle() }), this.shell);
    root.removeAttribute("aria-live");
  }

  signOutButton() {
    const button = h("button", { type: "button", class: "link-button sign-out" }, icon("logout"), h("span", { text: "Sign out" }));
    button.addEventListener("click", () => this.signOut());
    return button;
  }

  renderMe() {
    replaceChildren(
      this.meEl,
      h(
        "a",
        { href: profilePath(this.me), class: "me-link", "aria-label": `Your profile: ${this.me.display_name || this.me.username}` },
        avatar(this.me, 40),
        h("span", { class: "account-names" }, h("bdi", { class: "display-name" }, nameNodes(this.me)), h("span", { class: "acct", text: `@${this.me.acct}` })),
      ),
    );
  }

  persistentView(key) {
    let view = this.views.get(key);
    if (!view) {
      const make = { home: homeView, notifications: notificationsView, local: localView, federated: federatedView }[key];
      view = make(this);
      view.key = key;
      this.views.set(key, view);
      keepUpdated(view.el);
    }
    return view;
  }

  mount(column, view) {
    if (column.view === view) return;
    if (column.view && column.view.column === column) column.view.column = null;
    column.view = view;
    view.column = column;
    column.titleEl.textContent = view.title;
    replaceChildren(column.iconEl, icon(view.icon || "home"));
    column.backEl.hidden = !view.back;
    replaceChildren(column.actionsEl, ...(view.actions || []));
    replaceChildren(column.bodyEl, view.el);
    column.dataset.view = view.key || "page";
  }

  visibleRouteView() {
    return this.mainColumn.view;
  }

  isShown(key) {
    const view = this.views.get(key);
    return !!view && !!view.column && !view.column.hidden;
  }

  // --- Routing -----------------------------------------------------------------------------------

  route({ layoutOnly = false } = {}) {
    const path = location.pathname;
    const layout = this.layout();
    this.shell.dataset.layout = layout;
    document.body.dataset.layout = layout; // toasts and dialogs live outside the shell

    let view = null;
    let key = null;
    if (!layoutOnly || !this.routeView) {
      for (const [pattern, make] of ROUTES) {
        const match = path.match(pattern);
        if (!match) continue;
        if (typeof make === "string") key = make;
        else view = make(this, match);
        break;
      }
      if (!key && !view) view = notFoundView();
      if (this.routeView && this.routeView !== view && !this.routeView.key) this.routeView.destroy();
      this.routeView = view || this.persistentView(key);
      if (key === "local" || key === "federated") this.secondary = key;
    }
    const current = this.routeView;

    const wide = layout === "wide";
    this.homeColumn.hidden = !wide;
    this.notificationsColumn.hidden = !wide;
    this.navColumn.hidden = layout === "phone";
    if (wide) {
      this.mount(this.homeColumn, this.persistentView("home"));
      this.mount(this.notificationsColumn, this.persistentView("notifications"));
      const inFixed = current.key === "home" || current.key === "notifications";
      this.mount(this.mainColumn, inFixed ? this.persistentView(this.secondary) : current);
    } else {
      this.mount(this.mainColumn, current);
    }
    // The compose box lives in the sidebar; on a phone it moves to a page of its own and back.
    if (layout === "phone" && current.isCompose) current.holder.append(this.compose.el);
    else if (!this.navColumn.contains(this.compose.el)) this.navColumn.querySelector(".me").after(this.compose.el);

    if (this.isShown("notifications")) {
      this.unread = 0;
      this.updateBadges();
    }
    this.markCurrent();
    const shown = wide && (current.key === "home" || current.key === "notifications") ? current : this.mainColumn.view;
    document.title = `${shown.documentTitle || shown.title} · ${this.instanceTitle()}`;

    if (!layoutOnly) {
      if (!this.firstRender) {
        // After a navigation, keyboard and screen-reader users start at the new content.
        const column = current.column;
        if (current.focusTarget && current.focusTarget.isConnected) current.focusTarget.focus();
        else column?.titleEl.focus({ preventScroll: true });
        if (column && column !== this.mainColumn) column.bodyEl.scrollTop = 0;
        if (layout !== "wide") window.scrollTo(0, 0);
      }
      this.firstRender = false;
    }
  }

  markCurrent() {
    const path = location.pathname;
    for (const link of document.querySelectorAll("[data-nav]")) {
      const target = link.dataset.nav;
      const on = path === target || (target === "/web/home" && (path === "/web" || path === "/web/")) || (target === "/web/lists" && path.startsWith("/web/lists/"));
      if (on) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  }

  updateBadges() {
    for (const badge of document.querySelectorAll(".badge-count")) {
      badge.hidden = this.unread === 0;
      badge.textContent = this.unread > 99 ? "99+" : String(this.unread);
    }
    for (const link of document.querySelectorAll('[data-nav="/web/notifications"]')) {
      link.setAttribute("aria-label", this.unread ? `Notifications, ${this.unread} new` : "Notifications");
    }
  }

  interceptLink(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a[href]");
    if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith("/web/") || url.pathname.startsWith("/web/assets/")) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search);
  }

  // --- Keyboard shortcuts (as in Mastodon; ignored while typing) -----------------------------------

  shortcut(event) {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest?.("input, textarea, select, [contenteditable], dialog")) return;
    if (this.pendingG) {
      this.pendingG = false;
      const go = { h: "/web/home", n: "/web/notifications", l: "/web/public/local", t: "/web/public", b: "/web/bookmarks", f: "/web/favourites", s: "/web/settings", u: profilePath(this.me) }[event.key];
      if (go) {
        event.preventDefault();
        this.navigate(go);
      }
      return;
    }
    const article = target.closest?.("article.status");
    const status = article ? statusEntityOf(article) : null;
    const inner = status?.reblog || status;
    switch (event.key) {
      case "j":
        moveFocus(1);
        break;
      case "k":
        moveFocus(-1);
        break;
      case "n":
        this.compose.focus();
        break;
      case "/":
      case "s":
        this.navigate("/web/search");
        break;
      case "g":
        this.pendingG = true;
        setTimeout(() => (this.pendingG = false), 1500);
        break;
      case "?":
        this.showHelp();
        break;
      case "r":
        if (!inner) return;
        this.compose.replyTo(inner);
        break;
      case "f":
      case "b":
        if (!inner) return;
        article.querySelector(`[data-action="${event.key === "f" ? "favourite" : "boost"}"]`)?.click();
        break;
      case "Enter":
      case "o":
        if (!inner || target !== article) return;
        this.navigate(`/web/@${inner.account.acct}/${encodeURIComponent(inner.id)}`);
        break;
      case "p":
        if (!inner) return;
        this.navigate(profilePath(inner.account));
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  showHelp() {
    const rows = [
      ["j / k", "Next / previous post"],
      ["Enter or o", "Open the focused post"],
      ["r", "Reply"],
      ["f", "Favourite"],
      ["b", "Boost"],
      ["p", "Open the author's profile"],
      ["n", "Write a new post"],
      ["Ctrl+Enter", "Send the post"],
      ["/ or s", "Search"],
      ["g then h, n, l, t, b, f, u", "Go to home, notifications, local, federated, bookmarks, favourites, your profile"],
      ["?", "This help"],
    ];
    const dialog = h(
      "dialog",
      { class: "dialog help", "aria-labelledby": "help-title" },
      h("h2", { id: "help-title", text: "Keyboard shortcuts" }),
      h("dl", { class: "shortcuts" }, rows.map(([keys, what]) => h("div", {}, h("dt", {}, h("kbd", { text: keys })), h("dd", { text: what })))),
      h("form", { method: "dialog", class: "dialog-actions" }, h("button", { type: "submit", class: "button primary", text: "Close" })),
    );
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }
}
