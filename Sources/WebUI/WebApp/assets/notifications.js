// Notifications: one line saying who did what, then the post it is about. Mentions show the whole
// post, because answering them is what the reader came for.

import { avatar, displayName, h, htmlToText, nameNodes, profilePath, relativeLabel, statusPath, timeElement } from "./render.js";
import { icon } from "./icons.js";
import { renderStatus } from "./status.js";

const KINDS = {
  mention: { icon: "at", verb: "mentioned you" },
  status: { icon: "bell", verb: "just posted" },
  reblog: { icon: "boost", verb: "boosted your post" },
  favourite: { icon: "star", verb: "favourited your post" },
  follow: { icon: "follow", verb: "followed you" },
  follow_request: { icon: "follow", verb: "asked to follow you" },
  poll: { icon: "list", verb: "A poll has ended" },
  update: { icon: "edit", verb: "edited a post you interacted with" },
  "admin.sign_up": { icon: "follow", verb: "signed up" },
  "admin.report": { icon: "warning", verb: "filed a report" },
};

export function renderNotification(ctx, notification) {
  const kind = KINDS[notification.type];
  if (!kind) return null;
  const { account, status } = notification;

  if ((notification.type === "mention" || notification.type === "status") && status) {
    const article = renderStatus(ctx, status);
    article.classList.add("notification-status");
    article.prepend(h("div", { class: "status-prepend notification-prepend" }, icon(kind.icon), h("span", { text: notification.type === "mention" ? "Mentioned you" : "New post" })));
    article.setAttribute("aria-label", `${displayName(account)} ${kind.verb}: ${article.getAttribute("aria-label")}`);
    return article;
  }

  const line = h(
    "p",
    { class: "notification-line" },
    h("span", { class: `notification-icon kind-${notification.type.replace(".", "-")}` }, icon(kind.icon)),
    notification.type === "poll"
      ? h("span", { text: kind.verb })
      : h("span", {}, h("a", { href: profilePath(account), class: "notification-who" }, h("bdi", {}, nameNodes(account))), ` ${kind.verb}`),
    h("span", { class: "notification-time" }, timeElement(notification.created_at)),
  );
  const excerpt = status ? htmlToText(status.spoiler_text || status.content).replace(/\s+/g, " ") : "";
  const article = h("article", {
    class: ["notification", `notification-${notification.type}`],
    tabindex: "0",
    dataset: { id: notification.id },
    "aria-label": `${displayName(account)} ${kind.verb}${excerpt ? `: ${excerpt.slice(0, 120)}` : ""}, ${relativeLabel(notification.created_at)}`,
  });
  article.append(line);

  if (status) {
    article.append(
      h(
        "a",
        { class: "notification-excerpt", href: statusPath(status) },
        status.spoiler_text ? h("span", { class: "cw-label", text: "CW" }) : null,
        h("span", { text: excerpt || "(a post with media)" }),
      ),
    );
  } else if (notification.type === "follow" || notification.type === "follow_request") {
    article.append(
      h(
        "a",
        { class: "account-row compact", href: profilePath(account) },
        avatar(account, 36),
        h("span", { class: "account-names" }, h("bdi", { class: "display-name" }, nameNodes(account)), h("span", { class: "acct", text: `@${account.acct}` })),
      ),
    );
    if (notification.type === "follow_request") article.append(followRequestButtons(ctx, account, article));
  }
  return article;
}

function followRequestButtons(ctx, account, article) {
  const decide = async (verb) => {
    try {
      await ctx.api.post(`/api/v1/follow_requests/${encodeURIComponent(account.id)}/${verb}`);
      article.querySelector(".request-actions")?.replaceChildren(h("span", { text: verb === "authorize" ? "Accepted" : "Rejected" }));
    } catch (error) {
      ctx.toastError(error);
    }
  };
  return h(
    "div",
    { class: "request-actions" },
    h("button", { type: "button", class: "button primary", text: "Accept", onclick: () => decide("authorize") }),
    h("button", { type: "button", class: "button secondary", text: "Reject", onclick: () => decide("reject") }),
  );
}
