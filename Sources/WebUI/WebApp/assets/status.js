// A post as an <article>, with its actions. The same post can be on screen several times (home,
// local, a thread), so an action's answer refreshes every copy instead of the one clicked.

import {
  avatar,
  count,
  displayName,
  emojify,
  fullTime,
  h,
  htmlToText,
  nameNodes,
  profilePath,
  relativeLabel,
  safeUrl,
  sanitizeHTML,
  srOnly,
  statusPath,
  timeElement,
} from "./render.js";
import { icon } from "./icons.js";
import { confirmDialog, menuButton, toast } from "./ui.js";
import { errorMessage } from "./api.js";

const HTTP = new Set(["http:", "https:"]);
// Posts whose content warning the reader opened stay open when the card is re-rendered.
const revealed = new Set();
// The entity each article shows (for a boost: the boost, whose `reblog` is the post).
const entities = new WeakMap();

const VISIBILITY = {
  public: { icon: "globe", label: "Public" },
  unlisted: { icon: "unlock", label: "Unlisted" },
  private: { icon: "lock", label: "Followers only" },
  direct: { icon: "mail", label: "Mentioned people only" },
};

/** Turns mention and hashtag links into in-app links; other links open in a new tab. */
function linkRewriter(status) {
  return (el) => {
    if (!el.href) return;
    const classes = el.classList;
    // Mastodon marks hashtags "mention hashtag", so the hashtag test comes first.
    if (classes.contains("hashtag") || el.textContent.startsWith("#")) {
      const text = el.textContent.replace(/^#/, "");
      const tag = (status.tags || []).find((t) => t.url === el.href || t.name.toLowerCase() === text.toLowerCase());
      if (tag) internal(el, `/web/tags/${encodeURIComponent(tag.name)}`);
    } else if (classes.contains("mention")) {
      const mention = (status.mentions || []).find((m) => m.url === el.href);
      if (mention) {
        internal(el, `/web/@${mention.acct}`);
        el.title = `@${mention.acct}`;
      }
    }
  };
}

function internal(el, path) {
  el.href = path;
  el.removeAttribute("target");
  el.removeAttribute("rel");
}

/** A short description of a post for its aria-label: who, what (or its warning), when. */
function accessibleLabel(status, boostedBy) {
  const parts = [displayName(status.account)];
  if (status.spoiler_text) parts.push(`content warning: ${status.spoiler_text}`);
  else {
    const text = htmlToText(status.content).replace(/\s+/g, " ");
    parts.push(text.length > 140 ? `${text.slice(0, 140)}…` : text);
  }
  if (status.media_attachments?.length) parts.push(`${status.media_attachments.length} attachment(s)`);
  parts.push(relativeLabel(status.created_at));
  if (boostedBy) parts.push(`boosted by ${displayName(boostedBy)}`);
  return parts.filter(Boolean).join(", ");
}

/** Renders `entity` (a status or a boost of one). `detailed` is the highlighted post of a thread. */
export function renderStatus(ctx, entity, { detailed = false } = {}) {
  const status = entity.reblog || entity;
  const boostedBy = entity.reblog ? entity.account : null;
  const article = h("article", {
    class: ["status", detailed && "status-detailed", status.visibility === "direct" && "status-direct"],
    tabindex: "0",
    dataset: { id: entity.id, statusId: status.id },
    "aria-label": accessibleLabel(status, boostedBy),
  });
  entities.set(article, entity);

  if (boostedBy) {
    article.append(
      h(
        "div",
        { class: "status-prepend" },
        icon("boost"),
        h("a", { href: profilePath(boostedBy), class: "prepend-name" }, h("bdi", {}, nameNodes(boostedBy))),
        " boosted",
      ),
    );
  }

  const visibility = VISIBILITY[status.visibility] || VISIBILITY.public;
  const header = h(
    "header",
    { class: "status-header" },
    h("a", { href: profilePath(status.account), class: "status-avatar", tabindex: "-1", "aria-hidden": "true" }, avatar(status.account, detailed ? 48 : 46)),
    h(
      "a",
      { href: profilePath(status.account), class: "status-names" },
      h("bdi", { class: "display-name" }, nameNodes(status.account)),
      h("span", { class: "acct", text: `@${status.account.acct}` }),
    ),
    h(
      "span",
      { class: "status-meta" },
      status.visibility !== "public" ? h("span", { class: "visibility", title: visibility.label }, icon(visibility.icon), srOnly(visibility.label)) : null,
      detailed ? null : h("a", { href: statusPath(status), class: "status-time", title: fullTime(status.created_at) }, timeElement(status.created_at)),
    ),
  );
  article.append(header);

  const body = h("div", { class: "status-body" });
  const contentId = `content-${entity.id}-${Math.random().toString(36).slice(2, 8)}`;
  const content = h("div", { class: "status-content", id: contentId, lang: status.language || undefined });
  content.append(sanitizeHTML(status.content, { emojis: status.emojis, onLink: linkRewriter(status) }));
  const media = renderMedia(status, ctx.preferences?.["reading:expand:media"] || "default");
  const extras = h("div", { class: "status-extras" }, content, renderPoll(status), media, media ? null : renderCard(status));

  if (status.spoiler_text) {
    const open = revealed.has(status.id) || ctx.preferences?.["reading:expand:spoilers"] === true;
    const toggle = h("button", {
      type: "button",
      class: "spoiler-toggle",
      "aria-expanded": String(open),
      "aria-controls": contentId,
      text: open ? "Show less" : "Show more",
    });
    extras.hidden = !open;
    toggle.addEventListener("click", () => {
      const nowOpen = extras.hidden;
      extras.hidden = !nowOpen;
      toggle.setAttribute("aria-expanded", String(nowOpen));
      toggle.textContent = nowOpen ? "Show less" : "Show more";
      if (nowOpen) revealed.add(status.id);
      else revealed.delete(status.id);
    });
    body.append(
      h(
        "div",
        { class: "spoiler" },
        h("p", { class: "spoiler-text" }, icon("warning"), h("span", {}, emojify(status.spoiler_text, status.emojis))),
        toggle,
      ),
    );
  }
  body.append(extras);
  article.append(body);

  if (detailed) article.append(detailFooter(status, visibility));
  article.append(actionBar(ctx, entity, status));
  return article;
}

function detailFooter(status, visibility) {
  return h(
    "div",
    { class: "status-detail-meta" },
    h("a", { href: status.url && safeUrl(status.url, HTTP) ? status.url : statusPath(status), class: "status-time", rel: "noopener noreferrer", target: "_blank" }, h("time", { datetime: status.created_at, text: fullTime(status.created_at) })),
    status.edited_at ? h("span", { text: ` · edited ${fullTime(status.edited_at)}` }) : null,
    h("span", { text: ` · ${visibility.label}` }),
    h("span", { class: "detail-counts", text: ` · ${status.reblogs_count} boosts · ${status.favourites_count} favourites` }),
  );
}

/** `expand` is the reader's preference: "default" (hide sensitive), "show_all" or "hide_all". */
function renderMedia(status, expand) {
  const items = status.media_attachments || [];
  if (!items.length) return null;
  const grid = h("div", { class: ["media-grid", `media-count-${Math.min(items.length, 4)}`] });
  // A single picture keeps roughly its own shape (within limits) instead of a fixed 16:9 crop. This
  // is CSSOM, which the Content-Security-Policy allows, unlike a style attribute.
  const aspect = items.length === 1 ? Number(items[0].meta?.small?.aspect || items[0].meta?.original?.aspect) : NaN;
  if (Number.isFinite(aspect) && aspect > 0) grid.style.aspectRatio = String(Math.min(Math.max(aspect, 0.75), 2.4));
  for (const item of items) {
    const alt = item.description || "";
    const url = safeUrl(item.url, HTTP) || safeUrl(item.remote_url, HTTP);
    const preview = safeUrl(item.preview_url, HTTP) || url;
    let node;
    if (item.type === "image" && preview) {
      node = h(
        "a",
        { href: url || preview, target: "_blank", rel: "noopener noreferrer", class: "media-item", title: alt || undefined },
        h("img", { src: preview, alt, loading: "lazy", decoding: "async" }),
        alt ? h("span", { class: "alt-badge", "aria-hidden": "true", text: "ALT" }) : null,
      );
    } else if ((item.type === "video" || item.type === "gifv") && url) {
      const gif = item.type === "gifv";
      node = h(
        "div",
        { class: "media-item" },
        h("video", {
          src: url,
          poster: preview && preview !== url ? preview : undefined,
          controls: !gif,
          loop: gif,
          muted: gif,
          autoplay: gif,
          playsinline: true,
          preload: "metadata",
          "aria-label": alt || "Video without a description",
          title: alt || undefined,
        }),
      );
    } else if (item.type === "audio" && url) {
      node = h("div", { class: "media-item media-audio" }, h("audio", { src: url, controls: true, preload: "none", "aria-label": alt || "Audio without a description" }));
    } else if (url) {
      node = h("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "media-item media-link", text: alt || "Attachment" });
    }
    if (node) grid.append(node);
  }
  const hide = expand === "hide_all" || (expand !== "show_all" && status.sensitive && !status.spoiler_text);
  if (hide) {
    // Sensitive media without a warning text: cover it until asked, like Mastodon does.
    const cover = h("button", { type: "button", class: "media-cover" }, h("span", { text: status.sensitive ? "Sensitive content" : "Media hidden" }), h("span", { class: "small", text: "Select to show" }));
    cover.addEventListener("click", () => {
      cover.remove();
      grid.classList.remove("media-hidden");
    });
    grid.classList.add("media-hidden");
    grid.append(cover);
  }
  return grid;
}

function renderPoll(status) {
  const poll = status.poll;
  if (!poll) return null;
  const total = poll.votes_count || 0;
  const list = h("ul", { class: "poll", "aria-label": "Poll results" });
  for (const option of poll.options || []) {
    const share = total ? Math.round(((option.votes_count || 0) / total) * 100) : 0;
    list.append(
      h(
        "li",
        {},
        h("span", { class: "poll-share", text: `${share}%` }),
        h("span", { class: "poll-title" }, emojify(option.title, poll.emojis || [])),
        h("meter", { min: "0", max: "100", value: String(share), "aria-hidden": "true" }),
      ),
    );
  }
  const footer = `${total} vote${total === 1 ? "" : "s"}${poll.expired ? " · closed" : poll.expires_at ? ` · ends ${fullTime(poll.expires_at)}` : ""}`;
  return h("div", { class: "poll-box" }, list, h("p", { class: "poll-footer", text: footer }));
}

function renderCard(status) {
  const card = status.card;
  const url = card && safeUrl(card.url, HTTP);
  if (!url || !card.title) return null;
  const image = safeUrl(card.image, HTTP);
  return h(
    "a",
    { class: "link-card", href: url, target: "_blank", rel: "nofollow noopener noreferrer" },
    image ? h("img", { src: image, alt: card.image_description || "", loading: "lazy" }) : null,
    h(
      "span",
      { class: "link-card-text" },
      h("span", { class: "link-card-host", text: card.provider_name || new URL(url).hostname }),
      h("strong", { text: card.title }),
      card.description ? h("span", { class: "link-card-description", text: card.description }) : null,
    ),
  );
}

function actionButton({ name, label, pressedLabel, pressed, iconName, value, disabled, onClick }) {
  const button = h(
    "button",
    {
      type: "button",
      class: ["action", `action-${name}`, pressed && "active"],
      "aria-label": pressed ? pressedLabel || label : label,
      title: pressed ? pressedLabel || label : label,
      "aria-pressed": pressedLabel ? String(!!pressed) : undefined,
      disabled: disabled || undefined,
      dataset: { action: name },
    },
    icon(iconName),
    value ? h("span", { class: "action-count", "aria-hidden": "true", text: value }) : null,
  );
  button.addEventListener("click", onClick);
  return button;
}

function actionBar(ctx, entity, status) {
  const mine = ctx.me && status.account.id === ctx.me.id;
  const canBoost = status.visibility === "public" || status.visibility === "unlisted" || (mine && status.visibility === "private");
  return h(
    "footer",
    { class: "status-actions" },
    actionButton({
      name: "reply",
      label: "Reply",
      iconName: "reply",
      value: count(status.replies_count),
      onClick: () => ctx.compose.replyTo(status),
    }),
    actionButton({
      name: "boost",
      label: canBoost ? "Boost" : "This post cannot be boosted",
      pressedLabel: "Undo boost",
      pressed: status.reblogged,
      iconName: "boost",
      value: count(status.reblogs_count),
      disabled: !canBoost,
      onClick: () => toggle(ctx, status, status.reblogged ? "unreblog" : "reblog"),
    }),
    actionButton({
      name: "favourite",
      label: "Favourite",
      pressedLabel: "Undo favourite",
      pressed: status.favourited,
      iconName: "star",
      value: count(status.favourites_count),
      onClick: () => toggle(ctx, status, status.favourited ? "unfavourite" : "favourite"),
    }),
    actionButton({
      name: "bookmark",
      label: "Bookmark",
      pressedLabel: "Remove bookmark",
      pressed: status.bookmarked,
      iconName: "bookmark",
      onClick: () => toggle(ctx, status, status.bookmarked ? "unbookmark" : "bookmark"),
    }),
    menuButton("More actions", () => [
      { label: "Open thread", icon: "reply", action: () => ctx.navigate(statusPath(status)) },
      status.url && safeUrl(status.url, HTTP) && !status.url.startsWith(location.origin + "/web")
        ? { label: "Open original page", icon: "external", action: () => window.open(status.url, "_blank", "noopener,noreferrer") }
        : null,
      { label: "Copy link", icon: "link", action: () => copyLink(status) },
      mine ? { label: "Edit", icon: "edit", action: () => ctx.compose.edit(status) } : null,
      mine ? { label: "Delete", icon: "trash", danger: true, action: () => remove(ctx, status) } : null,
      mine ? null : { label: `Mention @${status.account.username}`, icon: "at", action: () => ctx.compose.mention(status.account) },
    ]),
  );
}

async function copyLink(status) {
  try {
    await navigator.clipboard.writeText(status.url || status.uri);
    toast("Link copied");
  } catch {
    toast("Could not copy the link", { error: true });
  }
}

async function toggle(ctx, status, action) {
  try {
    const result = await ctx.api.post(`/api/v1/statuses/${encodeURIComponent(status.id)}/${action}`);
    // Boosting answers with the boost itself; the post is inside it.
    updateStatus(ctx, result.reblog && action === "reblog" ? result.reblog : result);
  } catch (error) {
    toast(errorMessage(error), { error: true });
  }
}

async function remove(ctx, status) {
  if (!(await confirmDialog("Delete this post? This cannot be undone.", "Delete"))) return;
  try {
    await ctx.api.delete(`/api/v1/statuses/${encodeURIComponent(status.id)}`);
    removeStatus(status.id);
    toast("Post deleted");
  } catch (error) {
    toast(errorMessage(error), { error: true });
  }
}

// Views kept alive while off screen (a phone shows one column at a time) are not in the document,
// yet must not show a post as it was before an edit or after a deletion.
const detachedRoots = new Set();

/** Registers an element whose posts stay up to date even while it is not in the document. */
export function keepUpdated(root) {
  detachedRoots.add(root);
}

function allArticles(selector) {
  const found = new Set(document.querySelectorAll(selector));
  for (const root of detachedRoots) {
    if (!root.isConnected) root.querySelectorAll(selector).forEach((el) => found.add(el));
  }
  return [...found];
}

/** Re-renders every copy of `status` (and boosts of it), keeping keyboard focus in place. */
export function updateStatus(ctx, status) {
  for (const article of allArticles(`article.status[data-status-id="${CSS.escape(status.id)}"]`)) {
    const old = entities.get(article);
    if (!old) continue;
    const entity = old.reblog ? { ...old, reblog: status } : status;
    const detailed = article.classList.contains("status-detailed");
    const focusedAction = article.contains(document.activeElement) ? document.activeElement.dataset?.action : null;
    const hadFocus = document.activeElement === article;
    const fresh = renderStatus(ctx, entity, { detailed });
    for (const name of ["aria-posinset", "aria-setsize"]) {
      if (article.hasAttribute(name)) fresh.setAttribute(name, article.getAttribute(name));
    }
    article.replaceWith(fresh);
    if (hadFocus) fresh.focus({ preventScroll: true });
    else if (focusedAction) fresh.querySelector(`[data-action="${focusedAction}"]`)?.focus({ preventScroll: true });
  }
}

/** Removes a deleted post (and boosts of it) from every column. */
export function removeStatus(id) {
  for (const article of allArticles(`article.status[data-status-id="${CSS.escape(id)}"], article.status[data-id="${CSS.escape(id)}"]`)) {
    const wrapper = article.closest(".feed-item") || article;
    wrapper.remove();
  }
}

export function statusEntityOf(article) {
  return entities.get(article);
}
