// A paginated, live list (timeline, notifications, accounts). It follows the server's Link headers
// for older pages, because ids are opaque and only the server knows the next cursor, and takes new
// items from the stream without moving what the reader is looking at.

import { h } from "./render.js";
import { errorMessage } from "./api.js";

export class Feed {
  /**
   * `path`/`params`: the first page. `renderItem(item)` returns an element (or null to skip).
   * `label` names the feed for screen readers. `live(feed)` may subscribe to the stream and returns
   * its unsubscribe function.
   */
  constructor(ctx, { path, params, renderItem, label, emptyText = "Nothing here yet.", live, itemKey = (item) => item.id }) {
    this.ctx = ctx;
    this.path = path;
    this.params = params;
    this.renderItem = renderItem;
    this.itemKey = itemKey;
    this.emptyText = emptyText;
    this.next = null;
    this.loading = false;
    this.done = false;
    this.pending = [];
    this.keys = new Set();

    this.list = h("div", { class: "feed", role: "feed", "aria-label": label, "aria-busy": "true" });
    this.newButton = h("button", { type: "button", class: "new-items", hidden: true });
    this.newButton.addEventListener("click", () => this.showPending(true));
    this.status = h("div", { class: "feed-status", role: "status" });
    this.moreButton = h("button", { type: "button", class: "button secondary load-more", hidden: true, text: "Load more" });
    this.moreButton.addEventListener("click", () => this.loadMore());
    this.sentinel = h("div", { class: "feed-sentinel", "aria-hidden": "true" });
    this.el = h("div", { class: "feed-wrap" }, this.newButton, this.list, this.status, this.moreButton, this.sentinel);

    // Loads the next page a screen before the end of the list is reached. An entry can be stale: the
    // first one, taken while the list was still empty, may arrive after the first page has filled the
    // column, so the sentinel's place is checked again before loading.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && this.isSentinelVisible()) this.loadMore();
      },
      { rootMargin: "0px 0px 800px 0px" },
    );
    this.observer.observe(this.sentinel);
    this.unsubscribe = live ? live(this) : null;
    this.loadMore();
  }

  destroy() {
    this.observer.disconnect();
    if (this.unsubscribe) this.unsubscribe();
  }

  async loadMore() {
    if (this.loading || this.done) return;
    this.loading = true;
    this.list.setAttribute("aria-busy", "true");
    this.status.textContent = "Loading…";
    try {
      const page = this.next ? await this.ctx.api.page(this.next) : await this.ctx.api.page(this.path, this.params);
      for (const item of page.items) this.append(item);
      this.next = page.next;
      this.done = !page.next || page.items.length === 0;
      this.status.textContent = this.done && this.keys.size === 0 ? this.emptyText : "";
      this.moreButton.hidden = this.done;
    } catch (error) {
      this.status.replaceChildren(
        h("span", { text: errorMessage(error) }),
        " ",
        h("button", { type: "button", class: "link-button", text: "Retry", onclick: () => this.loadMore() }),
      );
    } finally {
      this.loading = false;
      this.list.setAttribute("aria-busy", "false");
      this.updatePositions();
    }
    // A short first page may not fill the column: the sentinel is then still visible, so keep going.
    if (!this.done && this.isSentinelVisible()) requestAnimationFrame(() => this.loadMore());
  }

  isSentinelVisible() {
    if (!this.sentinel.isConnected) return false;
    const rect = this.sentinel.getBoundingClientRect();
    return rect.top < window.innerHeight + 800 && rect.bottom > 0 && this.sentinel.offsetParent !== null;
  }

  wrap(item) {
    const key = this.itemKey(item);
    if (key === undefined || this.keys.has(key)) return null;
    const el = this.renderItem(item);
    if (!el) return null;
    this.keys.add(key);
    return h("div", { class: "feed-item", dataset: { key } }, el);
  }

  append(item) {
    const node = this.wrap(item);
    if (node) this.list.append(node);
  }

  /** Adds a new item at the top: at once when the reader is at the top, otherwise behind a button. */
  prepend(item) {
    if (this.keys.has(this.itemKey(item))) return;
    if (this.isAtTop()) {
      const node = this.wrap(item);
      if (node) {
        node.classList.add("feed-item-new");
        this.list.prepend(node);
        this.status.textContent = "";
        this.updatePositions();
      }
    } else {
      this.pending.unshift(item);
      this.newButton.textContent = `Show ${this.pending.length} new item${this.pending.length === 1 ? "" : "s"}`;
      this.newButton.hidden = false;
    }
  }

  showPending(focus = false) {
    const items = this.pending.reverse();
    this.pending = [];
    this.newButton.hidden = true;
    let first = null;
    for (const item of items) {
      const node = this.wrap(item);
      if (node) {
        this.list.prepend(node);
        first = node;
      }
    }
    this.updatePositions();
    if (focus && first) first.querySelector("[tabindex='0']")?.focus();
  }

  isAtTop() {
    const scroller = this.el.closest(".column-scroll");
    if (scroller && scroller.scrollHeight > scroller.clientHeight + 1 && getComputedStyle(scroller).overflowY !== "visible") {
      return scroller.scrollTop < 60;
    }
    return window.scrollY < 60 || !this.el.isConnected;
  }

  /** Removes the item with this key (a deleted post, a dismissed notification). */
  remove(key) {
    const node = this.list.querySelector(`.feed-item[data-key="${CSS.escape(String(key))}"]`);
    if (node) node.remove();
    this.keys.delete(key);
    this.pending = this.pending.filter((item) => this.itemKey(item) !== key);
  }

  /** Keeps aria-posinset/setsize right, which screen readers use to say "3 of 20" in a feed. */
  updatePositions() {
    const articles = this.list.querySelectorAll(":scope > .feed-item > [tabindex='0']");
    articles.forEach((article, index) => {
      article.setAttribute("aria-posinset", String(index + 1));
      article.setAttribute("aria-setsize", this.done ? String(articles.length) : "-1");
    });
  }
}

/** Moves focus to the next or previous item of the feed around the focused element (j/k keys). */
export function moveFocus(direction) {
  const current = document.activeElement?.closest(".feed-item > [tabindex='0']");
  if (!current) {
    const first = document.querySelector(".column:not([hidden]) .feed-item > [tabindex='0']");
    first?.focus();
    return;
  }
  const feed = current.closest(".feed");
  const items = [...feed.querySelectorAll(":scope > .feed-item > [tabindex='0']")];
  const next = items[items.indexOf(current) + direction];
  if (next) {
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
}
