// The column contents: timelines, notifications, a thread and a profile. A view is
// { title, icon, el, destroy() }; the router decides which column shows it.

import { avatar, count, displayName, h, htmlToText, nameNodes, profilePath, safeUrl, sanitizeHTML, srOnly } from "./render.js";
import { icon } from "./icons.js";
import { Feed } from "./timeline.js";
import { renderStatus } from "./status.js";
import { renderNotification } from "./notifications.js";
import { errorMessage } from "./api.js";
import { confirmDialog } from "./ui.js";

const HTTP = new Set(["http:", "https:"]);

const isLocal = (status) => !status.account.acct.includes("@");

/** Which streamed posts belong in which timeline. The server may label an event with only one of the
 * streams it matches, so public timelines decide from the post itself. */
const STREAM_RULES = {
  home: (status, streams) => streams.includes("user"),
  local: (status) => !status.reblog && status.visibility === "public" && isLocal(status),
  federated: (status) => !status.reblog && status.visibility === "public",
};

function liveTimeline(ctx, rule, streamNames, tag) {
  return (feed) => {
    const unsubscribes = streamNames.map((name) => ctx.streaming.subscribe(name, tag));
    const stopListening = ctx.streaming.listen((event, payload, streams) => {
      if (event === "update" && payload && payload.id && rule(payload, streams)) feed.prepend(payload);
    });
    return () => {
      unsubscribes.forEach((u) => u());
      stopListening();
    };
  };
}

/** A timeline of posts with infinite scroll and, when `live` is given, new posts from the stream. */
export function timelineView(ctx, { title, iconName, path, params, live, emptyText, intro }) {
  const feed = new Feed(ctx, {
    path,
    params,
    label: title,
    emptyText,
    renderItem: (status) => renderStatus(ctx, status),
    live,
  });
  return { title, icon: iconName, el: h("div", { class: "view" }, intro, feed.el), feed, destroy: () => feed.destroy() };
}

export function homeView(ctx) {
  return timelineView(ctx, {
    title: "Home",
    iconName: "home",
    path: "/api/v1/timelines/home",
    live: liveTimeline(ctx, STREAM_RULES.home, ["user"]),
    emptyText: "Your home timeline is empty. Follow people to see their posts here.",
  });
}

export function localView(ctx) {
  return timelineView(ctx, {
    title: "Local",
    iconName: "users",
    path: "/api/v1/timelines/public",
    params: { local: true },
    live: liveTimeline(ctx, STREAM_RULES.local, ["public:local"]),
    emptyText: "Nobody on this server has posted publicly yet.",
  });
}

export function federatedView(ctx) {
  return timelineView(ctx, {
    title: "Federated",
    iconName: "globe",
    path: "/api/v1/timelines/public",
    live: liveTimeline(ctx, STREAM_RULES.federated, ["public"]),
    emptyText: "No public posts known to this server yet.",
  });
}

export function tagView(ctx, tag) {
  const name = tag.replace(/^#/, "");
  const rule = (status) => (status.tags || []).some((t) => t.name.toLowerCase() === name.toLowerCase());
  const view = timelineView(ctx, {
    title: `#${name}`,
    iconName: "hash",
    path: `/api/v1/timelines/tag/${encodeURIComponent(name)}`,
    live: liveTimeline(ctx, rule, ["hashtag"], name),
    emptyText: `No posts with #${name} yet.`,
  });
  view.back = true;
  return view;
}

export function bookmarksView(ctx) {
  return timelineView(ctx, { title: "Bookmarks", iconName: "bookmark", path: "/api/v1/bookmarks", emptyText: "You have no bookmarks yet." });
}

export function favouritesView(ctx) {
  return timelineView(ctx, { title: "Favourites", iconName: "star", path: "/api/v1/favourites", emptyText: "You have not favourited any posts yet." });
}

export function notificationsView(ctx) {
  const feed = new Feed(ctx, {
    path: "/api/v1/notifications",
    label: "Notifications",
    emptyText: "No notifications yet. When people interact with you, you will see it here.",
    renderItem: (notification) => renderNotification(ctx, notification),
    live: (feed) => {
      const unsubscribe = ctx.streaming.subscribe("user");
      const stop = ctx.streaming.listen((event, payload) => {
        if (event === "notification" && payload && payload.id) {
          feed.prepend(payload);
        }
      });
      return () => {
        unsubscribe();
        stop();
      };
    },
  });
  const clear = h("button", { type: "button", class: "icon-button", "aria-label": "Clear all notifications", title: "Clear all notifications" }, icon("trash"));
  clear.addEventListener("click", async () => {
    if (!(await confirmDialog("Clear all notifications?", "Clear"))) return;
    try {
      await ctx.api.post("/api/v1/notifications/clear");
      feed.list.replaceChildren();
      feed.keys.clear();
      feed.status.textContent = "No notifications.";
    } catch (error) {
      ctx.toastError(error);
    }
  });
  return { title: "Notifications", icon: "bell", el: h("div", { class: "view" }, feed.el), feed, actions: [clear], destroy: () => feed.destroy() };
}

// --- Thread ----------------------------------------------------------------------------------------

export function threadView(ctx, statusId) {
  const el = h("div", { class: "view thread", "aria-busy": "true" }, h("p", { class: "feed-status", text: "Loading…" }));
  const view = { title: "Post", icon: "reply", el, back: true, destroy() {} };
  (async () => {
    try {
      const id = encodeURIComponent(statusId);
      const [status, context] = await Promise.all([ctx.api.get(`/api/v1/statuses/${id}`), ctx.api.get(`/api/v1/statuses/${id}/context`)]);
      const feed = h("div", { class: "feed", role: "feed", "aria-label": "Conversation" });
      const add = (entity, options, extra) =>
        feed.append(h("div", { class: ["feed-item", options?.detailed && "feed-item-detailed", extra], dataset: { key: entity.id } }, renderStatus(ctx, entity, options)));
      // Ancestors get a line joining their avatars down to the opened post, as in Mastodon.
      context.ancestors.forEach((s) => add(s, {}, "thread-above"));
      add(status, { detailed: true });
      context.descendants.forEach((s) => add(s));
      el.replaceChildren(feed);
      el.setAttribute("aria-busy", "false");
      const main = feed.querySelector(".status-detailed");
      ctx.setDocumentTitle(view, `${displayName(status.account)}: “${htmlToText(status.spoiler_text || status.content).slice(0, 60)}”`);
      // Keyboard and screen-reader users land on the post they opened, not at the top of the thread.
      if (ctx.shouldFocusView(view)) main.focus({ preventScroll: true });
      main.scrollIntoView({ block: context.ancestors.length ? "center" : "start" });
    } catch (error) {
      el.replaceChildren(h("p", { class: "feed-status", role: "alert", text: errorMessage(error) }));
      el.setAttribute("aria-busy", "false");
    }
  })();
  return view;
}

// --- Profile ---------------------------------------------------------------------------------------

export function profileView(ctx, acct) {
  const el = h("div", { class: "view profile", "aria-busy": "true" }, h("p", { class: "feed-status", text: "Loading…" }));
  const view = { title: `@${acct}`, icon: "users", el, back: true, feed: null, destroy: () => view.feed?.destroy() };
  (async () => {
    try {
      const account = await ctx.api.get("/api/v1/accounts/lookup", { acct });
      ctx.setTitle(view, displayName(account));
      el.replaceChildren(...renderProfile(ctx, account, view));
      el.setAttribute("aria-busy", "false");
    } catch (error) {
      el.replaceChildren(h("p", { class: "feed-status", role: "alert", text: error.status === 404 ? `No account @${acct} was found.` : errorMessage(error) }));
      el.setAttribute("aria-busy", "false");
    }
  })();
  return view;
}

function renderProfile(ctx, account, view) {
  const me = ctx.me && ctx.me.id === account.id;
  const header = safeUrl(account.header_static || account.header, HTTP);
  const fullAcct = account.acct.includes("@") ? account.acct : `${account.acct}@${location.host}`;
  const actions = h("div", { class: "profile-actions" });
  if (me) actions.append(h("a", { class: "button secondary", href: "/web/settings", text: "Edit profile" }));
  // The follower count follows the button, so the page agrees with itself after a click.
  const followers = h("strong", { text: count(account.followers_count) || "0" });
  const followersLabel = h("span", { text: account.followers_count === 1 ? " follower" : " followers" });
  if (!me) {
    actions.append(
      followButton(ctx, account, (delta) => {
        account.followers_count = Math.max(0, (account.followers_count || 0) + delta);
        followers.textContent = count(account.followers_count) || "0";
        followersLabel.textContent = account.followers_count === 1 ? " follower" : " followers";
      }),
    );
  }

  const fields = (account.fields || []).length
    ? h(
        "dl",
        { class: "profile-fields" },
        account.fields.map((field) =>
          h(
            "div",
            { class: ["profile-field", field.verified_at && "verified"] },
            h("dt", {}, sanitizeHTML(field.name, { emojis: account.emojis })),
            h("dd", {}, sanitizeHTML(field.value, { emojis: account.emojis }), field.verified_at ? srOnly(" (verified link)") : null),
          ),
        ),
      )
    : null;

  const top = h(
    "div",
    { class: "profile-top" },
    h("div", { class: "profile-banner" }, header ? bannerImage(header) : null),
    h("div", { class: "profile-bar" }, avatar(account, 88), actions),
    h(
      "div",
      { class: "profile-names" },
      h("h3", { class: "profile-name" }, h("bdi", {}, nameNodes(account)), account.bot ? h("span", { class: "badge", text: "Bot" }) : null, account.locked ? h("span", { class: "badge", title: "Approves followers", "aria-label": "Approves followers" }, icon("lock")) : null),
      h("p", { class: "acct", text: `@${fullAcct}` }),
    ),
    account.note ? h("div", { class: "profile-note" }, sanitizeHTML(account.note, { emojis: account.emojis })) : null,
    fields,
    h(
      "p",
      { class: "profile-counts" },
      h("span", {}, h("strong", { text: count(account.statuses_count) || "0" }), account.statuses_count === 1 ? " post" : " posts"),
      h("span", {}, h("strong", { text: count(account.following_count) || "0" }), " following"),
      h("span", {}, followers, followersLabel),
    ),
  );

  // Tabs choose which of the account's posts the feed below shows.
  const tabs = [
    ["posts", "Posts", { exclude_replies: true }],
    ["replies", "With replies", {}],
    ["media", "Media", { only_media: true }],
  ];
  const feedHolder = h("div", { class: "profile-feed", role: "tabpanel", id: `profile-panel-${account.id}` });
  const tablist = h("div", { class: "tabs", role: "tablist", "aria-label": "Posts to show" });
  const select = (key) => {
    for (const tab of tablist.children) {
      const on = tab.dataset.key === key;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    const [, label, params] = tabs.find((t) => t[0] === key);
    view.feed?.destroy();
    view.feed = new Feed(ctx, {
      path: `/api/v1/accounts/${encodeURIComponent(account.id)}/statuses`,
      params,
      label: `${displayName(account)}: ${label}`,
      emptyText: "No posts here yet.",
      renderItem: (status) => renderStatus(ctx, status),
    });
    feedHolder.setAttribute("aria-labelledby", `profile-tab-${account.id}-${key}`);
    feedHolder.replaceChildren(view.feed.el);
  };
  for (const [key, label] of tabs) {
    const tab = h("button", { type: "button", role: "tab", class: "tab", id: `profile-tab-${account.id}-${key}`, "aria-controls": feedHolder.id, dataset: { key }, text: label });
    tab.addEventListener("click", () => select(key));
    tab.addEventListener("keydown", (event) => {
      const all = [...tablist.children];
      const i = all.indexOf(tab);
      const next = event.key === "ArrowRight" ? all[(i + 1) % all.length] : event.key === "ArrowLeft" ? all[(i - 1 + all.length) % all.length] : null;
      if (next) {
        event.preventDefault();
        next.focus();
        select(next.dataset.key);
      }
    });
    tablist.append(tab);
  }
  select("posts");
  return [top, tablist, feedHolder];
}

/** The header picture; a missing one leaves the plain banner colour rather than a broken-image icon. */
function bannerImage(src) {
  const img = h("img", { src, alt: "", loading: "lazy" });
  img.addEventListener("error", () => img.remove(), { once: true });
  return img;
}

function followButton(ctx, account, onFollowChange) {
  const button = h("button", { type: "button", class: "button primary follow-button", text: "Follow", disabled: true });
  let relationship = null;
  const show = () => {
    const following = relationship?.following;
    const requested = relationship?.requested;
    button.textContent = following ? "Unfollow" : requested ? "Cancel request" : relationship?.followed_by ? "Follow back" : "Follow";
    button.classList.toggle("primary", !following && !requested);
    button.classList.toggle("secondary", !!(following || requested));
    button.disabled = !relationship || relationship.blocking || relationship.blocked_by;
    button.setAttribute("aria-label", `${button.textContent} ${displayName(account)}`);
  };
  button.addEventListener("click", async () => {
    const verb = relationship?.following || relationship?.requested ? "unfollow" : "follow";
    button.disabled = true;
    try {
      const was = !!relationship?.following;
      relationship = await ctx.api.post(`/api/v1/accounts/${encodeURIComponent(account.id)}/${verb}`);
      if (was !== !!relationship.following) onFollowChange(relationship.following ? 1 : -1);
    } catch (error) {
      ctx.toastError(error);
    }
    show();
  });
  ctx.api
    .get("/api/v1/accounts/relationships", { id: [account.id] })
    .then((list) => {
      relationship = list[0] || { following: false };
      show();
    })
    .catch(() => {
      relationship = { following: false };
      show();
    });
  return button;
}

/** A row linking to an account, used by search and lists. */
export function accountRow(account, ...trailing) {
  return h(
    "div",
    { class: "account-row" },
    h(
      "a",
      { href: profilePath(account), class: "account-link" },
      avatar(account, 40),
      h("span", { class: "account-names" }, h("bdi", { class: "display-name" }, nameNodes(account)), h("span", { class: "acct", text: `@${account.acct}` })),
    ),
    ...trailing,
  );
}
